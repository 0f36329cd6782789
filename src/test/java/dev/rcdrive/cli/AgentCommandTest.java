package dev.rcdrive.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rcdrive.agent.host.I2cDevice;
import dev.rcdrive.agent.output.GpioLine;
import dev.rcdrive.agent.output.Hardware;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code rcdrive agent --check / --calibrate} as a user runs them: sysfs PWM against a temp tree;
 * I2C through the real Pi4J-backed hardware, which on this machine (no /dev/i2c-1) must fail with a
 * clear message.
 */
class AgentCommandTest {

  @TempDir Path dir;
  private Path pwm;

  record Run(int exitCode, String out, String err) {}

  @BeforeEach
  void sysfsTree() throws IOException {
    pwm = dir.resolve("pwm");
    Path chip = Files.createDirectories(pwm.resolve("pwmchip0"));
    Files.writeString(chip.resolve("npwm"), "2\n");
    Files.writeString(chip.resolve("export"), "");
    for (int channel = 0; channel < 2; channel++) {
      Path ch = Files.createDirectories(chip.resolve("pwm" + channel));
      for (String attribute : new String[] {"period", "duty_cycle", "enable"}) {
        Files.writeString(ch.resolve(attribute), "0\n");
      }
    }
  }

  /** Only sysfs PWM: I2C and GPIO are absent, as on a Pi without them enabled. */
  private Hardware sysfsOnly() {
    return new Hardware() {
      @Override
      public I2cDevice i2c(int bus, int address) throws IOException {
        throw new IOException("/dev/i2c-" + bus + " does not exist");
      }

      @Override
      public GpioLine gpio(int bcm) throws IOException {
        throw new IOException("no GPIO");
      }

      @Override
      public Path pwmRoot() {
        return pwm;
      }

      @Override
      public void close() {}
    };
  }

