package dev.rcdrive.agent.output;

import dev.rcdrive.agent.host.I2cDevice;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A register file that behaves like a PCA9685 where it matters to us: block writes auto-increment
 * only while MODE1's AI bit is set, PRE_SCALE ignores writes unless SLEEP is set, and RESTART reads
 * back cleared. Every byte written is recorded in order; writes can be made to fail.
 */
final class FakeI2cDevice implements I2cDevice {

  /** One byte written to one register. */
  record Write(int register, int value) {}

  final int[] registers = new int[256];
  final List<Write> writes = new ArrayList<>();
  private final String name;
  int failWrites;
  boolean failForever;
  boolean closed;

  FakeI2cDevice(String name) {
    this.name = name;
  }

  private void maybeFail() throws IOException {
    if (failForever || failWrites > 0) {
      failWrites = Math.max(0, failWrites - 1);
      throw new IOException(name + ": Remote I/O error");
    }
  }

  @Override
  public void write(int register, int value) throws IOException {
    maybeFail();
    store(register, value & 0xFF);
  }

  @Override
  public void write(int register, byte[] values) throws IOException {
    maybeFail();
    boolean autoIncrement = (registers[Pca9685.MODE1] & Pca9685.AI) != 0;
    for (int i = 0; i < values.length; i++) {
      store(autoIncrement ? register + i : register, values[i] & 0xFF);
    }
  }

  private void store(int register, int value) {
    writes.add(new Write(register, value));
    if (register == Pca9685.PRE_SCALE && (registers[Pca9685.MODE1] & Pca9685.SLEEP) == 0) {
      return; // the chip ignores PRE_SCALE while awake
    }
    registers[register] = register == Pca9685.MODE1 ? value & ~Pca9685.RESTART : value;
  }

  @Override
  public int read(int register) throws IOException {
    if (failForever) {
      throw new IOException(name + ": Remote I/O error");
    }
    return registers[register];
  }

  @Override
  public void read(int register, byte[] into) throws IOException {
    for (int i = 0; i < into.length; i++) {
      into[i] = (byte) read(register + i);
    }
  }

  /** The OFF count of a PCA9685 channel (its pulse width in counts), or -1 when fully off. */
  int offCounts(int channel) {
    int base = Pca9685.LED0_ON_L + 4 * channel;
    if ((registers[base + 3] & Pca9685.FULL) != 0) {
      return -1;
    }
    return registers[base + 2] | (registers[base + 3] & 0x0F) << 8;
  }

  /**
   * The last pulse width (OFF counts) a channel was given before anything else, from the write log:
   * what it showed before being turned fully off. -1 if it never pulsed.
   */
  int lastPulseCounts(int channel) {
    int offL = Pca9685.LED0_ON_L + 4 * channel + 2;
    int low = 0;
    int last = -1;
    for (Write w : writes) {
      if (w.register() == offL) {
        low = w.value();
      } else if (w.register() == offL + 1 && (w.value() & Pca9685.FULL) == 0) {
        last = low | (w.value() & 0x0F) << 8;
      }
    }
    return last;
  }

  /** MODE1's SLEEP bit: the oscillator is off and no channel pulses. */
  boolean asleep() {
    return (registers[Pca9685.MODE1] & Pca9685.SLEEP) != 0;
  }

  @Override
  public String describe() {
    return name;
  }

  @Override
  public void close() {
    closed = true;
  }
}
