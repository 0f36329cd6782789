package dev.rcdrive.agent.output;

import dev.rcdrive.agent.AgentConfig;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The neutral step that needs no JVM: a small shell script, written by the agent at start for
 * exactly the outputs it opened (bus, address, channels, neutral pulses, GPIO lines), that the
 * service's {@code ExecStopPost} runs once the agent is gone — a crash, a SIGKILL, an out-of-memory
 * exit included. It uses only what Raspberry Pi OS has: {@code i2cset} (i2c-tools), the sysfs PWM
 * files, and libgpiod's {@code gpioset}. It writes neutral at once, holds it for {@link
 * Outputs#NEUTRAL_HOLD_MILLIS}, then stops every pulse (docs/decisions/0006); it exits 0 only when
 * every write worked, so the service falls back to {@code rcdrive agent --neutral} otherwise.
 *
 * <p>PCA9685 channels are written one register at a time (a single-byte {@code i2cset} needs no
 * auto-increment, so it works on a chip in any state), glitch-free: FULL_OFF first, then ON and
 * OFF, then OFF_H clears FULL_OFF — the channel goes from its last pulse to none to neutral, never
 * through a half-written width. The chip is never woken: on a chip already asleep (a clean stop)
 * nothing pulses at all.
 */
public final class NeutralStep {

  /** The file name under the service's runtime directory ({@code /run/rcdrive}). */
  public static final String FILE_NAME = "neutral";

  private NeutralStep() {}

