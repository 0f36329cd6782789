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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The car's agent restarts mid-drive (a crash, systemd brings it back): the new agent is a new peer
 * connection. The station's ICE restart reaches it and gets answered, which revives video but not
 * the data channels; the station must see a different peer and connect afresh, so arming and
 * throttle work again without Leave + Connect (issue 15).
 */
@Tag("slow")
class AgentRestartTest {

  private static final AgentConfig.Camera CAMERA =
      new AgentConfig.Camera(AgentConfig.CameraKind.TEST, 320, 180, 30);

  @Test
  void drivingWorksAgainAfterTheAgentRestarts() throws Exception {
    try (RtcEngine engine = RtcEngine.create();
        SignalingServer server = SimWorld.server()) {
      CarAgent first = SimWorld.startCar(server, engine, CAMERA);
      CarAgent second = null;
      DriverSession session =
          DriverSession.open(engine, server.uri(), "alice-token", LinkOptions.defaults(), null);
      ScriptedControl control = new ScriptedControl(session);
      try {
        session.ready().get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> server.stats().onlineCars() == 1);
        session.drive(SimWorld.CAR).get(5, TimeUnit.SECONDS);
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> session.status().phase() == LinkStatus.Phase.CONNECTED);
        control.set(DriveIntent.NEUTRAL);
        control.set(new DriveIntent(0, 0.3, 0, true, false, 0));
        await().atMost(Duration.ofSeconds(5)).until(() -> first.status().state() == CarState.ARMED);

        first.close(); // the agent dies mid-drive ...
        control.set(DriveIntent.NEUTRAL); // ... and the station disarms (its link is down)
        await().atMost(Duration.ofSeconds(5)).until(() -> server.stats().onlineCars() == 0);
        await() // once ICE notices, the station says what the server knows: the car is offline
            .atMost(Duration.ofSeconds(20))
            .until(() -> session.status().phase() == LinkStatus.Phase.CAR_OFFLINE);
        assertThat(session.status().carState()).as("a gone car's last state is not shown").isNull();
        CarAgent restarted = SimWorld.startCar(server, engine, CAMERA); // ... and comes back
        second = restarted;

        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    session.status().phase() == LinkStatus.Phase.CONNECTED
                        && restarted.status().link() == dev.rcdrive.rtc.PeerLink.State.CONNECTED);
        DriveIntent armed = new DriveIntent(0, 0.3, 0, true, false, 0);
        await() // the driver arms again (a disarmed frame, then an armed one) until the car is
            // armed
            .atMost(Duration.ofSeconds(15))
            .pollInterval(Duration.ofMillis(200))
            .until(
                () -> {
                  if (restarted.status().state() != CarState.ARMED) {
                    control.set(DriveIntent.NEUTRAL);
                    control.set(armed);
                  }
                  return restarted.status().state() == CarState.ARMED;
                });
        // Armed is the state the car reports at once; its speed follows its next ticks.
        await()
            .alias("and throttle moves it")
            .atMost(Duration.ofSeconds(3))
            .until(() -> restarted.status().speedMps() > 0);
      } finally {
        control.close();
        session.close();
        if (second != null) {
          second.close();
        }
      }
    }
  }
}
