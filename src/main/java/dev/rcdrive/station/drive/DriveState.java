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
 * @param car what the car last said about itself, and when
 */
public record DriveState(
    Mode mode,
    String reason,
    Input input,
    String inputName,
    Axes axes,
    boolean attached,
    Notice notice,
    Car car) {

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
   * @param state null before any telemetry
   * @param heardAtNanos the controller's clock when it arrived; meaningless while {@code state} is
   *     null
   * @param reason the car's own reason for {@code state}, null when it gave none (an older car)
   */
  public record Car(CarState state, long heardAtNanos, StateReason reason) {
    public static final Car UNKNOWN = new Car(null, 0, null);

    public Car(CarState state, long heardAtNanos) {
      this(state, heardAtNanos, null);
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
          Car.UNKNOWN);

  /** The driver's arm request stands (armed, or waiting for throttle and brake to be released). */
  public boolean armRequested() {
    return mode == Mode.ARMED || mode == Mode.ARMING;
  }
}
