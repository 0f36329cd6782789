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
    assertThat(MediaPath.resolve(Encoder.AUTO, List::of, () -> true, "aarch64"))
        .isEqualTo(Encoder.HARDWARE);
  }

  @Test
  void autoIsSoftwareOnABoardWithoutAnEncoderLikeAPi5() {
    assertThat(MediaPath.resolve(Encoder.AUTO, List::of, () -> false, "aarch64"))
        .isEqualTo(Encoder.SOFTWARE);
  }

  @Test
  void autoIsSoftwareWhenGStreamerIsIncomplete() {
    assertThat(
            MediaPath.resolve(
                Encoder.AUTO,
                () -> List.of("webrtcbin (apt install gstreamer1.0-plugins-bad)"),
                () -> true,
                "aarch64"))
        .isEqualTo(Encoder.SOFTWARE);
  }

  @Test
  void autoIsSoftwareOn32BitArmWhereTheHardwarePathIsNotProven() {
    assertThat(MediaPath.resolve(Encoder.AUTO, List::of, () -> true, "arm"))
        .isEqualTo(Encoder.SOFTWARE);
    assertThat(MediaPath.resolve(Encoder.HARDWARE, List::of, () -> true, "arm"))
        .as("asked for explicitly, it is tried")
        .isEqualTo(Encoder.HARDWARE);
  }

  @Test
  void anExplicitChoiceIsKeptAsItIs() {
    assertThat(MediaPath.resolve(Encoder.HARDWARE, List::of, () -> false, "aarch64"))
        .isEqualTo(Encoder.HARDWARE);
    assertThat(MediaPath.resolve(Encoder.SOFTWARE, List::of, () -> true, "aarch64"))
        .isEqualTo(Encoder.SOFTWARE);
  }
}
