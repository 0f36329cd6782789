package dev.rcdrive.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rcdrive.rtc.RtcEngine;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The car tells its camera whether frames are wanted: not while no driver's link is open (a link
 * and the video it carries: CarAgentEndToEndTest, whose frames would not come otherwise).
 */
class CarAgentCameraTest {

  private static RtcEngine engine;
  private CarAgent agent;

  @BeforeAll
  static void engine() {
    engine = RtcEngine.create();
  }

  @AfterAll
  static void closeEngine() {
    engine.close();
  }

  @AfterEach
  void stop() {
    if (agent != null) {
      agent.close();
    }
  }

  @Test
  void aCarWithNoDriverWantsNoFrames() {
    AtomicReference<CameraSource.FrameConsumer> given = new AtomicReference<>();
    CameraSource camera =
        new CameraSource() {
          @Override
          public void start(FrameConsumer consumer) {
            given.set(consumer);
          }

          @Override
          public String describe() {
            return "recording";
          }

          @Override
          public void close() {}
        };
    AgentConfig config =
        new AgentConfig(
            "ws://127.0.0.1:9", // nothing listens: no driver can come
            "idle",
            "k",
            new AgentConfig.Camera(AgentConfig.CameraKind.TEST, 64, 64, 5),
            AgentConfig.ActuatorKind.SIM,
            250,
            null,
            null);
    Actuator outputs =
        new Actuator() {
          @Override
          public void apply(Output output) {}

          @Override
          public void close() {}
        };
    agent = CarAgent.start(config, engine, new CarParts(outputs, camera), (status, why) -> {});

    await().atMost(Duration.ofSeconds(5)).until(() -> given.get() != null);
    assertThat(given.get().wantsFrames()).isFalse();
  }
}
