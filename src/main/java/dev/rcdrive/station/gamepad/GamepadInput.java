package dev.rcdrive.station.gamepad;

import dev.rcdrive.station.drive.Axes;
import dev.rcdrive.station.drive.DriveController;
import dev.rcdrive.station.gamepad.device.Gamepads;
import dev.rcdrive.station.gamepad.device.PadInfo;
import dev.rcdrive.station.gamepad.device.PadSnapshot;
import dev.rcdrive.station.gamepad.mapping.AxisBinding;
import dev.rcdrive.station.gamepad.mapping.DefaultProfiles;
import dev.rcdrive.station.gamepad.mapping.MappingStore;
import dev.rcdrive.station.gamepad.mapping.PadAction;
import dev.rcdrive.station.gamepad.mapping.PadMapping;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A game controller as an input: each snapshot from {@link Gamepads} becomes {@link Axes} through
 * the controller's {@link PadMapping}, and each button press a {@link PadAction}, told to a {@link
 * Listener} <em>on the poll thread</em> (so a change reaches the car within one poll interval, not
 * at the next FX pulse). Like a keyboard, it knows nothing of arming: what its axes may do is the
 * {@code DriveController}'s decision (LibDS and teleop_twist_joy split it the same way).
 *
 * <p>What it does decide: which mapping a controller gets (the saved one, else its built-in
 * profile), that buttons already down when a controller appears are not presses, and that a reading
 * which is not a number counts as released.
 */
