package dev.rcdrive.station.gamepad.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each per-axis setting as a table of raw input → output. */
class AxisBindingTest {

  private static final double EPS = 1e-4;

  private static AxisBinding stick(double deadzone, double expo, boolean invert, double trim) {
    return AxisBinding.stick("x", null).withFeel(deadzone, expo, invert, trim);
  }

  @ParameterizedTest(name = "deadzone {0}: {1} → {2}")
  @CsvSource(
      textBlock =
          """
          0.1,  0.05,  0
          0.1,  0.1,   0
          0.1,  0.55,  0.5
          0.1, -0.55, -0.5
          0.1,  1,     1
          0.2,  0.6,   0.5
          0,    0.01,  0.01
          """)
  void deadzoneCutsTheMiddleAndRescalesTheRest(double deadzone, double raw, double out) {
    assertThat(stick(deadzone, 0, false, 0).apply(raw, Double.NaN)).isCloseTo(out, within(EPS));
  }

  @ParameterizedTest(name = "expo {0}: {1} → {2}")
  @CsvSource(
      textBlock =
          """
          0,    0.5,   0.5
          0.5,  0.5,   0.3125
          0.5, -0.5,  -0.3125
          1,    0.5,   0.125
          1,    1,     1
          0.3,  0.2,   0.1424
          """)
  void expoSoftensTheCentreNotTheEnds(double expo, double raw, double out) {
    assertThat(stick(0, expo, false, 0).apply(raw, Double.NaN)).isCloseTo(out, within(EPS));
  }

  @ParameterizedTest(name = "invert {0}, trim {1}: {2} → {3}")
  @CsvSource(
      textBlock =
          """
          false, 0,     0.3,  0.3
          true,  0,     0.3, -0.3
          true,  0,    -1,    1
          false, 0.1,   0,    0.1
          false, 0.1,   1,    1
          false, 0.1,  -1,   -0.9
          true, -0.05,  0.5, -0.55
          """)
  void inversionAndTrim(boolean invert, double trim, double raw, double out) {
    assertThat(stick(0, 0, invert, trim).apply(raw, Double.NaN)).isCloseTo(out, within(EPS));
  }

  @ParameterizedTest(name = "centre {0} range {1}…{2}: {3} → {4}")
  @CsvSource(
      textBlock =
          """
          0.1, -0.8, 0.9,  0.1,   0
          0.1, -0.8, 0.9,  0.9,   1
          0.1, -0.8, 0.9, -0.8,  -1
          0.1, -0.8, 0.9,  0.5,   0.5
          0.1, -0.8, 0.9, -0.35, -0.5
          0.1, -0.8, 0.9,  1,     1
          """)
  void calibratedCentreAndRange(double center, double min, double max, double raw, double out) {
    AxisBinding b = stick(0, 0, false, 0).withStickCalibration(center, min, max);
    assertThat(b.apply(raw, Double.NaN)).isCloseTo(out, within(EPS));
  }

  @ParameterizedTest(name = "radial deadzone 0.2: ({0}, {1}) → {2}")
  @CsvSource(
      textBlock =
          """
          0.1,  0.1,  0
          0.1,  0.9,  0.0974
          1,    0,    1
          0.6,  0.8,  0.6
          0.15, 0,    0
          0.6,  0,    0.5
          """)
  void stickDeadzoneIsACircleNotACross(double x, double y, double out) {
    AxisBinding b = AxisBinding.stick("x", "y").withFeel(0.2, 0, false, 0);
    assertThat(b.apply(x, y)).isCloseTo(out, within(EPS));
  }

  @ParameterizedTest(name = "range {0}→{1}: {2} → {3}")
  @CsvSource(
      textBlock =
          """
          -1,  1, -1,    0
          -1,  1,  0,    0.5
          -1,  1,  1,    1
           0, -1, -0.5,  0.5
           0, -1,  0.5,  0
           0,  1,  0.5,  0.5
           0,  1, -0.7,  0
           0,  1,  1,    1
          """)
  void rangesCoverTriggersCombinedZAndButtons(
      double released, double pressed, double raw, double out) {
    AxisBinding b = AxisBinding.range("z", released, pressed).withFeel(0, 0, false, 0);
    assertThat(b.apply(raw, Double.NaN)).isCloseTo(out, within(EPS));
  }

  @Test
  void invertedRangeIsFullWhenReleased() {
    AxisBinding b = AxisBinding.range("z", -1, 1).withFeel(0, 0, true, 0);
    assertThat(b.apply(-1, Double.NaN)).isEqualTo(1);
    assertThat(b.apply(1, Double.NaN)).isZero();
  }

  @Test
  void badReadingsAreNeutral() {
    assertThat(stick(0, 0, false, 0).apply(Double.NaN, Double.NaN)).isZero();
    assertThat(stick(0, 0, false, 0).apply(Double.POSITIVE_INFINITY, 0)).isZero();
    assertThat(AxisBinding.range("z", -1, 1).apply(Double.NaN, Double.NaN)).isZero();
    assertThat(AxisBinding.range("z", 0, 0).apply(1, Double.NaN)).isZero(); // no travel at all
  }

  @Test
  void settingsAreKeptInTheirSafeRanges() {
    AxisBinding b = AxisBinding.stick("x", null).withFeel(5, -3, false, 9);
    assertThat(b.deadzone()).isEqualTo(0.9);
    assertThat(b.expo()).isZero();
    assertThat(b.trim()).isEqualTo(0.5);
  }
}
