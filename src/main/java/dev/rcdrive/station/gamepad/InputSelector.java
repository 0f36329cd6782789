package dev.rcdrive.station.gamepad;

import dev.rcdrive.station.drive.DriveIntent;
import dev.rcdrive.station.input.InputSource;
import dev.rcdrive.station.input.KeyboardInput;

/**
 * Which input drives at each FX pulse, and what the view model must do about it: a connected
 * controller drives (and sends its own intents from its poll thread, so the pulse must not push a
 * second, competing one); otherwise the keyboard drives and the pulse pushes its intent as before.
 * The pulse a controller is lost on, the station disarms. One place for this policy, so the view
 * model cannot get it half right.
 */
public final class InputSelector {

  /**
   * What to do this pulse.
   *
   * @param source the input in use (for the HUD's name and gauges)
   * @param intent what it wants now (for the gauges; pushed only when {@code push})
   * @param push whether the view model sends {@code intent} to the control loop
   * @param disarm whether the station must disarm now (the controller in use was lost)
   * @param message a sentence for the HUD, or null
   */
  public record Pulse(
      InputSource source, DriveIntent intent, boolean push, boolean disarm, String message) {}

  private final KeyboardInput keyboard;
  private final GamepadInput gamepad;
  private boolean padWasDriving;

  public InputSelector(KeyboardInput keyboard, GamepadInput gamepad) {
    this.keyboard = keyboard;
    this.gamepad = gamepad;
  }

  public Pulse pulse(double seconds, boolean armed, boolean estop) {
    boolean padDrives = gamepad.active();
    boolean lost = padWasDriving && !padDrives;
    padWasDriving = padDrives;
    boolean stationArmed = armed && !lost;
    // Always tell the controller the station's state: it clears its re-arm latch on a disarm.
    DriveIntent padIntent = gamepad.poll(seconds, stationArmed, estop);
    String message = null;
    if (lost) {
      GamepadInput.Status status = gamepad.status();
      message = status.message().isEmpty() ? "Controller disconnected" : status.message();
    }
    if (padDrives) {
      keyboard.releaseAll(); // keys held when the pad took over must not drive when it leaves
      return new Pulse(gamepad, padIntent, false, false, null);
    }
    return new Pulse(
        keyboard, keyboard.poll(seconds, stationArmed, estop), true, lost && armed, message);
  }
}
