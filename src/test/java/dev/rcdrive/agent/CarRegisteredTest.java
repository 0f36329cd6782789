package dev.rcdrive.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rcdrive.agent.assembly.CarAssembly;
import dev.rcdrive.rtc.RtcEngine;
import dev.rcdrive.signaling.SignalingConfig;
import dev.rcdrive.signaling.SignalingServer;
import dev.rcdrive.testing.LoopbackWorld;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link CarAgent#registered}: what the demo waits for before its station asks for the car (a
 * station quicker than its car was told "Demo car is offline").
 */
class CarRegisteredTest {

  private static CarAgent car(SignalingServer server, RtcEngine engine, String key) {
    return CarAssembly.start(
        LoopbackWorld.simCarConfig(server, "demo", key, 320, 180, 15, AgentConfig.Encoder.SOFTWARE),
        engine);
  }

  @Test
  void aCarIsRegisteredOnceItsServerWelcomedItAndFailsToBeWhenRefused() throws Exception {
    try (RtcEngine engine = RtcEngine.create();
        SignalingServer server =
            LoopbackWorld.server(
                List.of(new SignalingConfig.Car("demo", "Demo car", "k")),
                List.of(new SignalingConfig.Driver("you", "t")))) {
      try (CarAgent refused = car(server, engine, "not-the-key")) {
        assertThatThrownBy(() -> refused.registered().get(20, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class)
            .cause()
            .hasMessageContaining("signaling stopped")
            .hasMessageContaining("AUTH_FAILED");
      }
      CarAgent welcomed = car(server, engine, "k");
      try (welcomed) {
        welcomed.registered().get(20, TimeUnit.SECONDS); // a deadline, not a latency claim
      }
      assertThat(welcomed.registered())
          .as("closed after its welcome: still registered")
          .isCompleted();
    }
  }
}
