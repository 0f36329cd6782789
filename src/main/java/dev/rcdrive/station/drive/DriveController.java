package dev.rcdrive.station.drive;

import dev.rcdrive.protocol.CarState;
import dev.rcdrive.protocol.StateReason;
import dev.rcdrive.station.drive.DriveState.Car;
import dev.rcdrive.station.drive.DriveState.Input;
import dev.rcdrive.station.drive.DriveState.Mode;
import dev.rcdrive.station.drive.DriveState.Notice;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The station's safety rules in one place: plain Java, the clock passed in (WPILib's MotorSafety,
 * STYLE.md). Inputs hand over only their {@link Axes} and the driver's acts; this controller alone
 * holds whether the car is armed, and composes every control frame from that state at the moment
 * the frame is sent (its {@link ControlLoop} asks {@link #frame} in the loop's send order). Views
 * read {@link #state()}. One way through: input → controller → frame.
 *
 * <p>The rules, each a row of {@code DriveControllerTest} on a virtual clock:
 *
 * <ul>
 *   <li>Disarmed at start; arming and disarming are the driver's acts. Only an armed frame carries
 *       the input's axes; every other frame is neutral.
 *   <li>Arming with a controller takes effect once its throttle and brake are released (an RC
 *       transmitter's throttle check); until then {@link Mode#ARMING} and disarmed frames.
 *   <li>E-STOP latches at once and disarms; only "Clear E-STOP" releases it, disarmed.
 *   <li>The input in use not renewed for {@link #STALE_MILLIS} (a frozen window, a dead poll
 *       thread): disarmed, and it stays so when the input comes back, until the driver arms again.
 *   <li>The controller in use unplugged: one neutral frame at once, disarmed; the keyboard takes
 *       over, disarmed. A controller that appears while armed disarms: it never drives on an arm it
 *       was not there for.
 *   <li>The window loses focus or closes: keys released, neutral, disarmed.
 *   <li>The car's telemetry older than {@link #CAR_SILENT_MILLIS}: not responding, and arming is
 *       refused; older than {@link #CAR_LOST_MILLIS} while armed: disarmed. The link leaving {@link
 *       DriveState.Link#UP} (interrupted, the car offline, failed): the car's state is forgotten
 *       and the car disarmed; arming is refused until the link is up again.
 *   <li>The car says it failed safe while the driver is armed: disarmed with the car's reason (the
 *       car clears its failsafe only on a disarmed frame, so staying "armed" could never drive
 *       again); a FAILSAFE that may predate the arm ({@link #CAR_ANSWER_MILLIS}) does not count.
 *   <li>Not sending to any car: arming is refused with the reason (nothing to arm).
 *   <li>Leaving a car: one neutral frame last (with the E-STOP it had: the car keeps it latched);
 *       after {@link #close()} nothing is ever sent.
 * </ul>
 *
 * <p>Threads: every method may be called from any thread. The FX thread's calls (keyboard, toolbar,
 * window) have their frame sent on the loop's thread, never blocking; the controller's calls
 * ({@code controller…}, from its poll thread) send on the calling thread, at once. Lock order: a
 * loop's send order, then this controller's lock; the controller never calls a loop while holding
 * its own lock. Because a frame is composed inside the send order, an armed frame can never follow
 * a disarm's frame unless the driver armed again.
 */
public final class DriveController implements AutoCloseable {

  /** The input in use not renewed for this long is stale, and the car is disarmed. */
  public static final long STALE_MILLIS = 500;

  /**
   * The car's newest telemetry older than this (it comes at 20 Hz): "car not responding", and
   * arming is refused. ICE needs seconds to call a dead link disconnected; telemetry tells at once.
   */
  public static final long CAR_SILENT_MILLIS = 300;

  /**
   * The car silent this long while armed: disarmed (it is in its own failsafe by now, and must not
   * come back driving on an arm made before the silence). Longer than {@link #CAR_SILENT_MILLIS} so
   * one late burst of telemetry on a mobile link costs the driver no re-arm.
   */
  public static final long CAR_LOST_MILLIS = 1000;

  /**
   * A car's report heard this soon after arming may describe frames sent before it: its FAILSAFE
   * counts only once the car said ARMED since, or after this long.
   */
  public static final long CAR_ANSWER_MILLIS = 300;

  static final String KEYBOARD = "Keyboard";
  static final String NOT_CONNECTED =
      "Not connected to a car: nothing to arm. Connect in the side panel, or go back to the demo";
  static final String DISARMED = "Disarmed: arm to drive (Enter, or the controller's arm button)";
  static final String RELEASE_TO_ARM = "Release throttle and brake to arm";
  static final String ESTOP = "E-STOP: \"Clear E-STOP\" releases it; the car is then disarmed";
  static final String CLEAR_ESTOP_FIRST = "Clear the E-STOP first";
  static final String FOCUS_LOST = "Disarmed: the window lost focus";
  static final String CAR_SILENT = "The car is not responding: it cannot be armed now";
  static final String CAR_LOST = "Disarmed: the car stopped answering. Arm again when it answers";
  static final String LINK_LOST =
      "Disarmed: the link to the car is down. Arm again when it is back";
  static final String NO_LINK = "The car is not connected: it cannot be armed now";
  static final String STALE =
      "Disarmed: no input for half a second (the window or the controller stopped answering)."
          + " Arm again to drive";

  /**
   * Opens the loop that carries one car's frames: {@link ControlLoop#start} in the station, {@link
   * ControlLoop#manual} in tests.
   */
  @FunctionalInterface
  public interface Loops {
    ControlLoop open(Supplier<DriveIntent> source, Predicate<byte[]> channel);
  }

  private final LongSupplier clock;
  private final Loops loops;
  private final Object lock = new Object();

  // Guarded by lock.
  private boolean armRequested;
  private boolean throttleChecked;
  private boolean estop;
  private String disarmReason = DISARMED;
  private Input input = Input.KEYBOARD;
  private String controllerName = "";
  private Axes keyboardAxes = Axes.NEUTRAL;
  private Axes controllerAxes = Axes.NEUTRAL;
  private long keyboardRenewed;
  private long controllerRenewed;
  private Notice notice = Notice.NONE;
  private Car car = Car.UNKNOWN;
  private DriveState.Link linkFact = DriveState.Link.NONE;
  private long armedAt;
  private boolean carArmedSinceArm;
  private Link link;
  private boolean closed;

  private volatile DriveState state = DriveState.INITIAL;

  /** With the system's clock, sending on a {@link ControlLoop} thread of its own per car. */
  public DriveController() {
    this(System::nanoTime, ControlLoop::start);
  }

  /**
   * @param nanoClock monotonic nanoseconds ({@code System::nanoTime}; a virtual clock in tests)
   */
  public DriveController(LongSupplier nanoClock, Loops loops) {
    this.clock = nanoClock;
    this.loops = loops;
    keyboardRenewed = nanoClock.getAsLong();
    controllerRenewed = keyboardRenewed;
  }

  /** The state now; a new snapshot on every change. */
  public DriveState state() {
    return state;
  }

  // ---- the car's link -----------------------------------------------------------------------

  /** Frames go to this control channel from now on, until {@link #leave}. */
  public void attach(Predicate<byte[]> channel) {
    synchronized (lock) {
      if (closed) {
        return;
      }
      if (link != null) {
        throw new IllegalStateException("already sending to a car: leave it first");
      }
      Link next = new Link();
      next.loop = loops.open(next, channel);
      link = next;
      car = Car.UNKNOWN;
      publishLocked();
    }
  }

  /**
   * Leaves the car: disarmed and E-STOP cleared here, for the next car; the inputs reach no frame
   * any more. Returns what is still to do, off the FX thread and before the link closes: send the
   * last frame (neutral, disarmed, E-STOP as it was: the car keeps it) and stop the loop.
   */
  public Runnable leave() {
    Link gone;
    synchronized (lock) {
      gone = detachLocked();
      estop = false;
      keyboardAxes = Axes.NEUTRAL;
      linkFact = DriveState.Link.NONE;
      car = Car.UNKNOWN; // what the last car said is not news about the next
      disarmLocked(DISARMED, false);
      publishLocked();
    }
    return gone == null ? () -> {} : gone.loop::close;
  }

  /** The window closed: the last frame as {@link #leave}, at once; nothing is ever sent after. */
  @Override
  public void close() {
    Link gone;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      gone = detachLocked();
      keyboardAxes = Axes.NEUTRAL;
      disarmLocked(DISARMED, false);
      publishLocked();
    }
    if (gone != null) {
      gone.loop.close();
    }
  }

  /** The car's state from its newest telemetry, as it arrives. */
  public void carHeard(CarState carState) {
    carHeard(carState, null, clock.getAsLong());
  }

  /** The car's state and its reason for it (null: it gave none), as they arrive. */
  public void carHeard(CarState carState, StateReason reason) {
    carHeard(carState, reason, clock.getAsLong());
  }

  /** The car's state from its newest telemetry, which arrived at {@code heardAtNanos}. */
  public void carHeard(CarState carState, long heardAtNanos) {
    carHeard(carState, null, heardAtNanos);
  }

  /**
   * The car's state from its newest telemetry and its reason for it (null: it gave none), which
   * arrived at {@code heardAtNanos} on this controller's clock (the view hands it over later, at
   * its next pulse: the age counts from the arrival, not from the pulse). A FAILSAFE while the
   * driver is armed disarms, with the car's reason.
   */
  public void carHeard(CarState carState, StateReason reason, long heardAtNanos) {
    change(
        false,
        false,
        () -> {
          long now = clock.getAsLong();
          StateReason explains = reason != null && reason.state() == carState ? reason : null;
          boolean responding =
              now - heardAtNanos <= TimeUnit.MILLISECONDS.toNanos(CAR_SILENT_MILLIS);
          car = new Car(carState, heardAtNanos, responding, explains);
          if (!armRequested) {
            return;
          }
          if (carState == CarState.ARMED) {
            carArmedSinceArm = true;
          } else if (carState == CarState.FAILSAFE
              && (carArmedSinceArm
                  || now - armedAt >= TimeUnit.MILLISECONDS.toNanos(CAR_ANSWER_MILLIS))) {
            disarmLocked(
                "Disarmed: the car failed safe ("
                    + CarWords.failsafe(explains)
                    + "). Arm again to drive",
                true);
          }
        });
  }

  /**
   * Where the link to the car stands, from the session. Leaving {@link DriveState.Link#UP} forgets
   * the car's state (it described the old link) and disarms: a link that comes back, or a new one
   * to a restarted car, drives only after the driver arms again (the car wants a disarmed frame
   * before an armed one at the start of every peer connection anyway).
   */
  public void linkChanged(DriveState.Link fact) {
    change(
        false,
        false,
        () -> {
          DriveState.Link before = linkFact;
          linkFact = fact;
          if (before == DriveState.Link.UP && fact != DriveState.Link.UP) {
            car = Car.UNKNOWN;
            if (armRequested) {
              disarmLocked(LINK_LOST, true);
            }
          }
        });
  }

  // ---- the FX thread: keyboard, toolbar, window ---------------------------------------------

  /** The keyboard's axes, every pulse: also its sign of life while it is the input in use. */
  public void keyboard(Axes axes) {
    change(
        false,
        false,
        () -> {
          keyboardAxes = axes;
          keyboardRenewed = clock.getAsLong();
        });
  }

  /** Enter, the toolbar's Arm button. */
  public void toggleArm() {
    change(false, false, this::toggleArmLocked);
  }

  /** Esc, the toolbar's E-STOP button. */
  public void emergencyStop() {
    change(false, false, this::emergencyStopLocked);
  }

  /** The toolbar's "Clear E-STOP": released, disarmed. */
  public void clearEmergencyStop() {
    change(
        false,
        false,
        () -> {
          estop = false;
          disarmLocked(DISARMED, false);
        });
  }

  /** The window lost the focus (another window, or it is closing): neutral, disarmed. */
  public void focusLost() {
    change(
        false,
        false,
        () -> {
          keyboardAxes = Axes.NEUTRAL;
          if (armRequested) {
            disarmLocked(FOCUS_LOST, true);
          }
        });
  }

  // ---- the controller's poll thread: sent on it, at once -------------------------------------

  /**
   * A controller is in use from now on (plugged in, or another picked). If the car was armed, it is
   * disarmed: the driver arms again for this controller.
   */
  public void controllerConnected(String name) {
    change(
        true,
        false,
        () -> {
          input = Input.CONTROLLER;
          controllerName = name;
          controllerAxes = Axes.NEUTRAL;
          controllerRenewed = clock.getAsLong();
          if (armRequested) {
            disarmLocked("Disarmed: " + name + " is connected. Arm again to drive with it", true);
          }
        });
  }

  /** The controller's axes, every poll: also its sign of life while it is in use. */
  public void controller(Axes axes) {
    change(
        true,
        false,
        () -> {
          if (input != Input.CONTROLLER) {
            return;
          }
          controllerAxes = axes;
          controllerRenewed = clock.getAsLong();
          if (armRequested && !throttleChecked && axes.released()) {
            throttleChecked = true;
          }
        });
  }

  /** The controller's arm button. */
  public void controllerToggleArm() {
    change(true, false, this::toggleArmLocked);
  }

  /** The controller's E-STOP button: latched, and the frame saying so sent on this thread. */
  public void controllerEmergencyStop() {
    change(true, false, this::emergencyStopLocked);
  }

  /** The controller in use is gone: one neutral frame now, disarmed; the keyboard takes over. */
  public void controllerLost(String name) {
    change(
        true,
        true,
        () -> {
          if (input != Input.CONTROLLER) {
            return;
          }
          input = Input.KEYBOARD;
          controllerAxes = Axes.NEUTRAL;
          keyboardRenewed = clock.getAsLong();
          if (armRequested) {
            disarmLocked(
                "Controller disconnected: " + name + ". Disarmed; plug it in and arm again", true);
          }
        });
  }

  // ---- frames -------------------------------------------------------------------------------

  /**
   * What a frame carries now; the loop asks at the moment it sends. Also where the stale rule is
   * checked: at every heartbeat, even when no input calls any more.
   */
  DriveIntent frame() {
    synchronized (lock) {
      return link == null ? composeLocked() : frameLocked(link);
    }
  }

  private DriveIntent frameLocked(Link asking) {
    if (asking.parting != null) {
      return asking.parting; // left: this loop's last frame, whatever the station does next
    }
    return composeLocked();
  }

  private DriveIntent composeLocked() {
    long now = clock.getAsLong();
    if (armRequested && now - renewedLocked() > TimeUnit.MILLISECONDS.toNanos(STALE_MILLIS)) {
      disarmLocked(STALE, true);
      publishLocked();
    }
    checkCarLocked(now);
    return intentLocked();
  }

  /** The telemetry age rule, at every heartbeat: silent → not responding; longer → disarmed. */
  private void checkCarLocked(long now) {
    if (car.state() == null) {
      return;
    }
    long silent = now - car.heardAtNanos();
    if (car.responding() && silent > TimeUnit.MILLISECONDS.toNanos(CAR_SILENT_MILLIS)) {
      car = new Car(car.state(), car.heardAtNanos(), false);
      publishLocked();
    }
    if (armRequested && silent > TimeUnit.MILLISECONDS.toNanos(CAR_LOST_MILLIS)) {
      disarmLocked(CAR_LOST, true);
      publishLocked();
    }
  }

  /**
   * Applies a change and sends the frame it alters: on the calling thread ({@code here}: the
   * controller's poll thread) or handed to the loop's thread (the FX thread must not block).
   *
   * @param always send a frame even when it did not change (an unplug's one neutral frame)
   */
  private void change(boolean here, boolean always, Runnable mutation) {
    ControlLoop target;
    synchronized (lock) {
      if (closed) {
        return;
      }
      DriveIntent before = intentLocked();
      mutation.run();
      publishLocked();
      boolean changed = always || !intentLocked().equals(before);
      target = changed && link != null ? link.loop : null;
    }
    if (target == null) {
      return;
    }
    if (always) {
      target.heartbeat();
    } else if (here) {
      target.changedHere();
    } else {
      target.changed();
    }
  }

  private void toggleArmLocked() {
    if (estop) {
      tellLocked(CLEAR_ESTOP_FIRST);
    } else if (armRequested) {
      disarmLocked(DISARMED, false);
    } else if (link == null) {
      tellLocked(NOT_CONNECTED);
    } else if (linkFact != DriveState.Link.NONE && linkFact != DriveState.Link.UP) {
      tellLocked(NO_LINK);
    } else if (car.state() != null
        && (!car.responding()
            || clock.getAsLong() - car.heardAtNanos()
                > TimeUnit.MILLISECONDS.toNanos(CAR_SILENT_MILLIS))) {
      tellLocked(CAR_SILENT);
    } else {
      armRequested = true;
      armedAt = clock.getAsLong();
      carArmedSinceArm = false;
      throttleChecked = input == Input.KEYBOARD || controllerAxes.released();
    }
  }

  private void emergencyStopLocked() {
    estop = true;
    armRequested = false;
    throttleChecked = false;
  }

  private void disarmLocked(String why, boolean tell) {
    armRequested = false;
    throttleChecked = false;
    disarmReason = why;
    if (tell) {
      tellLocked(why);
    }
  }

  private void tellLocked(String text) {
    notice = new Notice(notice.number() + 1, text);
  }

  private Link detachLocked() {
    Link gone = link;
    link = null;
    if (gone != null) {
      gone.parting = DriveIntent.NEUTRAL.withEstop(estop);
    }
    return gone;
  }

  private Mode modeLocked() {
    if (estop) {
      return Mode.ESTOP;
    }
    if (!armRequested) {
      return Mode.DISARMED;
    }
    return throttleChecked ? Mode.ARMED : Mode.ARMING;
  }

  private DriveIntent intentLocked() {
    if (modeLocked() != Mode.ARMED) {
      return DriveIntent.NEUTRAL.withEstop(estop);
    }
    Axes axes = activeAxesLocked();
    return new DriveIntent(axes.steering(), axes.drive(), axes.brake(), true, false, 0);
  }

  private Axes activeAxesLocked() {
    return input == Input.CONTROLLER ? controllerAxes : keyboardAxes;
  }

  private long renewedLocked() {
    return input == Input.CONTROLLER ? controllerRenewed : keyboardRenewed;
  }

  private void publishLocked() {
    Mode mode = modeLocked();
    DriveState next =
        new DriveState(
            mode,
            switch (mode) {
              case ESTOP -> ESTOP;
              case ARMING -> RELEASE_TO_ARM;
              case ARMED -> "";
              case DISARMED -> disarmReason;
            },
            input,
            input == Input.CONTROLLER ? controllerName : KEYBOARD,
            activeAxesLocked(),
            link != null,
            notice,
            car,
            linkFact);
    if (!next.equals(state)) {
      state = next;
    }
  }

  /** One car's frames: its loop, and once left, the one frame that loop still sends. */
  private final class Link implements Supplier<DriveIntent> {
    ControlLoop loop;
    DriveIntent parting; // guarded by lock

    @Override
    public DriveIntent get() {
      synchronized (lock) {
        return frameLocked(this);
      }
    }
  }
}