public final class GamepadInput implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(GamepadInput.class);

  /** A button (or an axis bound to a button action) counts as pressed from this value up. */
  static final double PRESSED = 0.5;

  /**
   * The controller's state, for the driver and for whoever switches inputs.
   *
   * @param message a sentence for the driver, empty when all is well
   */
  public record Status(PadSnapshot.State state, String controller, String message) {
    public static final Status NONE = new Status(PadSnapshot.State.NONE, "", "No controller");
  }

  /**
   * Told on the poll thread, in this order per poll: status, presses, axes. Must not block; what is
   * not overridden is ignored.
   */
  public interface Listener {
    /** The controller's status changed: connected (a new one), disconnected. */
    default void onStatus(Status status) {}

    /** A button action was pressed: ARM (toggle), ESTOP, SNAPSHOT or FULLSCREEN. */
    default void onAction(PadAction action) {}

    /** The axes of this poll, at every poll while a controller is connected. */
    default void onAxes(Axes axes) {}
  }

  private static final Listener NOBODY = new Listener() {};

  private final Gamepads gamepads;
  private final MappingStore store; // null: never load or save (tests, benchmarks)
  private final Consumer<PadSnapshot> onSnapshot = this::onSnapshot;
  private final Listener listener;

  // Guarded by this.
  private String padKey = "";
  private PadMapping mapping;
  private String mappingProblem;
  private final Map<PadAction, Boolean> held = new EnumMap<>(PadAction.class);
  private PadSnapshot last = PadSnapshot.NONE;
  private Axes axes = Axes.NEUTRAL;
  private Status status = Status.NONE;

  /**
   * @param store where mappings are loaded from and saved; null: never (tests, benchmarks)
   * @param listener hears everything from the first poll on (given here, so no status can slip by
   *     before it is set: statuses are told only when they change); null: nobody
   */
  public GamepadInput(Gamepads gamepads, MappingStore store, Listener listener) {
    this.gamepads = Objects.requireNonNull(gamepads);
    this.store = store;
    this.listener = listener == null ? NOBODY : listener;
    gamepads.addListener(onSnapshot);
  }

  /**
   * The station's wiring ({@code new GamepadInput(pads, store, driving(controller, view))}), all on
   * the poll thread: statuses, the arm and E-STOP buttons and the axes go to {@code controller} (a
   * change, an arm or an E-STOP leaves for the car right there); {@code view} hears every status
   * and the window's own actions (snapshot, fullscreen), and must hand them over to its thread.
   */
  public static Listener driving(DriveController controller, Listener view) {
    return new Listener() {
      @Override
      public void onStatus(Status status) {
        if (status.state() == PadSnapshot.State.CONNECTED) {
          controller.controllerConnected(status.controller());
        } else { // gone, whichever way: nothing of it may drive (a no-op if it did not)
          controller.controllerLost(status.controller());
        }
        view.onStatus(status);
      }

      @Override
      public void onAction(PadAction action) {
        switch (action) {
          case ARM -> controller.controllerToggleArm();
          case ESTOP -> controller.controllerEmergencyStop();
          default -> view.onAction(action);
        }
      }

      @Override
      public void onAxes(Axes axes) {
        controller.controller(axes);
      }
    };
  }

  public Gamepads gamepads() {
    return gamepads;
  }

  public synchronized Status status() {
    return status;
  }

  /** Whether a controller is in use and answering. */
  public boolean active() {
    return status().state() == PadSnapshot.State.CONNECTED;
  }

  /** The axes of the newest poll (neutral with no controller). */
  public synchronized Axes axes() {
    return axes;
  }

  /** The mapping in use (the pad's saved one, or its built-in profile), or null with no pad. */
  public synchronized PadMapping mapping() {
    return mapping;
  }

  /** Why the saved mapping of the current pad was not used, or null. */
  public synchronized String mappingProblem() {
    return mappingProblem;
  }

  /** Uses {@code next} from the next poll on and saves it for this controller model. */
  public void useMapping(PadMapping next, boolean save) {
    synchronized (this) {
      mapping = next;
    }
    if (save && store != null && next != null) {
      try {
        store.save(next);
      } catch (IOException e) {
        log.warn("cannot save the mapping for {}: {}", next.controller(), e.getMessage());
      }
    }
  }

  @Override
  public void close() {
    gamepads.removeListener(onSnapshot);
  }

  // ---- the poll thread ----------------------------------------------------------------------

  private void onSnapshot(PadSnapshot snapshot) {
    Status changed = null;
    List<PadAction> pressed = new ArrayList<>();
    Axes out = null;
    synchronized (this) {
      boolean wasConnected = last.connected();
      boolean attached = false;
      if (!snapshot.connected()) {
        if (wasConnected) {
          held.clear();
          axes = Axes.NEUTRAL;
        }
        last = snapshot;
      } else {
        if (!wasConnected || !snapshot.key().equals(padKey)) {
          attach(snapshot);
          attached = true;
        }
        last = snapshot;
        buttons(snapshot, pressed);
        axes = compose(snapshot);
        out = axes;
      }
      Status next = statusOf(last);
      if (!next.equals(status) || attached) { // another pad of the same model is news too
        status = next;
        changed = next;
      }
    }
    if (changed != null) {
      listener.onStatus(changed);
    }
    pressed.forEach(listener::onAction);
    if (out != null) {
      listener.onAxes(out);
    }
  }

  /** A controller became active: its mapping; buttons already down are not presses. */
  private void attach(PadSnapshot snapshot) {
    if (!snapshot.key().equals(padKey) || mapping == null) {
      PadInfo pad = new PadInfo(snapshot.key(), snapshot.name(), snapshot.controls());
      if (store != null) {
        MappingStore.Loaded loaded = store.load(pad);
        mapping = loaded.mapping();
        mappingProblem = loaded.problem();
      } else {
        mapping = DefaultProfiles.forController(pad);
        mappingProblem = null;
      }
      padKey = snapshot.key();
      log.info("{}: mapping {}", snapshot.name(), mapping.profile());
    }
    held.clear();
    for (PadAction action : PadAction.values()) {
      if (!action.isAxis()) {
        held.put(action, pressed(snapshot, mapping.button(action)));
      }
    }
  }

  private void buttons(PadSnapshot snapshot, List<PadAction> pressed) {
    for (PadAction action : PadAction.values()) {
      if (action.isAxis()) {
        continue;
      }
      boolean down = pressed(snapshot, mapping.button(action));
      boolean was = held.getOrDefault(action, false);
      held.put(action, down);
      if (down && !was) {
        pressed.add(action);
      }
    }
  }

  /** Brake / reverse is the reverse axis, as the keyboard's S: the car brakes, then reverses. */
  private Axes compose(PadSnapshot s) {
    return new Axes(
        axis(s, mapping.steer()), axis(s, mapping.throttle()), axis(s, mapping.brake()), 0);
  }

  private static double axis(PadSnapshot s, AxisBinding binding) {
    if (binding == null || binding.control() == null) {
      return 0;
    }
    double partner = binding.partner() == null ? Double.NaN : s.value(binding.partner());
    return binding.apply(s.value(binding.control()), partner);
  }

  private static boolean pressed(PadSnapshot s, String control) {
    if (control == null) {
      return false;
    }
    float v = s.value(control);
    return Float.isFinite(v) && Math.abs(v) >= PRESSED;
  }

  private static Status statusOf(PadSnapshot s) {
    return switch (s.state()) {
      case NONE -> Status.NONE;
      case DISCONNECTED ->
          new Status(
              PadSnapshot.State.DISCONNECTED,
              s.name(),
              "Controller disconnected: " + s.name() + ". Disarmed; plug it in and arm again.");
      case CONNECTED -> new Status(PadSnapshot.State.CONNECTED, s.name(), "");
    };
  }
}
