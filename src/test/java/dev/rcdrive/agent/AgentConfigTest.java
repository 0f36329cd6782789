package dev.rcdrive.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class AgentConfigTest {

  @Test
  void shippedExampleLoadsAndIsValid() throws Exception {
    AgentConfig config = AgentConfig.load(Path.of("packaging/agent/agent.example.json"));

    assertThat(config.problems()).isEmpty();
    assertThat(config.limits()).isEqualTo(new Limits(0.6, 0.3, 0, 1, 4, 8));
    assertThat(config.camera().fps()).isEqualTo(30);
    assertThat(config.relayOnly()).isFalse();
  }

  @Test
  void everyProblemIsNamedWithItsField() {
    AgentConfig bad =
        new AgentConfig(
            "http://x",
            "a b",
            "",
            new AgentConfig.Camera("usb", 65, 64, 500),
            "pca9685",
            5,
            null,
            null);

    assertThat(bad.problems())
        .containsExactly(
            "server: a ws:// or wss:// URL is required, got http://x",
            "carId: 1-64 letters, digits, '.', '_' or '-' required, got a b",
            "key: the car's key is required",
            "camera.type: 'sim' or 'test' (real cameras come later), got usb",
            "camera: width and height must be even and at least 64",
            "camera.fps: 1-120, got 500",
            "actuator: 'sim' (motor drivers come later), got pca9685",
            "failsafeMs: 20-5000, got 5");
  }

  @Test
  void limitsOutOfRangeAreRefusedWithTheirName() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Limits(1.5, 0, 0, 1, 1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("limits.maxForward must be in [0.0, 1.0], got 1.5");
  }
}
