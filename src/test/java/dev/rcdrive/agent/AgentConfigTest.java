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
    assertThat(config.camera().type()).isEqualTo(AgentConfig.CameraKind.RPICAM);
    assertThat(config.camera().extraArgs()).containsExactly("--denoise", "cdn_off");
    assertThat(config.actuator()).isEqualTo(AgentConfig.ActuatorKind.PCA9685);
    assertThat(config.outputs().pca9685().address()).isEqualTo(0x40);
    assertThat(config.outputs().throttle().armMs()).isEqualTo(2000);
    // a bare Pi with a camera and a PCA9685 passes --check: the INA219 is off until configured
    assertThat(config.telemetry().ina219()).isNull();
    assertThat(config.telemetry().pi()).isTrue();
    assertThat(config.relayOnly()).isFalse();
  }

  @Test
  void everyProblemIsNamedWithItsField() {
    AgentConfig bad =
        new AgentConfig(
            "http://x",
            "a b",
            "",
            new AgentConfig.Camera(AgentConfig.CameraKind.USB, 65, 64, 500),
            AgentConfig.ActuatorKind.PCA9685,
            5,
            null,
            null);

    assertThat(bad.problems())
        .containsExactly(
            "server: a ws:// or wss:// URL is required, got http://x",
            "carId: 1-64 letters, digits, '.', '_' or '-' required, got a b",
            "key: the car's key is required",
            "camera: width and height must be even and 64-4096, got 65x64",
            "camera.fps: 1-120, got 500",
            "camera.device: a USB camera needs its name or index (--list-cameras)",
            "failsafeMs: 20-5000, got 5");
  }

  @Test
  void everyOutputProblemIsNamedWithItsField() {
    AgentConfig bad =
        new AgentConfig(
            "ws://x",
            "car",
            "k",
            new AgentConfig.Camera(
                AgentConfig.CameraKind.RPICAM,
                640,
                480,
                30,
                90,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null),
            AgentConfig.ActuatorKind.HBRIDGE,
            250,
            null,
            null,
            null,
            new AgentConfig.Outputs(
                null,
                new AgentConfig.SysfsPwm(-1, 10),
                new AgentConfig.HBridge(AgentConfig.PwmKind.SYSFS_PWM, 23, 23, 0, null, 1.5),
                new AgentConfig.Servo(0, 1000, 1500, 2000, null, 300, 0),
                null),
            new AgentConfig.Telemetry(null, new AgentConfig.Ina219(40, 2)));

    assertThat(bad.problems())
        .containsExactly(
            "camera.rotation: 0 or 180 (use hflip/vflip), got 90",
            "outputs.sysfsPwm.chip: >= 0, got -1",
            "outputs.sysfsPwm.frequencyHz: 40-400 (servos want 50-60), got 10",
            "outputs.steering.trimUs: within ±250, got 300",
            "outputs.hbridge: in1 and in2 must be two different BCM GPIOs 0-27, got 23 and 23",
            "outputs.hbridge.channel: the steering servo already uses 0",
            "outputs.hbridge.maxDuty: (0, 1], got 1.5",
            "telemetry.ina219.bus: 0-31, got 40",
            "telemetry.ina219.address: a 7-bit address 3-119 (0x03-0x77), got 2");
  }

  @Test
  void unknownKeysAreNamedWithTheirPathAndCommentsPass(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("agent.json");
    java.nio.file.Files.writeString(
        file, "{\"_c\": 1, \"outputs\": {\"_c\": 2, \"steering\": {\"chanel\": 3}}, \"foo\": 1}");

    assertThat(AgentConfig.load(file).problems())
        .anySatisfy(p -> assertThat(p).startsWith("camera.encoder: the hardware path"));
  }

  @Test
  void limitsOutOfRangeAreRefusedWithTheirName() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Limits(1.5, 0, 0, 1, 1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("limits.maxForward must be in [0.0, 1.0], got 1.5");
  }
}