  /** The script for {@code config}'s outputs; {@code pwmRoot} is /sys/class/pwm on a Pi. */
  public static String script(AgentConfig config, Path pwmRoot) {
    List<String> neutral = new ArrayList<>();
    List<String> off = new ArrayList<>();
    List<String> describe = new ArrayList<>();
    AgentConfig.Outputs out = config.outputs();
    String prelude = "";
    AgentConfig.PwmKind pwm = config.pwmKind();
    if (pwm == AgentConfig.PwmKind.PCA9685) {
      AgentConfig.Pca9685 p = out.pca9685();
      int prescale = Pca9685.prescale(p.frequencyHz(), p.oscillatorHz());
      double countNanos = (prescale + 1) / (double) p.oscillatorHz() * 1e9;
      prelude =
          String.format(
              Locale.ROOT,
              "w() { i2cset -y %d 0x%02x \"$1\" \"$2\" || failed=1; }%n",
              p.bus(),
              p.address());
      describe.add(
          String.format(Locale.ROOT, "PCA9685 on /dev/i2c-%d at 0x%02x", p.bus(), p.address()));
      for (Channel ch : channels(config)) {
        int counts =
            (int) Math.max(0, Math.min(4095, Math.round(ch.neutralMicros * 1000L / countNanos)));
        int base = Pca9685.LED0_ON_L + 4 * ch.number;
        describe.add(ch.name + " ch" + ch.number + " " + ch.neutralMicros + " µs");
        neutral.add(
            String.format(
                Locale.ROOT,
                "# %s: channel %d to %d µs (OFF = %d counts)%n"
                    + "w 0x%02x 0x10; w 0x%02x 0x00; w 0x%02x 0x00; w 0x%02x 0x%02x; w 0x%02x 0x%02x",
                ch.name,
                ch.number,
                ch.neutralMicros,
                counts,
                base + 3,
                base,
                base + 1,
                base + 2,
                counts & 0xFF,
                base + 3,
                counts == 0 ? 0x10 : counts >> 8));
        off.add(
            String.format(
                Locale.ROOT,
                "w 0x%02x 0x%02x # %s fully off",
                base + 3,
                Pca9685.FULL | (counts >> 8 & 0x0F),
                ch.name));
      }
      off.add(
          String.format(
              Locale.ROOT,
              "w 0x%02x 0x%02x # MODE1: oscillator off",
              Pca9685.MODE1,
              Pca9685.SLEEP | Pca9685.AI | Pca9685.ALLCALL));
    } else if (pwm == AgentConfig.PwmKind.SYSFS_PWM) {
      Path chip = pwmRoot.resolve("pwmchip" + out.sysfsPwm().chip());
      prelude = "put() { if [ -d \"$1\" ]; then echo \"$2\" > \"$1/$3\" || failed=1; fi; }\n";
      describe.add("hardware PWM " + chip);
      for (Channel ch : channels(config)) {
        Path dir = chip.resolve("pwm" + ch.number);
        describe.add(ch.name + " pwm" + ch.number + " " + ch.neutralMicros + " µs");
        // Never enable: a channel a clean stop disabled stays without pulses.
        neutral.add(
            "put " + quote(dir) + " " + ch.neutralMicros * 1000L + " duty_cycle # " + ch.name);
        off.add("put " + quote(dir) + " 0 enable # " + ch.name + " disabled");
      }
    }
    if (config.actuator() == AgentConfig.ActuatorKind.HBRIDGE) {
      AgentConfig.HBridge h = out.hbridge();
      describe.add("H-bridge IN1 GPIO" + h.in1() + ", IN2 GPIO" + h.in2());
      prelude +=
          """
          # libgpiod 1.x (Raspberry Pi OS bookworm) finds a line by name with gpiofind; 2.x takes
          # the name and exits after setting with -t0.
          low() {
            if command -v gpiofind >/dev/null 2>&1; then
              set -- $(gpiofind "GPIO$1") && timeout 2 gpioset "$1" "$2=0" || failed=1
            else
              timeout 2 gpioset -t0 "GPIO$1=0" || failed=1
            fi
          }
          """;
      neutral.add("low " + h.in1() + "; low " + h.in2() + " # the motor coasts");
    }
    if (neutral.isEmpty()) {
      return "#!/bin/sh\n# rcdrive: actuator "
          + config.actuator()
          + ": no outputs to stop\nexit 0\n";
    }
    StringBuilder s = new StringBuilder();
    s.append("#!/bin/sh\n");
    s.append("# rcdrive neutral step, written by the agent at start for the outputs it opened:\n");
    s.append("#   ").append(String.join("; ", describe)).append('\n');
    s.append("# Run by rcdrive-agent.service after the agent is gone: neutral at once, held ");
    s.append(Outputs.NEUTRAL_HOLD_MILLIS).append(" ms,\n");
    s.append("# then no pulses (docs/decisions/0006). Exit 0 only if every write worked.\n");
    s.append("failed=0\n");
    s.append(prelude);
    neutral.forEach(line -> s.append(line).append('\n'));
    s.append(String.format(Locale.ROOT, "sleep %.1f%n", Outputs.NEUTRAL_HOLD_MILLIS / 1000.0));
    off.forEach(line -> s.append(line).append('\n'));
    s.append("exit $failed\n");
    return s.toString();
  }

  /** One pulse output the script must stop: throttle first, as everywhere. */
  private record Channel(String name, int number, int neutralMicros) {}

  private static List<Channel> channels(AgentConfig config) {
    AgentConfig.Outputs out = config.outputs();
    List<Channel> list = new ArrayList<>();
    if (config.actuator() == AgentConfig.ActuatorKind.HBRIDGE) {
      list.add(new Channel("motor enable", out.hbridge().channel(), 0));
    } else {
      list.add(
          new Channel(
              "throttle",
              out.throttle().channel(),
              Outputs.calibration(out.throttle()).neutralMicros()));
    }
    list.add(
        new Channel(
            "steering",
            out.steering().channel(),
            Outputs.calibration(out.steering()).neutralMicros()));
    return list;
  }

  private static String quote(Path path) {
    return "'" + path.toString().replace("'", "'\\''") + "'";
  }

  /**
   * Writes the script as {@code dir/neutral}, readable and runnable by its owner only, replacing
   * any older one in one step (a crash while writing never leaves half a script).
   */
  public static Path write(Path dir, String script) throws IOException {
    Path target = dir.resolve(FILE_NAME);
    Path temp = dir.resolve(FILE_NAME + ".tmp");
    Files.deleteIfExists(temp);
    Files.createFile(
        temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Files.writeString(temp, script);
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
    }
    return target;
  }
}
