package dev.rcdrive.station.gamepad;

import dev.rcdrive.station.drive.DriveIntent;
import dev.rcdrive.station.gamepad.device.Gamepads;
import dev.rcdrive.station.gamepad.device.PadInfo;
import dev.rcdrive.station.gamepad.device.PadSnapshot;
import dev.rcdrive.station.gamepad.mapping.AxisBinding;
import dev.rcdrive.station.gamepad.mapping.DefaultProfiles;
import dev.rcdrive.station.gamepad.mapping.MappingStore;
import dev.rcdrive.station.gamepad.mapping.PadAction;
import dev.rcdrive.station.gamepad.mapping.PadMapping;
import dev.rcdrive.station.input.InputSource;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Driving with a game controller: each snapshot from {@link Gamepads} becomes a {@link DriveIntent}
 * through the controller's {@link PadMapping}, handed to the control loop <em>on the poll
 * thread</em> (so a change goes out within one poll interval, not at the next FX pulse) and kept
 * for {@link #poll} (the HUD's gauges, and a view model that pushes what its inputs return).
 *
 * <p>Safety, each rule proven by a test:
 *
 * <ul>
 *   <li>The active controller unplugged: one neutral, disarmed intent at once, {@link
 *       Status#state()} DISCONNECTED, then nothing more from this input (the control loop's stale
 *       rule keeps the car neutral if nobody else drives).
 *   <li>A controller that (re)appears drives only after the station was seen disarmed and armed
 *       again: a pad plugged in while armed never moves the car by itself.
 *   <li>Arming takes effect only once throttle and brake read zero (an RC transmitter's throttle
 *       check): a trigger held down, or a wrong guess that reads full throttle at rest, cannot
 *       launch the car.
 *   <li>The E-STOP button latches E-STOP in the very next intent, on the poll thread, before the
 *       station hears of it; only the station clears it.
 * </ul>
 */
public final class GamepadInput implements InputSource, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(GamepadInput.class);

  /** Throttle and brake count as released below this. */
  static final double AT_REST = 0.05;

  /** A button (or an axis bound to a button action) counts as pressed from this value up. */
  static final double PRESSED = 0.5;

  /**
   * What the HUD shows about the controller.
   *
   * @param message a sentence for the driver, empty when all is well
   */
  public record Status(PadSnapshot.State state, String controller, String message) {
    public static final Status NONE = new Status(PadSnapshot.State.NONE, "", "No controller");
  }

  /** Told on the poll thread; implementations hand over to the FX thread and never block. */
  public interface Listener {
    /** A button action was pressed: ARM (toggle), ESTOP, SNAPSHOT or FULLSCREEN. */
    void onAction(PadAction action);

    /** The controller's status changed (connected, disconnected, waiting for re-arm, …). */
    void onStatus(Status status);
  }

  private final Gamepads gamepads;
  private final MappingStore store; // null: never load or save (tests, benchmarks)
  private final Consumer<PadSnapshot> onSnapshot = this::onSnapshot;
  private volatile Consumer<DriveIntent> sink = intent -> {};
  private volatile Listener listener;

  // Guarded by this.
  private String padKey = "";
  private PadMapping mapping;
  private String mappingProblem;
  private boolean stationArmed;
  private boolean stationEstop;
  private boolean needsRearm = true;
  private boolean throttleChecked;
  private boolean localEstop;
  private final Map<PadAction, Boolean> held = new EnumMap<>(PadAction.class);
  private PadSnapshot last = PadSnapshot.NONE;
  private DriveIntent intent = DriveIntent.NEUTRAL;
  private Status status = Status.NONE;

  public GamepadInput(Gamepads gamepads, MappingStore store) {
    this.gamepads = Objects.requireNonNull(gamepads);
    this.store = store;
    gamepads.addListener(onSnapshot);
  }

  /**
   * Where intents go, on the poll thread, at every poll (a sign of life for the control loop's
   * stale rule). In the app {@code session::setIntentNow} ({@code ControlLoop.setAndSend}): a
   * changed intent is sent right there on the poll thread, with no hand-off to another thread.
   */
  public void connect(Consumer<DriveIntent> intentSink) {
    sink = intentSink == null ? intent -> {} : intentSink;
  }

  public void setListener(Listener newListener) {
    listener = newListener;
  }

  public Gamepads gamepads() {
    return gamepads;
  }

  public synchronized Status status() {
    return status;
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
      } catch (java.io.IOException e) {
        log.warn("cannot save the mapping for {}: {}", next.controller(), e.getMessage());
      }
    }
  }

  @Override
  public String name() {
    Status now = status();
    return now.controller().isEmpty() ? "Controller" : now.controller();
  }

  /** The newest intent with the station's armed / E-STOP state (the FX pulse calls this). */
  @Override
  public DriveIntent poll(double seconds, boolean armed, boolean estop) {
    List<Runnable> events = new ArrayList<>();
    DriveIntent result;
    synchronized (this) {
      stationFlags(armed, estop);
      if (last.connected() && mapping != null) {
        intent = compose(last);
      }
      result = intent;
      updateStatus(events);
    }
    events.forEach(Runnable::run);
    return result;
  }

  /** Whether a controller is in use and answering. */
  public boolean active() {
    return status().state() == PadSnapshot.State.CONNECTED;
  }

  @Override
  public void close() {
    gamepads.removeListener(onSnapshot);
  }

  // ---- the poll thread ----------------------------------------------------------------------

  private void onSnapshot(PadSnapshot snapshot) {
    List<Runnable> events = new ArrayList<>();
    DriveIntent out = null;
    synchronized (this) {
      boolean wasConnected = last.connected();
      if (!snapshot.connected()) {
        last = snapshot;
        if (wasConnected) {
          // One neutral, disarmed intent; then silence from this input until the pad returns.
          needsRearm = true;
          throttleChecked = false;
          held.clear();
          intent = DriveIntent.NEUTRAL.withEstop(stationEstop || localEstop);
          out = intent;
        }
      } else {
        if (!wasConnected || !snapshot.key().equals(padKey)) {
          attach(snapshot);
        }
        last = snapshot;
        buttons(snapshot, events);
        intent = compose(snapshot);
        out = intent;
      }
      updateStatus(events);
    }
    if (out != null) {
      sink.accept(out);
    }
    events.forEach(Runnable::run);
  }

  /** A controller became active: its mapping, and no driving until the station re-arms. */
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
    needsRearm = true;
    throttleChecked = false;
    held.clear();
    // Buttons already down when the pad appears are not presses.
    for (PadAction action : PadAction.values()) {
      if (!action.isAxis()) {
        held.put(action, pressed(snapshot, mapping.button(action)));
      }
    }
  }

  private void stationFlags(boolean armed, boolean estop) {
    if (!armed) {
      needsRearm = false; // seen disarmed: the next arm is a deliberate one
      throttleChecked = false;
    }
    if (estop) {
      localEstop = false; // the station holds it now, and clears it
    }
    stationArmed = armed;
    stationEstop = estop;
  }

  private void buttons(PadSnapshot snapshot, List<Runnable> events) {
    for (PadAction action : PadAction.values()) {
      if (action.isAxis()) {
        continue;
      }
      boolean down = pressed(snapshot, mapping.button(action));
      boolean was = held.getOrDefault(action, false);
      held.put(action, down);
      if (down && !was) {
        if (action == PadAction.ESTOP) {
          localEstop = true;
        }
        Listener l = listener;
        if (l != null) {
          events.add(() -> l.onAction(action));
        }
      }
    }
  }

  private DriveIntent compose(PadSnapshot s) {
    double steer = axis(s, mapping.steer());
    double throttle = axis(s, mapping.throttle());
    double brake = axis(s, mapping.brake());
    if (stationArmed && !needsRearm && !throttleChecked && throttle < AT_REST && brake < AT_REST) {
      throttleChecked = true;
    }
    boolean estop = stationEstop || localEstop;
    boolean armed = stationArmed && !needsRearm && throttleChecked && !estop;
    // Brake/reverse is negative throttle, as the keyboard's S: the car brakes, then reverses.
    return new DriveIntent(steer, throttle - brake, 0, armed, estop, 0);
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

  private void updateStatus(List<Runnable> events) {
    Status next;
    if (last.state() == PadSnapshot.State.NONE) {
      next = Status.NONE;
    } else if (last.state() == PadSnapshot.State.DISCONNECTED) {
      next =
          new Status(
              PadSnapshot.State.DISCONNECTED,
              last.name(),
              "Controller disconnected: " + last.name() + ". Disarmed; plug it in and arm again.");
    } else if (stationArmed && needsRearm) {
      next =
          new Status(
              PadSnapshot.State.CONNECTED,
              last.name(),
              "Disarm and arm again to drive with " + last.name());
    } else if (stationArmed && !throttleChecked) {
      next =
          new Status(PadSnapshot.State.CONNECTED, last.name(), "Release throttle and brake to arm");
    } else {
      next = new Status(PadSnapshot.State.CONNECTED, last.name(), "");
    }
    if (!next.equals(status)) {
      status = next;
      Listener l = listener;
      if (l != null) {
        events.add(() -> l.onStatus(next));
      }
    }
  }
}
