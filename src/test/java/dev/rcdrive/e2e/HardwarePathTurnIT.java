package dev.rcdrive.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rcdrive.agent.AgentConfig;
import dev.rcdrive.agent.CarAgent;
import dev.rcdrive.agent.assembly.CarAssembly;
import dev.rcdrive.faults.NetNs;
import dev.rcdrive.gst.GstAvailable;
import dev.rcdrive.protocol.CarState;
import dev.rcdrive.rtc.LinkOptions;
import dev.rcdrive.rtc.LinkStats;
import dev.rcdrive.rtc.RtcEngine;
import dev.rcdrive.signaling.SignalingConfig;
import dev.rcdrive.signaling.SignalingServer;
import dev.rcdrive.testing.Coturn;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The car's hardware path (GStreamer webrtcbin, x264enc standing in for the Pi's encoder) through a
 * real coturn, both peers relay-only, with the credentials the signaling server mints. libnice,
 * webrtcbin's ICE agent, will not use a relay address on loopback (RelayOnlyTest's coturn), so this
 * coturn listens and relays on the root side of a veth pair the test creates ({@link NetNs}): an
 * address that is not loopback and that the test removes again. Needs root, as the fault ITs do.
 */
class HardwarePathTurnIT {

  @Test
  void videoAndControlsFlowThroughTurnOnTheHardwarePath() throws Exception {
    GstAvailable.assumeInstalled();
    Assumptions.assumeTrue(
        Coturn.installed() || System.getenv("CI") != null, "coturn is not installed");
    String noNamespaces = NetNs.unavailableReason();
    if (System.getenv("CI") == null) {
      Assumptions.assumeTrue(noNamespaces == null, noNamespaces);
    }
    try (NetNs pair = NetNs.create("turn");
        Coturn turn = Coturn.start("hw-relay-" + System.nanoTime(), pair.hostAddress());
        RtcEngine engine = RtcEngine.create();
        SignalingServer server =
            SimWorld.server(
                List.of(
                    new SignalingConfig.IceServerConfig(
                        List.of(turn.url()), null, null, turn.secret(), 600L)))) {
      AgentConfig config =
          SimWorld.car(
              server,
              new AgentConfig.Camera(AgentConfig.CameraKind.SIM, 640, 360, 30)
                  .withEncoder(AgentConfig.Encoder.HARDWARE),
              null,
              true);
      CarAgent agent = CarAssembly.start(config, engine);
      TestDriver driver =
          new TestDriver(
              engine, server.uri(), "alice-token", LinkOptions.defaults().withRelayOnly(true));
      try {
        await().atMost(Duration.ofSeconds(5)).until(() -> server.stats().onlineCars() == 1);
        driver.drive("sim");
        driver.awaitOpen();
        await().atMost(Duration.ofSeconds(15)).until(() -> driver.frames.get() > 30);
        driver.hold(0, 0, false, 200);
        driver.hold(0, 0, true, 300);

        LinkStats stats = driver.link().stats().get(5, TimeUnit.SECONDS);

        assertThat(agent.describeMedia()).contains("x264enc");
        assertThat(stats.codec()).isEqualToIgnoringCase("video/H264");
        assertThat(stats.localCandidateType()).isEqualTo("relay");
        assertThat(stats.remoteCandidateType()).isEqualTo("relay");
        assertThat(stats.framesDecoded()).isGreaterThan(30);
        assertThat(driver.latestTelemetry().hasEcho()).isTrue();
        assertThat(agent.status().state()).isEqualTo(CarState.ARMED);
      } finally {
        driver.close();
        agent.close();
      }
    }
  }
}
