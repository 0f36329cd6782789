package dev.rcdrive.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.rcdrive.agent.AgentConfig;
import dev.rcdrive.agent.CarAgent;
import dev.rcdrive.protocol.CarState;
import dev.rcdrive.rtc.LinkOptions;
import dev.rcdrive.rtc.RtcEngine;
import dev.rcdrive.signaling.SignalingConfig;
import dev.rcdrive.signaling.SignalingServer;
import dev.rcdrive.station.drive.DriveIntent;
import dev.rcdrive.station.link.DriverSession;
import dev.rcdrive.station.link.LinkStatus;
import dev.rcdrive.testing.ScriptedControl;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The station's headless driver side against the real car agent. */
@Tag("slow")
class DriverSessionTest {

  private static RtcEngine engine;
  private static SignalingServer server;
  private static CarAgent agent;

  @BeforeAll
  static void start() throws Exception {
    engine = RtcEngine.create();
    server = SimWorld.server(new SignalingConfig.Car("ghost", null, "ghost-key"));
    agent =
        SimWorld.startCar(
            server, engine, new AgentConfig.Camera(AgentConfig.CameraKind.SIM, 640, 360, 30));
    await().atMost(Duration.ofSeconds(5)).until(() -> server.stats().onlineCars() == 1);
  }

  @AfterAll
  static void stop() {
    agent.close();
    server.close();
    engine.close();
  }

  @Test
  void drivesTheCarAndReportsEveryFigure() throws Exception {
    AtomicLong sinkFrames = new AtomicLong();
    DriverSession session =
        DriverSession.open(
            engine,
            server.uri(),
            "alice-token",
            LinkOptions.defaults(),
            f -> sinkFrames.incrementAndGet());
    ScriptedControl control = new ScriptedControl(session);
    try {
      session.ready().get(5, TimeUnit.SECONDS);
      session.listCars();
      await().atMost(Duration.ofSeconds(5)).until(() -> session.cars().cars().size() == 2);
      assertThat(session.cars().cars().get(0).online()).isTrue();
      assertThat(session.cars().cars().get(1).online()).isFalse();

      session.drive("sim").get(5, TimeUnit.SECONDS);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> session.status().phase() == LinkStatus.Phase.CONNECTED);
      control.set(DriveIntent.NEUTRAL);
      control.set(new DriveIntent(0, 0.7, 0, true, false, 0));
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  session.status().telemetry() != null
                      && session.status().telemetry().speedMps() > 0.5);
      await().atMost(Duration.ofSeconds(5)).until(() -> !Double.isNaN(session.status().videoFps()));

      LinkStatus status = session.status();
      assertThat(status.carState()).isEqualTo(CarState.ARMED);
      assertThat(status.localCandidate()).isEqualTo("host");
      assertThat(status.controlRttMs()).isBetween(0.0, 100.0);
      assertThat(status.videoFps()).isBetween(10.0, 40.0);
      assertThat(status.width()).isEqualTo(640);
      assertThat(status.bitrateKbps()).isPositive();
      assertThat(status.glassToGlassMs()).isBetween(0.0, 500.0);
      assertThat(sinkFrames.get()).isPositive();
      assertThat(session.rttSamples().count()).isPositive();
      // The car's health report (once a second) reaches the status; nothing was dropped.
      await().atMost(Duration.ofSeconds(3)).until(() -> session.status().health() != null);
      assertThat(session.status().health().camera())
          .isEqualTo(dev.rcdrive.protocol.HealthFrame.Camera.RUNNING);
      assertThat(session.telemetryDropped()).isZero();
    } finally {
      control.close(); // one neutral disarmed frame, while the link is still up
      session.close();
    }

    // Leaving: one neutral disarmed frame, the lock released, the car still.
    await().atMost(Duration.ofSeconds(2)).until(() -> agent.status().output().throttle() == 0);
    assertThat(agent.status().state()).isIn(CarState.DISARMED, CarState.FAILSAFE);
    await().atMost(Duration.ofSeconds(2)).until(() -> server.stats().drivenCars() == 0);
  }

  @Test
  void offlineCarIsRefusedWithItsCode() throws Exception {
    try (DriverSession session =
        DriverSession.open(engine, server.uri(), "alice-token", LinkOptions.defaults(), null)) {
      session.ready().get(5, TimeUnit.SECONDS);

      assertThatThrownBy(() -> session.drive("ghost").get(5, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(DriverSession.DriveRefused.class)
          .hasMessage("ghost is offline");
      assertThat(session.status().phase()).isEqualTo(LinkStatus.Phase.FAILED);
      assertThat(session.status().detail()).isEqualTo("ghost is offline");
    }
  }

  @Test
  void wrongTokenFailsReadyWithTheReason() {
    try (DriverSession session =
        DriverSession.open(engine, server.uri(), "nope", LinkOptions.defaults(), null)) {
      assertThatThrownBy(() -> session.ready().get(5, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasMessageContaining("wrong driver token");
    }
  }
}
