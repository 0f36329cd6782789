package dev.rcdrive.station.hud;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rcdrive.station.link.StageBreakdown;
import org.junit.jupiter.api.Test;

class StagesTextTest {

  private static StageBreakdown.Stages stages(String endPoint, long frames, double encode) {
    return new StageBreakdown.Stages(
        1.2, encode, 0, 0.1, 11, 12, 0.4, 13, 1.5, 0.3, 4.0, 21.1, 22.0, endPoint, frames);
  }

  @Test
  void oneStageALineThenTheSumAndTheMeasuredFigure() {
    String text = HudModel.stagesText(stages("shown", 30, 3.0));

    assertThat(text.lines())
        .containsExactly(
            "capture → encoder     1.2 ms",
            "encode                3.0 ms",
            "pacer                 0.0 ms",
            "network (½ RTT)       0.1 ms",
            "jitter buffer        11.0 ms",
            "decode                1.5 ms",
            "convert               0.3 ms",
            "wait for pulse        4.0 ms",
            "sum                  21.1 ms",
            "measured             22.0 ms",
            "(capture → shown, mean of 30 frames)");
  }

  @Test
  void anUnknownStageIsADashAndNoVideoSaysSo() {
    String text = HudModel.stagesText(stages("decoded", 30, Double.NaN));
    assertThat(text.lines()).contains("encode                  –");
    assertThat(text).doesNotContain("convert").endsWith("(capture → decoded, mean of 30 frames)");
    assertThat(HudModel.stagesText(stages("shown", 0, 3))).isEqualTo("no video in the last second");
  }
}
