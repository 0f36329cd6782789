package dev.rcdrive.station.gamepad.mapping;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * How one control becomes one normalized axis: which control, its calibration, and the driver's
 * feel settings. Two shapes:
 *
 * <ul>
 *   <li>{@link Shape#STICK}: a centring axis, −1…1 around {@code center}, reaching ±1 at {@code
 *       min}/{@code max} (raw JInput units). {@code partner} names the stick's other axis: the
 *       deadzone is then radial (a circle around the centre, not a cross).
 *   <li>{@link Shape#RANGE}: 0…1 from the raw value at rest ({@code released}) to fully pressed
 *       ({@code pressed}). It covers triggers (Linux: −1 at rest, 1 pressed), one half of Windows's
 *       combined Z axis (0 at rest, −1 or +1), a button (0, 1) and one half of a stick.
 * </ul>
 *
 * Then, in this order: invert, deadzone, expo ({@code (1−e)·v + e·v³}), trim (added), clamp.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AxisBinding(
    String control,
    Shape shape,
    double center,
    double min,
    double max,
    double released,
    double pressed,
    double deadzone,
    double expo,
    boolean invert,
    double trim,
    String partner) {

  public enum Shape {
    STICK,
    RANGE
  }

  public AxisBinding {
    if (shape == null) {
      shape = Shape.RANGE;
    }
    deadzone = clamp(deadzone, 0, 0.9);
    expo = clamp(expo, 0, 1);
    trim = clamp(trim, -0.5, 0.5);
  }

  /** A stick axis, calibrated −1…1 around 0, with a radial deadzone shared with {@code partner}. */
  public static AxisBinding stick(String control, String partner) {
    return new AxisBinding(control, Shape.STICK, 0, -1, 1, 0, 0, 0.08, 0, false, 0, partner);
  }

  /** A range from {@code released} to {@code pressed} (raw units). */
  public static AxisBinding range(String control, double released, double pressed) {
    return new AxisBinding(
        control, Shape.RANGE, 0, 0, 0, released, pressed, 0.04, 0, false, 0, null);
  }

  public AxisBinding withControl(String id, Shape newShape, String newPartner) {
    return new AxisBinding(
        id,
        newShape,
        center,
        min,
        max,
        released,
        pressed,
        deadzone,
        expo,
        invert,
        trim,
        newPartner);
  }

  public AxisBinding withStickCalibration(double newCenter, double newMin, double newMax) {
    return new AxisBinding(
        control, shape, newCenter, newMin, newMax, released, pressed, deadzone, expo, invert, trim,
        partner);
  }

  public AxisBinding withRange(double newReleased, double newPressed) {
    return new AxisBinding(
        control,
        shape,
        center,
        min,
        max,
        newReleased,
        newPressed,
        deadzone,
        expo,
        invert,
        trim,
        partner);
  }

  public AxisBinding withFeel(
      double newDeadzone, double newExpo, boolean newInvert, double newTrim) {
    return new AxisBinding(
        control,
        shape,
        center,
        min,
        max,
        released,
        pressed,
        newDeadzone,
        newExpo,
        newInvert,
        newTrim,
        partner);
  }

  /**
   * The output for a raw reading ({@code partnerRaw}: the partner axis, NaN when none). STICK gives
   * −1…1, RANGE 0…1; a missing or non-finite reading gives 0 (neutral).
   */
  public double apply(double raw, double partnerRaw) {
    if (!Double.isFinite(raw)) {
      return 0;
    }
    if (shape == Shape.RANGE) {
      double span = pressed - released;
      double v = span == 0 ? 0 : clamp((raw - released) / span, 0, 1);
      if (invert) {
        v = 1 - v;
      }
      v = deadband(v, deadzone);
      return clamp(curve(v, expo) + trim, 0, 1);
    }
    double x = centred(raw);
    if (invert) {
      x = -x;
    }
    if (partner != null && Double.isFinite(partnerRaw)) {
      double y = centred(partnerRaw);
      double magnitude = Math.hypot(x, y);
      if (magnitude <= deadzone) {
        x = 0;
      } else {
        // Scale the vector so its length rises from 0 at the deadzone's edge to 1 at full throw.
        x *= (Math.min(1, magnitude) - deadzone) / (1 - deadzone) / magnitude;
      }
    } else {
      x = Math.copySign(deadband(Math.abs(x), deadzone), x);
    }
    return clamp(curve(x, expo) + trim, -1, 1);
  }

  private double centred(double raw) {
    double v =
        raw >= center
            ? (max == center ? 0 : (raw - center) / (max - center))
            : (min == center ? 0 : (raw - center) / (center - min));
    return clamp(v, -1, 1);
  }

  static double deadband(double v, double zone) {
    return v <= zone ? 0 : (v - zone) / (1 - zone);
  }

  static double curve(double v, double expo) {
    return (1 - expo) * v + expo * v * v * v;
  }

  static double clamp(double v, double lo, double hi) {
    return Double.isNaN(v) ? 0 : Math.max(lo, Math.min(hi, v));
  }
}
