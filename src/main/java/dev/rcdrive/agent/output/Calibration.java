package dev.rcdrive.agent.output;

/**
 * How a value -1..1 becomes a pulse width for one servo or ESC: {@code neutralUs + trimUs} at 0,
 * {@code maxUs} at +1 and {@code minUs} at -1 (swapped when {@code reverse}), never outside [minUs,
 * maxUs] whatever the trim.
 *
 * @param armMs how long the output holds neutral after start before it follows commands (an ESC
 *     arms only after it has seen neutral for a while); 0 for a servo
 */
public record Calibration(
    int minUs, int neutralUs, int maxUs, boolean reverse, int trimUs, int armMs) {

  /** The usual hobby servo and car ESC: 1000–2000 µs, neutral 1500 µs. */
  public static Calibration standard(int armMs) {
    return new Calibration(1000, 1500, 2000, false, 0, armMs);
  }

  public Calibration {
    if (minUs < 500 || maxUs > 2500 || !(minUs < neutralUs && neutralUs < maxUs)) {
      throw new IllegalArgumentException(
          "pulse widths must satisfy 500 <= minUs < neutralUs < maxUs <= 2500, got "
              + minUs
              + " / "
              + neutralUs
              + " / "
              + maxUs);
    }
    if (Math.abs(trimUs) > 250) {
      throw new IllegalArgumentException("trimUs must be within ±250, got " + trimUs);
    }
    if (armMs < 0 || armMs > 30_000) {
      throw new IllegalArgumentException("armMs must be 0-30000, got " + armMs);
    }
  }

  /** Neutral as sent: the trimmed centre, inside the end points. */
  public int neutralMicros() {
    return clamp(neutralUs + trimUs);
  }

  /** The pulse for {@code value} (-1..1, clamped; NaN is neutral). */
  public int micros(double value) {
    if (Double.isNaN(value)) {
      return neutralMicros();
    }
    double v = Math.max(-1, Math.min(1, reverse ? -value : value));
    double centre = neutralUs + trimUs;
    double us = v >= 0 ? centre + v * (maxUs - centre) : centre + v * (centre - minUs);
    return clamp((int) Math.round(us));
  }

  private int clamp(int us) {
    return Math.max(minUs, Math.min(maxUs, us));
  }
}
