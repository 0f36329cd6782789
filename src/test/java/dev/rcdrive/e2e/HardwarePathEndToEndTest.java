package dev.rcdrive.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rcdrive.agent.AgentConfig;
import dev.rcdrive.gst.GstAvailable;
import dev.rcdrive.rtc.LinkStats;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every end-to-end and safety test of {@link CarAgentEndToEndTest} again with {@code
 * camera.encoder: hardware} and nothing else changed: the same station code drives a car whose
 * video comes from GStreamer's webrtcbin (x264enc standing in for the Pi's v4l2h264enc here).
 */
@Tag("slow")
class HardwarePathEndToEndTest extends CarAgentEndToEndTest {

  @BeforeAll
  static void needsGStreamer() {
    GstAvailable.assumeInstalled();
  }

  @Override
  AgentConfig.Encoder encoder() {
    return AgentConfig.Encoder.HARDWARE;
  }

  @Test
  void theStationsProbeSeesH264FromTheHardwarePath() throws Exception {
    TestDriver driver = connect("alice-token");
    await().atMost(Duration.ofSeconds(10)).until(() -> driver.frames.get() > 10);
    LinkStats stats = driver.link().stats().get(5, TimeUnit.SECONDS);
    assertThat(stats.codec()).isEqualToIgnoringCase("video/H264");
    assertThat(agent.describeMedia()).contains("x264enc");
  }

  /** The station's ICE restart (what it does after 1 s of silence) answered by webrtcbin. */
  @Test
  void anIceRestartKeepsVideoAndControlFlowingOnTheHardwarePath() throws Exception {
    TestDriver driver = connect("alice-token");
    await().atMost(Duration.ofSeconds(10)).until(() -> driver.frames.get() > 10);

    driver.link().restartIce();

    long before = driver.frames.get();
    await().atMost(Duration.ofSeconds(15)).until(() -> driver.frames.get() > before + 30);
    assertThat(driver.link().isOpen(dev.rcdrive.rtc.PeerLink.Channel.CONTROL)).isTrue();
    driver.hold(0, 0, false, 100);
    assertThat(driver.latestTelemetry().hasEcho()).isTrue();
    assertThat(driver.state.get()).isEqualTo(dev.rcdrive.rtc.PeerLink.State.CONNECTED);
    assertThat(agent.describeMedia()).contains("x264enc");
  }
}
