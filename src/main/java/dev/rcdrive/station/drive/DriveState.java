package dev.rcdrive.station.drive;

import dev.rcdrive.protocol.CarState;
import dev.rcdrive.protocol.StateReason;

/**
 * What the {@link DriveController} holds, as one immutable snapshot: the only thing views read
 * about arming, E-STOP and the input in use. A new snapshot is published on every change (and on
 * every input's new axes, for the gauges).
 *
 * @param mode whether the car may move, and if not, which kind of not
 * @param reason why the car is not driving and what to do next ("" while it drives)
 * @param input the input in use: a connected controller drives, else the keyboard
 * @param inputName "Keyboard", or the controller's name
 * @param axes the input in use's axes now (the gauges; frames carry them only while armed)
 * @param attached whether frames go to a car right now
 * @param notice the newest message for the driver about an event (a disarm they did not ask for, a
 *     refused act); a new one has a higher number
 * @param car what the car last said about itself, when, and whether it still answers
 * @param link where the link to the car stands, as the session reports it
 */
public record DriveState(
    Mode mode,
    String reason,
    Input input,
    String inputName,
    Axes axes,
    boolean attached,
    Notice notice,
    Car car,
    Link link) {

  public enum Mode {
    /** Nothing moves the car; the driver arms (Enter, the controller's arm button). */
    DISARMED,
    /**
     * The driver armed with a controller whose throttle or brake is pressed: armed once they are
     * released (an RC transmitter's throttle check). Frames stay disarmed meanwhile.
     */
    ARMING,
    /** Frames carry the input's axes, armed. */
    ARMED,
    /** Latched: only "Clear E-STOP" releases it, and the car is then disarmed. */
    ESTOP
  }

  /** The link to the car, as the station knows it (the facts; the words are the view's). */
  public enum Link {
    /** Not driving a car (no session, or signaling only). */
    NONE,
    /** Asking for the car, negotiating, or checking ICE: no control channel yet. */
    CONNECTING,
    /** Connected: frames reach the car. */
    UP,
    /** It was up and is interrupted: ICE restarts are under way. */
    INTERRUPTED,
    /** The signaling server lists the car offline: nothing to restart until it comes back. */
    CAR_OFFLINE,
    /** The link failed or closed and nothing revives it; the driver connects again. */
    FAILED
  }

  public enum Input {
    KEYBOARD,
    CONTROLLER
  }

  /** A sentence for the driver, numbered so the same words twice are two messages. */
  public record Notice(long number, String text) {
    public static final Notice NONE = new Notice(0, "");
  }

  /**
   * The car's own word: its state from its newest telemetry and when that arrived (on the
   * controller's clock), so a view can tell a car that stopped answering from one that is still.
   *
   * @param state null before any telemetry (and again once the link went down: a state from an old
   *     link says nothing about the car now)
   * @param heardAtNanos the controller's clock when it arrived; meaningless while {@code state} is
   *     null
   * @param responding false once the newest telemetry is older than {@link
   *     DriveController#CAR_SILENT_MILLIS}: "car not responding", whatever {@code state} says
   * @param reason the car's own reason for {@code state}, null when it gave none (an older car)
   */
  public record Car(CarState state, long heardAtNanos, boolean responding, StateReason reason) {
    public static final Car UNKNOWN = new Car(null, 0, false, null);

    public Car(CarState state, long heardAtNanos, boolean responding) {
      this(state, heardAtNanos, responding, null);
    }

    /**
     * The state to show: null unless the car answers (a silent car's last word is not its state).
     */
    public CarState current() {
      return responding ? state : null;
    }
  }

  public static final DriveState INITIAL =
      new DriveState(
          Mode.DISARMED,
          DriveController.DISARMED,
          Input.KEYBOARD,
          DriveController.KEYBOARD,
          Axes.NEUTRAL,
          false,
          Notice.NONE,
          Car.UNKNOWN,
          Link.NONE);

  /** The driver's arm request stands (armed, or waiting for throttle and brake to be released). */
  public boolean armRequested() {
    return mode == Mode.ARMED || mode == Mode.ARMING;
  }
}
