package dev.rcdrive.agent;

/**
 * The car's own limits; a driver's command can never exceed them.
 *
 * @param maxForward throttle cap forward, 0..1
 * @param maxReverse throttle cap in reverse, 0..1
 * @param steeringTrim added to steering (and its neutral), -0.5..0.5
 * @param steeringRange scales the driver's steering, 0..1
 * @param throttleSlewPerSecond how fast throttle magnitude may grow (1 = zero to full in 1 s);
 *     slowing down is never limited
 * @param steeringSlewPerSecond how fast steering may move, in full ranges per second
 */
public record Limits(
    double maxForward,
    double maxReverse,
    double steeringTrim,
    double steeringRange,
    double throttleSlewPerSecond,
    double steeringSlewPerSecond) {

  public Limits {
    check("maxForward", maxForward, 0, 1);
    check("maxReverse", maxReverse, 0, 1);
    check("steeringTrim", steeringTrim, -0.5, 0.5);
    check("steeringRange", steeringRange, 0, 1);
    check("throttleSlewPerSecond", throttleSlewPerSecond, 0.01, 1000);
    check("steeringSlewPerSecond", steeringSlewPerSecond, 0.01, 1000);
  }

  public static Limits defaults() {
    return new Limits(0.6, 0.3, 0, 1, 4, 8);
  }

  private static void check(String field, double value, double min, double max) {
    if (!(value >= min && value <= max)) {
      throw new IllegalArgumentException(
          "limits." + field + " must be in [" + min + ", " + max + "], got " + value);
    }
  }
}
