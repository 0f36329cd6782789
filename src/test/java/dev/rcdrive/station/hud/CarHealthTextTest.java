package dev.rcdrive.station.hud;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rcdrive.protocol.HealthFrame;
import dev.rcdrive.protocol.HealthFrame.Camera;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the HUD says about the car's own health report. */
class CarHealthTextTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "RUNNING    | 0 | ''",
        "STARTING   | 0 | Camera starting…",
        "RESTARTING | 3 | Camera restarting… (3 restarts so far)",
        "FAILED     | 9 | 'Camera failed: the car sends no picture'",
      })
  void theCameraLineSaysWhatIsWrong(Camera camera, int restarts, String expected) {
    HealthFrame health = new HealthFrame(camera, restarts, Double.NaN, -1, -1);

    assertThat(HudModel.cameraText(health)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "NaN  | -1      | -1 | ''",
        "61.44| -1      | -1 | CPU 61 °C",
        "55.0 | 0       | 80 | CPU 55 °C · signal 80 %",
        "55.0 | 1       | -1 | CPU 55 °C · UNDER-VOLTAGE",
        "55.0 | 4       | -1 | CPU 55 °C · THROTTLED",
        "55.0 | 327680  | -1 | CPU 55 °C", // bits 16 and 18: only "since boot", nothing now
        "NaN  | 5       | 12 | UNDER-VOLTAGE · THROTTLED · signal 12 %",
      })
  void theHealthLineListsWhatTheCarKnows(
      double tempC, long throttled, int signal, String expected) {
    HealthFrame health = new HealthFrame(Camera.RUNNING, 0, tempC, throttled, signal);

    assertThat(HudModel.healthText(health)).isEqualTo(expected);
  }

  @org.junit.jupiter.api.Test
  void noReportNoText() {
    assertThat(HudModel.cameraText(null)).isEmpty();
    assertThat(HudModel.healthText(null)).isEmpty();
  }
}
