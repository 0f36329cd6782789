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

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> AgentConfig.load(file))
        .isInstanceOfSatisfying(
            AgentConfig.InvalidConfigException.class,
            e ->
                assertThat(e.problems())
                    .hasSize(2)
                    .anySatisfy(p -> assertThat(p).startsWith("outputs.steering.chanel: unknown"))
                    .anySatisfy(p -> assertThat(p).startsWith("foo: unknown field")));
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource(
      delimiter = '|',
      textBlock =
          """
          {"camera": {"width": "wide"}}                 | camera.width: expected a whole number
          {"outputs": {"steering": {"reverse": "yes"}}} | outputs.steering.reverse: expected true or false
          {"camera": {"extraArgs": "--denoise"}}        | camera.extraArgs: expected a list
          {"limits": {"maxForward": 1.5, "maxReverse": 0.2, "steeringTrim": 0, "steeringRange": 1, "throttleSlewPerSecond": 2, "steeringSlewPerSecond": 8}} | limits.maxForward must be in [0.0, 1.0], got 1.5
          {"actuator": "servo"}                         | actuator: one of sim, pca9685, sysfs-pwm, hbridge, got 'servo'
          {"camera": {"type": "webcam"}}                | camera.type: one of sim, test, rpicam, usb, got 'webcam'
          {"outputs": {"hbridge": {"pwm": "gpio"}}}     | outputs.hbridge.pwm: one of pca9685, sysfs-pwm, got 'gpio'
          {"camera": {"encoder": "gpu"}}                | camera.encoder: one of software, hardware, auto, got 'gpu'
          {"camera": {"fps": 29.97}}                    | camera.fps: expected a whole number
          {"camera": {"width": 4294967296}}             | camera.width: expected a whole number
          {"camera": {"width": "1280"}}                 | camera.width: expected a whole number
          {"camera": {"extraArgs": ["--denoise", 1]}}   | camera.extraArgs[1]: expected a string
          {"camera": {"extraArgs": ["--denoise", null]}} | camera.extraArgs[1]: expected a string
          {"camera": 5}                                 | camera: expected an object
          {"failsafeMs": true}                          | failsafeMs: expected a whole number
          {"limits": {"maxForward": 0.5, "maxReverse": 0.2, "steeringTrim": 0, "steeringRange": 1, "throttleSlewPerSecond": 2}} | limits.steeringSlewPerSecond: missing (a number)
          """)
  void wrongTypesAreNamedByFieldNotByJavaClass(
      String json, String problem, @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path file = dir.resolve("agent.json");
    java.nio.file.Files.writeString(file, json);

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> AgentConfig.load(file))
        .isInstanceOfSatisfying(
            AgentConfig.InvalidConfigException.class,
            e -> assertThat(e.problems()).containsExactly(problem));
  }

  @Test
  void kindsAreWordsInTheFileAndEnumsInCode(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("agent.json");
    java.nio.file.Files.writeString(
        file,
        "{\"actuator\": \"SYSFS-PWM\", \"camera\": {\"type\": \"Usb\"},"
            + " \"outputs\": {\"hbridge\": {\"pwm\": \"sysfs-pwm\"}}}");

    AgentConfig config = AgentConfig.load(file);

    assertThat(config.actuator()).isEqualTo(AgentConfig.ActuatorKind.SYSFS_PWM);
    assertThat(config.camera().type()).isEqualTo(AgentConfig.CameraKind.USB);
    assertThat(config.outputs().hbridge().pwm()).isEqualTo(AgentConfig.PwmKind.SYSFS_PWM);
    assertThat(AgentConfig.ActuatorKind.SYSFS_PWM.word()).isEqualTo("sysfs-pwm");
  }

  @Test
  void theEncoderIsOneWordAndSoftwareByDefault(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("agent.json");
    java.nio.file.Files.writeString(file, "{\"camera\": {\"type\": \"sim\"}}");
    assertThat(AgentConfig.load(file).camera().encoder()).isEqualTo(AgentConfig.Encoder.SOFTWARE);

    java.nio.file.Files.writeString(
        file, "{\"camera\": {\"encoder\": \"Hardware\", \"gstSource\": \" libcamerasrc \"}}");
    AgentConfig config = AgentConfig.load(file);
    assertThat(config.camera().encoder()).isEqualTo(AgentConfig.Encoder.HARDWARE);
    assertThat(config.camera().gstSource()).isEqualTo("libcamerasrc");
  }

  @Test
  void aUsbCameraOnTheHardwarePathNeedsItsGStreamerSource(
      @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path file = dir.resolve("agent.json");
    java.nio.file.Files.writeString(
        file, "{\"camera\": {\"type\": \"usb\", \"device\": \"0\", \"encoder\": \"hardware\"}}");
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
