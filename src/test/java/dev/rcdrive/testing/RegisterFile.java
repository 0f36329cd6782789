package dev.rcdrive.testing;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A PCA9685's 256 registers as a file ({@code i2c-BUS-0xADDR}), shared by the agent (through {@link
 * FileI2cDevice}) and the fake {@code i2cset} of {@link FakeOutputTools}: what a real chip keeps
 * when the process that programmed it dies. Reads it the way the chip acts on it.
 */
public final class RegisterFile {

  static final int MODE1 = 0x00;
  static final int SLEEP = 0x10;
  static final int FULL = 0x10;

  private final Path file;

  public RegisterFile(Path file) {
    this.file = file;
  }

  /** A chip after power-on: every channel fully off, asleep (the datasheet's reset values). */
  public static RegisterFile create(Path dir, int bus, int address) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve(String.format("i2c-%d-0x%02x", bus, address));
    byte[] reset = new byte[256];
    reset[MODE1] = 0x11;
    for (int ch = 0; ch < 16; ch++) {
      reset[0x06 + 4 * ch + 3] = FULL;
    }
    Files.write(file, reset);
    return new RegisterFile(file);
  }

  public Path path() {
    return file;
  }

  public int[] read() throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    int[] values = new int[256];
    for (int i = 0; i < Math.min(256, bytes.length); i++) {
      values[i] = bytes[i] & 0xFF;
    }
    return values;
  }

  public void write(int register, int value) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(register);
      raf.write(value);
    }
  }

  /** The pulse a channel puts out now in µs at 50 Hz (prescale 121), or 0 when it pulses not. */
  public static double pulseMicros(int[] r, int channel) {
    int base = 0x06 + 4 * channel;
    if ((r[MODE1] & SLEEP) != 0 || (r[base + 3] & FULL) != 0) {
      return 0;
    }
    return (r[base + 2] | (r[base + 3] & 0x0F) << 8) * 122 / 25.0;
  }

  /** The width held in a channel's OFF registers, pulsing or not, in µs at 50 Hz. */
  public static double widthMicros(int[] r, int channel) {
    int base = 0x06 + 4 * channel;
    return (r[base + 2] | (r[base + 3] & 0x0F) << 8) * 122 / 25.0;
  }

  public static boolean asleep(int[] r) {
    return (r[MODE1] & SLEEP) != 0;
  }
}
