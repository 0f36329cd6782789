package dev.rcdrive.station.drive;

/**
 * One input's driving controls right now, normalized: what a keyboard or a game controller hands
 * the {@link DriveController}. No arm state: whether these axes may move the car is the
 * controller's decision alone.
 *
 * @param steering −1 (full left) … 1 (full right)
 * @param throttle 0 … 1, forward
 * @param reverse 0 … 1, brake then reverse (the keyboard's S, a controller's left trigger): sent as
 *     negative throttle, as the car's ESC expects
 * @param brake 0 … 1, the brake alone (the keyboard's Space)
 */
public record Axes(double steering, double throttle, double reverse, double brake) {

  public static final Axes NEUTRAL = new Axes(0, 0, 0, 0);

  /** Throttle, reverse and brake count as released below this. */
  public static final double AT_REST = 0.05;

  public Axes {
    steering = clamp(steering, -1, 1);
    throttle = clamp(throttle, 0, 1);
    reverse = clamp(reverse, 0, 1);
    brake = clamp(brake, 0, 1);
  }

  /** From one signed drive value (forward positive, reverse negative), as the keyboard ramps it. */
  public static Axes signed(double steering, double drive, double brake) {
    return new Axes(steering, Math.max(0, drive), Math.max(0, -drive), brake);
  }

  /** Forward positive, reverse negative: what a control frame's throttle carries. */
  public double drive() {
    return throttle - reverse;
  }

  /** Nothing pressed that could move the car: what arming with a controller waits for. */
  public boolean released() {
    return throttle < AT_REST && reverse < AT_REST && brake < AT_REST;
  }

  private static double clamp(double value, double min, double max) {
    return Double.isNaN(value) ? 0 : Math.max(min, Math.min(max, value));
  }
}
