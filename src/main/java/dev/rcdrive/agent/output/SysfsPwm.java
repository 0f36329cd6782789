package dev.rcdrive.agent.output;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * Linux hardware PWM through {@code /sys/class/pwm} (the kernel's pwm sysfs ABI): write the channel
 * number to {@code pwmchipN/export}, then {@code pwmN/period}, {@code pwmN/duty_cycle} (ns) and
 * {@code pwmN/enable}. On a Pi, {@code dtoverlay=pwm-2chan} puts channels 0 and 1 on GPIO18 and
 * GPIO19. No native code; the root is injectable so tests run against a temp tree.
 */
public final class SysfsPwm {

  public static final Path DEFAULT_ROOT = Path.of("/sys/class/pwm");

  private final Path chip;

  public SysfsPwm(Path root, int chip) throws IOException {
    this.chip = root.resolve("pwmchip" + chip);
    if (!Files.isDirectory(this.chip)) {
      throw new IOException(
          this.chip + " does not exist (is the PWM overlay enabled? dtoverlay=pwm-2chan)");
    }
  }

  /** Number of channels the chip has ({@code npwm}). */
  public int channels() throws IOException {
    return Integer.parseInt(Files.readString(chip.resolve("npwm")).trim());
  }

  /**
   * Exports {@code channel} (if not already), sets its period and starts it with {@code
   * initialHighNanos}. The export makes the kernel create {@code pwmN/} a moment later, and its
   * attribute files just after the directory (udev then fixes their group), so this waits briefly
   * for the files it writes, not only for the directory.
   */
  public PwmChannel open(int channel, long periodNanos, long initialHighNanos) throws IOException {
    if (channel < 0) {
      throw new IllegalArgumentException("PWM channel must be >= 0, got " + channel);
    }
    Path dir = chip.resolve("pwm" + channel);
    if (!Files.isDirectory(dir)) {
      Files.writeString(chip.resolve("export"), Integer.toString(channel));
    }
    awaitAttributes(dir);
    // The kernel refuses a period shorter than the current duty cycle: lower the duty first.
    write(dir.resolve("duty_cycle"), 0);
    write(dir.resolve("period"), periodNanos);
    write(dir.resolve("duty_cycle"), initialHighNanos);
    write(dir.resolve("enable"), 1);
    return new PwmChannel() {
      @Override
      public long periodNanos() {
        return periodNanos;
      }

      @Override
      public void highNanos(long nanos) throws IOException {
        write(dir.resolve("duty_cycle"), Math.max(0, Math.min(periodNanos, nanos)));
      }

      /** Disabled: the pin idles low; the width stays, so a re-enable would give neutral. */
      @Override
      public void off() throws IOException {
        write(dir.resolve("enable"), 0);
      }

      @Override
      public String describe() {
        return "pwm " + dir;
      }
    };
  }

  private static void awaitAttributes(Path dir) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
    while (!hasAttributes(dir)) {
      if (System.nanoTime() > deadline) {
        throw new IOException(
            Files.isDirectory(dir)
                ? dir + " has no period, duty_cycle or enable file after export"
                : dir + " did not appear after export");
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for " + dir, e);
      }
    }
  }

  private static boolean hasAttributes(Path dir) {
    return Files.isRegularFile(dir.resolve("period"))
        && Files.isRegularFile(dir.resolve("duty_cycle"))
        && Files.isRegularFile(dir.resolve("enable"));
  }

  private static void write(Path file, long value) throws IOException {
    // No CREATE: a missing attribute file is an error, never a new regular file.
    Files.writeString(
        file, Long.toString(value), StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
  }
}
