package dev.rcdrive.agent.output;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rcdrive.agent.AgentConfig;
import dev.rcdrive.testing.FakeOutputTools;
import dev.rcdrive.testing.RegisterFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The very script the agent writes, run by /bin/sh against fake devices: a PCA9685 register file
 * behind a fake {@code i2cset}, a temp sysfs PWM tree, fake libgpiod tools. Each starts where a
 * dead agent left it (full throttle) and must end neutral-then-silent, exiting 0 only when every
 * write worked — and the unit's stop step must fall back to {@code rcdrive agent --neutral}
 * otherwise.
 */
public class NeutralStepTest {

  @TempDir Path dir;

  private AgentConfig config(AgentConfig.ActuatorKind kind, AgentConfig.PwmKind bridgePwm) {
    return new AgentConfig(
        null,
        null,
        null,
        null,
        kind,
        null,
        null,
        null,
        null,
        new AgentConfig.Outputs(
            null,
            null,
            new AgentConfig.HBridge(bridgePwm, 23, 24, 2, false, 1.0),
            new AgentConfig.Servo(0, null, null, null, null, 20, 0),
            new AgentConfig.Servo(1, 1100, 1500, 1900, null, null, null)),
        null);
  }

  record Run(int exit, String output) {}

  private Run run(Path script, boolean libgpiod2, boolean withTools) throws Exception {
    Path tools = FakeOutputTools.install(dir.resolve("tools"), libgpiod2);
    Path empty = Files.createDirectories(dir.resolve("no-tools"));
    ProcessBuilder pb = new ProcessBuilder("/bin/sh", script.toString()).redirectErrorStream(true);
    pb.environment()
        .putAll(
            FakeOutputTools.environment(
                withTools ? tools : empty,
                dir.resolve("i2c"),
                Files.createDirectories(dir.resolve("gpio"))));
    if (!withTools) {
      pb.environment().put("PATH", empty + ":/usr/bin:/bin"); // no i2cset anywhere
    }
    Process p = pb.start();
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    return new Run(
        p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  /** A PCA9685 as a dead agent leaves it: awake, throttle at 1900 µs, steering at 1700 µs. */
  private RegisterFile deadAgentsPca() throws IOException {
    RegisterFile chip = RegisterFile.create(dir.resolve("i2c"), 1, 0x40);
    chip.write(0x00, 0x21); // awake, auto-increment, ALLCALL
    setCounts(chip, 1, 389); // 1900 µs
    setCounts(chip, 0, 348); // 1700 µs
    setCounts(chip, 2, 2048); // the H-bridge's enable at 50 %
    return chip;
  }

  private static void setCounts(RegisterFile chip, int channel, int counts) throws IOException {
    int base = 0x06 + 4 * channel;
    chip.write(base, 0);
    chip.write(base + 1, 0);
    chip.write(base + 2, counts & 0xFF);
    chip.write(base + 3, counts >> 8);
  }

  @Test
  void pca9685GoesToNeutralThenStopsPulsing() throws Exception {
    RegisterFile chip = deadAgentsPca();
    AgentConfig config = config(AgentConfig.ActuatorKind.PCA9685, null);
    Path script = NeutralStep.write(dir, NeutralStep.script(config, dir.resolve("no-sysfs")));

    Run run = run(script, false, true);

    int[] r = chip.read();
    assertThat(run.exit()).as(run.output()).isZero();
    assertThat(RegisterFile.widthMicros(r, 1))
        .isCloseTo(1500, org.assertj.core.data.Offset.offset(3.0));
    assertThat(RegisterFile.widthMicros(r, 0))
        .isCloseTo(1520, org.assertj.core.data.Offset.offset(3.0));
    assertThat(RegisterFile.pulseMicros(r, 0)).as("no steering pulses").isZero();
    assertThat(RegisterFile.pulseMicros(r, 1)).as("no throttle pulses").isZero();
    assertThat(RegisterFile.asleep(r)).isTrue();
    assertThat(Files.readString(script)).contains("PCA9685 on /dev/i2c-1 at 0x40");
  }

  @Test
  void theThrottleNeverShowsAHalfWrittenWidth() {
    String script =
        NeutralStep.script(config(AgentConfig.ActuatorKind.PCA9685, null), dir.resolve("x"));

    // channel 1: FULL_OFF first, ON, then OFF_L, then OFF_H clearing FULL_OFF with the count
    assertThat(script).contains("w 0x0d 0x10; w 0x0a 0x00; w 0x0b 0x00; w 0x0c 0x33; w 0x0d 0x01");
    assertThat(script.indexOf("# throttle")).isLessThan(script.indexOf("# steering"));
    assertThat(script.indexOf("sleep 0.1")).isGreaterThan(script.indexOf("# steering"));
  }

  @Test
  void sysfsPwmGoesToNeutralThenIsDisabled() throws Exception {
    Path chip = Files.createDirectories(dir.resolve("pwm/pwmchip0"));
    for (int ch = 0; ch < 2; ch++) {
      Path p = Files.createDirectories(chip.resolve("pwm" + ch));
      Files.writeString(p.resolve("period"), "20000000\n");
      Files.writeString(p.resolve("duty_cycle"), "1900000\n");
      Files.writeString(p.resolve("enable"), "1\n");
    }
    Path script =
        NeutralStep.write(
            dir,
            NeutralStep.script(
                config(AgentConfig.ActuatorKind.SYSFS_PWM, null), dir.resolve("pwm")));

    Run run = run(script, false, true);

    assertThat(run.exit()).as(run.output()).isZero();
    assertThat(Files.readString(chip.resolve("pwm1/duty_cycle")).trim()).isEqualTo("1500000");
    assertThat(Files.readString(chip.resolve("pwm0/duty_cycle")).trim()).isEqualTo("1520000");
    assertThat(Files.readString(chip.resolve("pwm1/enable")).trim()).isEqualTo("0");
    assertThat(Files.readString(chip.resolve("pwm0/enable")).trim()).isEqualTo("0");
  }

  @ParameterizedTest(name = "libgpiod 2.x: {0}")
  @ValueSource(booleans = {false, true})
  void hbridgeCoastsWithItsLinesLow(boolean libgpiod2) throws Exception {
    RegisterFile chip = deadAgentsPca();
    Files.createDirectories(dir.resolve("gpio"));
    Files.writeString(dir.resolve("gpio/23"), "1\n");
    Files.writeString(dir.resolve("gpio/24"), "1\n");
    Path script =
        NeutralStep.write(
            dir,
            NeutralStep.script(
                config(AgentConfig.ActuatorKind.HBRIDGE, AgentConfig.PwmKind.PCA9685),
                dir.resolve("no-sysfs")));

    Run run = run(script, libgpiod2, true);

    int[] r = chip.read();
    assertThat(run.exit()).as(run.output()).isZero();
    assertThat(RegisterFile.pulseMicros(r, 2)).as("no enable pulses: the motor coasts").isZero();
    assertThat(Files.readString(dir.resolve("gpio/23")).trim()).isEqualTo("0");
    assertThat(Files.readString(dir.resolve("gpio/24")).trim()).isEqualTo("0");
  }

  @Test
  void withoutI2cToolsTheStepFailsSoTheServiceFallsBack() throws Exception {
    deadAgentsPca();
    Path script =
        NeutralStep.write(
            dir, NeutralStep.script(config(AgentConfig.ActuatorKind.PCA9685, null), dir));

    assertThat(run(script, false, false).exit()).isNotZero();
  }

  @Test
  void theSimulatorHasNothingToStop() throws Exception {
    Path script =
        NeutralStep.write(dir, NeutralStep.script(config(AgentConfig.ActuatorKind.SIM, null), dir));

    assertThat(run(script, false, true).exit()).isZero();
    assertThat(Files.getPosixFilePermissions(script))
        .containsExactlyInAnyOrder(
            java.nio.file.attribute.PosixFilePermission.OWNER_READ,
            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE,
            java.nio.file.attribute.PosixFilePermission.OWNER_EXECUTE);
  }

  /** The unit's ExecStopPost command, with the runtime directory and the launcher replaced. */
  public static String stopStep(Path runtimeDir, Path launcher) throws IOException {
    String line =
        Files.readAllLines(Path.of("packaging/agent/rcdrive-agent.service")).stream()
            .filter(l -> l.startsWith("ExecStopPost="))
            .findFirst()
            .orElseThrow();
    String prefix = "ExecStopPost=/bin/sh -c '";
    assertThat(line).startsWith(prefix).endsWith("'");
    return line.substring(prefix.length(), line.length() - 1)
        .replace("/run/rcdrive", runtimeDir.toString())
        .replace("/usr/bin/rcdrive", launcher.toString());
  }

  @ParameterizedTest(name = "neutral step {0}")
  @ValueSource(strings = {"works", "fails", "missing"})
  void theServiceRunsTheStepAndFallsBackToTheJvmOnlyWhenItFails(String step) throws Exception {
    Path runtime = Files.createDirectories(dir.resolve("run"));
    Path called = dir.resolve("fallback-called");
    Path launcher = dir.resolve("rcdrive");
    Files.writeString(launcher, "#!/bin/sh\necho \"$@\" > " + called + "\n");
    launcher.toFile().setExecutable(true);
    if (!step.equals("missing")) {
      NeutralStep.write(runtime, "#!/bin/sh\nexit " + (step.equals("works") ? 0 : 1) + "\n");
    }

    Process p = new ProcessBuilder("/bin/sh", "-c", stopStep(runtime, launcher)).start();
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();

    assertThat(p.exitValue()).isZero();
    if (step.equals("works")) {
      assertThat(called).doesNotExist();
    } else {
      assertThat(Files.readString(called).trim())
          .isEqualTo("agent --neutral --config /etc/rcdrive/agent.json");
    }
  }

  @Test
  void theUnitVerifiesWithSystemd() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/systemd-analyze")),
        "systemd-analyze is not installed (Debian: systemd)");
    Path launcher = dir.resolve("rcdrive");
    Files.writeString(launcher, "#!/bin/sh\n");
    launcher.toFile().setExecutable(true);
    // The launcher as installed, and no Documentation= (its man page comes with the package).
    List<String> unit =
        Files.readAllLines(Path.of("packaging/agent/rcdrive-agent.service")).stream()
            .filter(l -> !l.startsWith("Documentation="))
            .map(l -> l.replace("/usr/bin/rcdrive", launcher.toString()))
            .toList();
    Path copy = dir.resolve("rcdrive-agent.service");
    Files.write(copy, unit);

    Process p =
        new ProcessBuilder("systemd-analyze", "verify", copy.toString())
            .redirectErrorStream(true)
            .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).as("systemd-analyze verify says nothing").isBlank();
  }
}
