package dev.rcdrive.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rcdrive.agent.AgentConfig.Encoder;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code camera.encoder auto} against fake boards: what GStreamer lacks, whether there is an
 * encoder.
 */
class MediaPathTest {

  @Test
  void autoIsHardwareOnABoardWithAnEncoderAndGStreamer() {
    assertThat(MediaPath.resolve(Encoder.AUTO, List::of, () -> true)).isEqualTo(Encoder.HARDWARE);
  }

  @Test
  void autoIsSoftwareOnABoardWithoutAnEncoderLikeAPi5() {
    assertThat(MediaPath.resolve(Encoder.AUTO, List::of, () -> false)).isEqualTo(Encoder.SOFTWARE);
  }

  @Test
  void autoIsSoftwareWhenGStreamerIsIncomplete() {
    assertThat(
            MediaPath.resolve(
                Encoder.AUTO,
                () -> List.of("webrtcbin (apt install gstreamer1.0-plugins-bad)"),
                () -> true))
        .isEqualTo(Encoder.SOFTWARE);
  }

  @Test
  void anExplicitChoiceIsKeptAsItIs() {
    assertThat(MediaPath.resolve(Encoder.HARDWARE, List::of, () -> false))
        .isEqualTo(Encoder.HARDWARE);
    assertThat(MediaPath.resolve(Encoder.SOFTWARE, List::of, () -> true))
        .isEqualTo(Encoder.SOFTWARE);
  }
}
