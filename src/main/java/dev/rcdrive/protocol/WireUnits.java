package dev.rcdrive.protocol;

/** Fixed-point conversions shared by the binary frames: one place for every scale factor. */
final class WireUnits {

  /** Normalized axis values (-1..1, 0..1) travel as integers in 1/10000 steps. */
  static final int AXIS_SCALE = 10_000;

  /** Speed travels as a signed 16-bit count of cm/s. */
  static final int SPEED_SCALE = 100;

  /** Battery voltage travels as unsigned 16-bit millivolts; all ones means "no battery sensor". */
  static final int BATTERY_ABSENT = 0xFFFF;

  static final long MAX_U32 = 0xFFFF_FFFFL;

  private WireUnits() {}

  static int axisToWire(double value) {
    return (int) Math.round(value * AXIS_SCALE);
  }

  static double axisFromWire(int wire) {
    return wire / (double) AXIS_SCALE;
  }

  /** Rounds to what the wire can carry, so a record always equals its own decoded copy. */
  static double quantizeAxis(double value) {
    return axisFromWire(axisToWire(value));
  }

  static double quantizeSpeed(double metresPerSecond) {
    return Math.round(metresPerSecond * SPEED_SCALE) / (double) SPEED_SCALE;
  }

  static double quantizeVolts(double volts) {
    return Double.isNaN(volts) ? Double.NaN : Math.round(volts * 1000) / 1000.0;
  }

  static void requireRange(String field, double value, double min, double max) {
    if (!(value >= min && value <= max)) { // also refuses NaN
      throw new IllegalArgumentException(
          field + " must be in [" + min + ", " + max + "]: " + value);
    }
  }

  static void requireU32(String field, long value) {
    if (value < 0 || value > MAX_U32) {
      throw new IllegalArgumentException(field + " must be an unsigned 32-bit value: " + value);
    }
  }

  static void requireNonNegative(String field, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(field + " must not be negative: " + value);
    }
  }
}