  private Run run(String input, boolean fakeHardware, String... args) {
    CommandLine cli = Main.commandLine();
    AgentCommand agent = cli.getSubcommands().get("agent").getCommand();
    agent.in = new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8));
    agent.defaultConfig = dir.resolve("not-installed/agent.json"); // whatever this host has
    if (fakeHardware) {
      agent.hardware = this::sysfsOnly;
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    String[] all = new String[args.length + 1];
    all[0] = "agent";
    System.arraycopy(args, 0, all, 1, args.length);
    int code = cli.execute(all);
    return new Run(code, out.toString(), err.toString());
  }

  private Path config(String json) throws IOException {
    Path file = dir.resolve("agent.json");
    Files.writeString(file, json);
    return file;
  }

  private long duty(int channel) throws IOException {
    return Long.parseLong(
        Files.readString(pwm.resolve("pwmchip0/pwm" + channel + "/duty_cycle")).trim());
  }

  private long enabled(int channel) throws IOException {
    return Long.parseLong(
        Files.readString(pwm.resolve("pwmchip0/pwm" + channel + "/enable")).trim());
  }

  private static final String SYSFS =
      """
      { "carId": "buggy", "camera": {"type": "test", "width": 320, "height": 240},
        "actuator": "sysfs-pwm",
        "outputs": { "steering": {"channel": 0, "trimUs": 20},
                     "throttle": {"channel": 1, "minUs": 1100, "maxUs": 1900} } }
      """;

  @Test
  void checkOpensSysfsOutputsAtNeutralWithoutAServer() throws Exception {
    Run run = run("", true, "--check", "--config", config(SYSFS).toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("note: server: a ws:// or wss:// URL is required")
        .contains("camera     ok: test")
        .contains("outputs    ok: servo pwm")
        .contains("check: all good");
    assertThat(duty(0)).isEqualTo(1_520_000); // trimmed neutral
    assertThat(duty(1)).isEqualTo(1_500_000);
  }

  @Test
  void checkOfAPca9685WithoutI2cSaysWhatToEnable() throws Exception {
    Run run =
        run(
            "",
            false,
            "--check",
            "--config",
            config("{\"camera\": {\"type\": \"test\"}, \"actuator\": \"pca9685\"}").toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out())
        .contains("outputs    FAILED: /dev/i2c-1 does not exist (enable I2C")
        .contains("check: FAILED");
  }

  @Test
  void checkOfAMissingCameraProgramNamesIt() throws Exception {
    Run run =
        run(
            "",
            true,
            "--check",
            "--config",
            config("{\"camera\": {\"type\": \"rpicam\", \"command\": \"/nonexistent/rpicam-vid\"}}")
                .toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out())
        .contains("camera     FAILED: camera.command: /nonexistent/rpicam-vid not found");
  }

  @Test
  void calibrateStepsThePulseAndEndsAtNeutral() throws Exception {
    Run run =
        run(
            "+\n++\nmin\n1900\nmax\n3000\nbogus\nq\n",
            true,
            "--calibrate",
            "steering",
            "--config",
            config(SYSFS).toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("calibrating steering on pwm")
        .contains("marked min = 1560 µs")
        .contains("3000 µs is outside 500-2500 µs; still at 1900")
        .contains("unknown command 'bogus'")
        .contains("\"minUs\": 1560, \"maxUs\": 1900")
        .contains("back at neutral (1500 µs)");
    assertThat(duty(0)).isEqualTo(1_500_000);
  }

  @Test
  void calibratingSteeringPutsAStaleThrottleToNeutralFirst() throws Exception {
    Files.writeString(pwm.resolve("pwmchip0/pwm1/duty_cycle"), "1900000\n"); // a dead agent's

    Run run = run("1700\n", true, "--calibrate", "steering", "--config", config(SYSFS).toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(duty(1)).isEqualTo(1_500_000);
  }

  @Test
  void calibrateEndOfInputAlsoEndsAtNeutral() throws Exception {
    Run run = run("1800\n", true, "--calibrate", "throttle", "--config", config(SYSFS).toString());

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("WHEELS OFF THE GROUND");
    assertThat(duty(1)).isEqualTo(1_500_000);
  }

  @Test
  void calibrateRefusesAnHbridgeThrottle() throws Exception {
    Run run =
        run(
            "",
            true,
            "--calibrate",
            "throttle",
            "--config",
            config("{\"actuator\": \"hbridge\"}").toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("an H-bridge's throttle is a duty cycle");
  }

  @Test
  void unknownKeysAndBadValuesAreEachNamed() throws Exception {
    Run typo =
        run(
            "",
            true,
            "--config",
            config("{\"_comment\": \"ok\", \"camera\": {\"widht\": 640}, \"actuatr\": \"x\"}")
                .toString());
    Run bad =
        run(
            "",
            true,
            "--config",
            config(
                    """
                    {"server": "ws://x", "carId": "c", "key": "k", "actuator": "pca9685",
                     "outputs": {"pca9685": {"address": 200, "frequencyHz": 1000},
                                 "throttle": {"channel": 0, "minUs": 1600}}}
                    """)
                .toString());

    assertThat(typo.exitCode()).isEqualTo(2);
    assertThat(typo.err())
        .contains("camera.widht: unknown field")
        .contains("actuatr: unknown field")
        .doesNotContain("_comment");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err())
        .contains("outputs.pca9685.address: a 7-bit address 3-119 (0x03-0x77), got 200")
        .contains("outputs.pca9685.frequencyHz: 40-400 (servos want 50-60), got 1000")
        .contains("outputs.throttle: pulse widths must satisfy")
        .contains("outputs.throttle.channel: the steering servo already uses 0");
  }

  @Test
  void neutralPutsEveryOutputToNeutralAndExits() throws Exception {
    Path file = config(SYSFS);
    Files.writeString(pwm.resolve("pwmchip0/pwm1/duty_cycle"), "1900000\n"); // a crashed agent's

    Run run = run("", true, "--neutral", "--config", file.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("at neutral");
    assertThat(duty(1)).isEqualTo(1_500_000);
    assertThat(duty(0)).isEqualTo(1_520_000);
    assertThat(enabled(1)).as("no pulses after the neutral hold").isZero();
    assertThat(enabled(0)).isZero();
  }

  @Test
  void checkWithoutAnyConfigSaysThereIsNothingToCheck() {
    Run run = run("", true, "--check");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).doesNotContain("all good");
    assertThat(run.err().strip())
        .isEqualTo(
            "rcdrive agent: --check: nothing to check: no --config given and "
                + dir.resolve("not-installed/agent.json")
                + " does not exist; give --config FILE (or --camera and --actuator)");
  }

  @Test
  void checkReadsTheInstalledConfigWhenNoneIsGiven() throws Exception {
    Path installed = Files.createDirectories(dir.resolve("not-installed")).resolve("agent.json");
    Files.writeString(installed, SYSFS);

    Run run = run("", true, "--check");

    assertThat(run.out()).as(run.err()).contains("config     ok (" + installed + ")");
  }

  @Test
  void anUnknownActuatorCameraOrEncoderIsOneLineNamingTheAllowedWords() throws Exception {
    Run actuator = run("", true, "--neutral", "--actuator", "servo");
    Run camera = run("", true, "--check", "--camera", "webcam");
    Run encoder = run("", true, "--neutral", "--encoder", "gpu");

    assertThat(actuator.exitCode()).isEqualTo(2);
    assertThat(actuator.err().strip())
        .isEqualTo(
            "rcdrive agent: --actuator: one of sim, pca9685, sysfs-pwm, hbridge, got 'servo'");
    assertThat(camera.exitCode()).isEqualTo(2);
    assertThat(camera.err().strip())
        .isEqualTo("rcdrive agent: --camera: one of sim, test, rpicam, usb, got 'webcam'");
    assertThat(encoder.exitCode()).isEqualTo(2);
    assertThat(encoder.err().strip())
        .isEqualTo("rcdrive agent: --encoder: one of software, hardware, auto, got 'gpu'");
  }

  @Test
  void neutralIgnoresABadCameraField() throws Exception {
    Path file = config(SYSFS.replace("\"width\": 320", "\"width\": 321").replace("test", "rpicam"));
    Files.writeString(pwm.resolve("pwmchip0/pwm1/duty_cycle"), "1900000\n");

    Run run = run("", true, "--neutral", "--config", file.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(duty(1)).isEqualTo(1_500_000);
  }

  @Test
  void neutralThatCannotReachTheOutputsFails() throws Exception {
    Run run =
        run("", false, "--neutral", "--config", config("{\"actuator\": \"pca9685\"}").toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("could not put the outputs to neutral: /dev/i2c-1");
  }

  @Test
  void aMissingCameraProgramStopsTheAgentBeforeItConnects() throws Exception {
    Run run =
        run(
            "",
            true,
            "--config",
            config(
                    """
                    {"server": "ws://127.0.0.1:9", "carId": "c", "key": "k",
                     "camera": {"type": "rpicam", "command": "/nonexistent/rpicam-vid"}}
                    """)
                .toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .contains("rcdrive agent: camera.command: /nonexistent/rpicam-vid not found");
  }

  @Test
  void onlyARunOfTheAgentGetsTheHeadStart() {
    assertThat(AgentCommand.isRun(new String[] {"agent"})).isTrue();
    assertThat(AgentCommand.isRun(new String[] {"agent", "--config", "/etc/rcdrive/agent.json"}))
        .isTrue();
    assertThat(AgentCommand.isRun(new String[] {"agent", "--car", "demo", "--neutral"})).isFalse();
    assertThat(AgentCommand.isRun(new String[] {"agent", "--check"})).isFalse();
    assertThat(AgentCommand.isRun(new String[] {"agent", "--calibrate=steering"})).isFalse();
    assertThat(AgentCommand.isRun(new String[] {"agent", "--calibrate", "throttle"})).isFalse();
    assertThat(AgentCommand.isRun(new String[] {"agent", "--list-cameras"})).isFalse();
    assertThat(AgentCommand.isRun(new String[] {"agent", "-h"})).isFalse();
    assertThat(AgentCommand.isRun(new String[] {"station"})).isFalse();
    assertThat(AgentCommand.isRun(new String[] {"probe", "--car", "agent"})).isFalse();
    assertThat(AgentCommand.isRun(new String[] {})).isFalse();
  }

  @Test
  void listCamerasNamesThePiCameraProgram() {
    Run run = run("", false, "--list-cameras");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("USB cameras").contains("Pi camera: ");
  }
}
