package dev.rcdrive.station.drive;

/**
 * What one control frame carries: immutable, normalized, and safe by default ({@link #NEUTRAL} is
 * disarmed). In the station the {@link DriveController} composes it from the input's {@link Axes}
 * and its own arm state; test drivers and benchmarks set it directly.
 */
public record DriveIntent(
    double steering, double throttle, double brake, boolean armed, boolean estop, int buttons) {

  public static final DriveIntent NEUTRAL = new DriveIntent(0, 0, 0, false, false, 0);

  public DriveIntent {
    steering = clamp(steering, -1, 1);
    throttle = clamp(throttle, -1, 1);
    brake = clamp(brake, 0, 1);
    buttons &= 0xFFFF;
  }

  public DriveIntent withArmed(boolean value) {
    return new DriveIntent(steering, throttle, brake, value, estop, buttons);
  }

  public DriveIntent withEstop(boolean value) {
    return new DriveIntent(steering, throttle, brake, armed, value, buttons);
  }

  public DriveIntent withAxes(double newSteering, double newThrottle, double newBrake) {
    return new DriveIntent(newSteering, newThrottle, newBrake, armed, estop, buttons);
  }

  private static double clamp(double value, double min, double max) {
    return Double.isNaN(value) ? 0 : Math.max(min, Math.min(max, value));
  }
}
