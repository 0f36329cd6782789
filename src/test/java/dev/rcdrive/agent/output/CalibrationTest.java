package dev.rcdrive.agent.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CalibrationTest {

  @ParameterizedTest(name = "{0}..{1}..{2} reverse={3} trim={4}: {5} → {6} µs")
  @CsvSource(
      textBlock =
          """
          1000, 1500, 2000, false,   0,  0,    1500
          1000, 1500, 2000, false,   0,  1,    2000
          1000, 1500, 2000, false,   0, -1,    1000
          1000, 1500, 2000, false,   0,  0.5,  1750
          1000, 1500, 2000, true,    0,  0.5,  1250
          1100, 1520, 1900, false,   0, -0.5,  1310
          1000, 1500, 2000, false,  40,  0,    1540
          1000, 1500, 2000, false,  40,  1,    2000
          1000, 1500, 2000, false,  40, -1,    1000
          1000, 1500, 2000, false,   0,  7,    2000
          1000, 1500, 2000, false,   0, -7,    1000
          """)
  void mapsValueToMicros(
      int min, int neutral, int max, boolean reverse, int trim, double value, int micros) {
    assertThat(new Calibration(min, neutral, max, reverse, trim, 0).micros(value))
        .isEqualTo(micros);
  }

  @Test
  void nanIsNeutral() {
    assertThat(new Calibration(1000, 1500, 2000, false, 20, 0).micros(Double.NaN)).isEqualTo(1520);
  }

  @Test
  void endPointsOutOfOrderAreRefused() {
    assertThatThrownBy(() -> new Calibration(1600, 1500, 2000, false, 0, 0))
        .hasMessageContaining("minUs < neutralUs < maxUs");
  }
}
