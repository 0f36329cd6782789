package dev.rcdrive.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rcdrive.agent.AgentConfig;
import dev.rcdrive.agent.CarAgent;
import dev.rcdrive.protocol.CarState;
import dev.rcdrive.rtc.LinkOptions;
import dev.rcdrive.rtc.RtcEngine;
import dev.rcdrive.signaling.SignalingClient;
import dev.rcdrive.signaling.SignalingConfig;
import dev.rcdrive.signaling.SignalingServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Revoking a driver while it drives (issue 15): the WebRTC link needs no server once made, so only
 * the car can end it. A real server, the simulated car, a driver over real peer connections.
 */
@Tag("slow")
class RevocationEndToEndTest {

  @Test
  void aRevokedDriverLosesTheCarAtOnceAndAnotherDriverCanTakeIt() throws Exception {
    try (RtcEngine engine = RtcEngine.create();
        SignalingServer server = SimWorld.server()) {
      CarAgent car =
          SimWorld.startCar(
              server, engine, new AgentConfig.Camera(AgentConfig.CameraKind.SIM, 320, 240, 15));
      try (TestDriver alice =
          new TestDriver(engine, server.uri(), "alice-token", LinkOptions.defaults())) {
        await().atMost(Duration.ofSeconds(5)).until(() -> server.stats().onlineCars() == 1);
        alice.drive(SimWorld.CAR);
        alice.awaitOpen();
        alice.hold(0, 0, false, 100);
        alice.hold(0, 0.5, true, 300);
        assertThat(car.status().state()).isEqualTo(CarState.ARMED);

        String summary =
            server.reload(
                new SignalingConfig(
                    "127.0.0.1",
                    0,
                    null,
                    List.of(new SignalingConfig.Car(SimWorld.CAR, "Sim car", SimWorld.KEY)),
                    List.of(new SignalingConfig.Driver("bob", "bob-token")),
                    List.of(),
                    null));

        assertThat(summary).contains("driver tokens added 0, removed 1").contains("1 connection");
        await()
            .atMost(Duration.ofSeconds(5))
            .until(() -> alice.signalingState() == SignalingClient.State.STOPPED);
        await()
            .atMost(Duration.ofSeconds(2))
            .until(
                () ->
                    car.status().state() == CarState.FAILSAFE
                        && String.valueOf(car.status().reason()).contains("revoked"));
        alice.hold(0, 0.8, true, 300); // still trying, on a link the car has closed
        assertThat(car.status().state()).isNotEqualTo(CarState.ARMED);
        assertThat(car.status().output().throttle()).isZero();
        assertThat(server.stats().onlineCars()).as("the car stays registered").isEqualTo(1);
      }

      try (TestDriver bob =
          new TestDriver(engine, server.uri(), "bob-token", LinkOptions.defaults())) {
        bob.drive(SimWorld.CAR);
        bob.awaitOpen();
        bob.hold(0, 0, false, 100);
        bob.hold(0, 0.5, true, 300);
        assertThat(car.status().state()).isEqualTo(CarState.ARMED);
      } finally {
        car.close();
      }
    }
  }
}
