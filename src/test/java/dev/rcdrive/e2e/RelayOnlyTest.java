package dev.rcdrive.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rcdrive.agent.AgentConfig;
import dev.rcdrive.agent.CarAgent;
import dev.rcdrive.agent.assembly.CarAssembly;
import dev.rcdrive.protocol.CarState;
import dev.rcdrive.protocol.TelemetryFrame;
import dev.rcdrive.rtc.LinkOptions;
import dev.rcdrive.rtc.LinkStats;
import dev.rcdrive.rtc.RtcEngine;
import dev.rcdrive.signaling.SignalingConfig;
import dev.rcdrive.signaling.SignalingServer;
import dev.rcdrive.testing.Coturn;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Both peers forced onto TURN relay candidates through a real coturn that the test starts, with the
 * credentials the signaling server mints in coturn's REST scheme: if the HMAC were wrong, coturn
 * would refuse the allocation and no pair would form.
 */
@Tag("slow")
class RelayOnlyTest {

  @Test
  void videoAndControlsFlowThroughTurnWithMintedCredentials() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Coturn.installed() || System.getenv("CI") != null, "coturn is not installed");
    try (Coturn turn = Coturn.start("relay-secret-" + System.nanoTime())) {
      CarAgent agent = driveThrough(turn, AgentConfig.Encoder.SOFTWARE);
      assertThat(agent.describeMedia()).contains("webrtc-java");
    }
  }

  /**
   * A car on {@code encoder}'s media path and a driver, both relay-only through {@code turn} with
   * the credentials the signaling server mints: video flows, a control frame arms the car and is
   * echoed, and both ends of the selected pair are relay candidates. Returns the car (closed).
   */
  static CarAgent driveThrough(Coturn turn, AgentConfig.Encoder encoder) throws Exception {
    try (RtcEngine engine = RtcEngine.create();
        SignalingServer server =
            SimWorld.server(
                List.of(
                    new SignalingConfig.IceServerConfig(
                        List.of(turn.url()), null, null, turn.secret(), 600L)))) {
      AgentConfig config =
          SimWorld.car(
              server,
              new AgentConfig.Camera(AgentConfig.CameraKind.SIM, 640, 360, 30).withEncoder(encoder),
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
        TelemetryFrame telemetry = driver.latestTelemetry();

        assertThat(stats.localCandidateType()).isEqualTo("relay");
        assertThat(stats.remoteCandidateType()).isEqualTo("relay");
        assertThat(stats.framesDecoded()).isGreaterThan(30);
        assertThat(telemetry.hasEcho()).isTrue();
        assertThat(telemetry.state()).isEqualTo(CarState.ARMED);
        assertThat(agent.status().state()).isEqualTo(CarState.ARMED);
        return agent;
      } finally {
        driver.close();
        agent.close();
      }
    }
  }
}
