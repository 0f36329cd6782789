package dev.rcdrive.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rcdrive.agent.AgentConfig;
import dev.rcdrive.agent.CarAgent;
import dev.rcdrive.protocol.CarState;
import dev.rcdrive.rtc.LinkOptions;
import dev.rcdrive.rtc.RtcEngine;
import dev.rcdrive.signaling.SignalingServer;
import dev.rcdrive.station.drive.DriveIntent;
import dev.rcdrive.station.link.DriverSession;
import dev.rcdrive.station.link.LinkStatus;
import dev.rcdrive.testing.ScriptedControl;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Losing the signaling server mid-drive must not end the drive (DESIGN.md, ADR 2). */
@Tag("slow")
class SignalingOutageTest {

  @Test
  void driveContinuesThroughASignalingRestartAndBothEndsReRegister() throws Exception {
    try (RtcEngine engine = RtcEngine.create()) {
      SignalingServer first = SimWorld.server();
      SignalingServer[] server = {first}; // replaced by the restarted one
      int port = first.port();
      CarAgent agent =
          SimWorld.startCar(
              first, engine, new AgentConfig.Camera(AgentConfig.CameraKind.TEST, 320, 180, 30));
      DriverSession session =
          DriverSession.open(engine, first.uri(), "alice-token", LinkOptions.defaults(), null);
      ScriptedControl control = new ScriptedControl(session);
      try {
        session.ready().get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> first.stats().onlineCars() == 1);
        session.drive(SimWorld.CAR).get(5, TimeUnit.SECONDS);
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> session.status().phase() == LinkStatus.Phase.CONNECTED);
        control.set(DriveIntent.NEUTRAL);
        control.set(new DriveIntent(0, 0.3, 0, true, false, 0));
        await().atMost(Duration.ofSeconds(5)).until(() -> agent.status().state() == CarState.ARMED);

        first.close(); // the outage
        long framesAtOutage = session.status().framesReceived();
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> session.status().framesReceived() > framesAtOutage + 60);
        assertThat(agent.status().state())
            .as("still driven through the outage")
            .isEqualTo(CarState.ARMED);
        assertThat(session.status().phase()).isEqualTo(LinkStatus.Phase.CONNECTED);

        SignalingServer restarted = SimWorld.server(port, List.of());
        server[0] = restarted;
        await()
            .atMost(Duration.ofSeconds(15))
            .until(
                () -> restarted.stats().onlineCars() == 1 && restarted.stats().drivenCars() == 1);
        assertThat(agent.status().state()).isEqualTo(CarState.ARMED);
        assertThat(session.status().phase()).isEqualTo(LinkStatus.Phase.CONNECTED);
      } finally {
        control.close();
        session.close();
        agent.close();
        server[0].close();
      }
    }
  }
}
