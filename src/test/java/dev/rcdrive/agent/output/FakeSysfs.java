package dev.rcdrive.agent.output;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A {@code /sys/class/pwm} tree in a temp directory. {@link #kernel} plays the kernel's part of an
 * export: it creates {@code pwmN/} with its attribute files once N was written to {@code export}.
 */
final class FakeSysfs {
  final Path root;
  final Path chip;

  FakeSysfs(Path root, int chipNumber, int channels) throws IOException {
    this.root = root;
    this.chip = root.resolve("pwmchip" + chipNumber);
    Files.createDirectories(chip);
    Files.writeString(chip.resolve("npwm"), channels + "\n");
    Files.writeString(chip.resolve("export"), "");
    Files.writeString(chip.resolve("unexport"), "");
  }

  /** Creates pwmN/ as the kernel does after an export (period 0, duty 0, disabled). */
  void createChannel(int channel) throws IOException {
    createChannel(channel, 0);
  }

  /** As {@link #createChannel(int)}, with a pause between the directory and its files. */
  void createChannel(int channel, long attributesAfterMillis) throws IOException {
    Path dir = chip.resolve("pwm" + channel);
    Files.createDirectories(dir);
    if (attributesAfterMillis > 0) {
      try {
        Thread.sleep(attributesAfterMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
    Files.writeString(dir.resolve("period"), "0\n");
    Files.writeString(dir.resolve("duty_cycle"), "0\n");
    Files.writeString(dir.resolve("enable"), "0\n");
    Files.writeString(dir.resolve("polarity"), "normal\n");
  }

  /** A bounded "kernel" thread: serves exports for up to two seconds. */
  Thread kernel() {
    return kernel(0);
  }

  /**
   * As {@link #kernel()}, but each exported channel's attribute files come {@code
   * attributesAfterMillis} after its directory: the window a real export leaves open.
   */
  Thread kernel(long attributesAfterMillis) {
    Thread thread =
        new Thread(
            () -> {
              long deadline = System.nanoTime() + 2_000_000_000L;
              while (System.nanoTime() < deadline) {
                try {
                  String exported = Files.readString(chip.resolve("export")).trim();
                  if (!exported.isEmpty()) {
                    Files.writeString(chip.resolve("export"), "");
                    createChannel(Integer.parseInt(exported), attributesAfterMillis);
                  }
                  Thread.sleep(5);
                } catch (IOException | InterruptedException | NumberFormatException e) {
                  return;
                }
              }
            },
            "fake-sysfs-kernel");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  long read(int channel, String attribute) throws IOException {
    return Long.parseLong(
        Files.readString(chip.resolve("pwm" + channel).resolve(attribute)).trim());
  }

  /** Makes writes to an attribute fail (a directory in its place), or work again. */
  void breakAttribute(int channel, String attribute, boolean broken) throws IOException {
    Path file = chip.resolve("pwm" + channel).resolve(attribute);
    if (broken) {
      Files.delete(file);
      Files.createDirectory(file);
    } else {
      Files.delete(file);
      Files.writeString(file, "0\n");
    }
  }
}
