package dev.rcdrive.agent.host;

import java.io.IOException;

/**
 * One device on an I2C bus, addressed by register: what the PCA9685 and the INA219 need and no
 * more. The real one is {@code Pi4jHardware}'s; tests use a fake that records the writes.
 */
public interface I2cDevice extends AutoCloseable {

  /** Writes one register. */
  void write(int register, int value) throws IOException;

  /** Writes consecutive registers from {@code register} (the device must auto-increment). */
  void write(int register, byte[] values) throws IOException;

  /** Reads one register. */
  int read(int register) throws IOException;

  /** Reads {@code into.length} consecutive bytes starting at {@code register}. */
  void read(int register, byte[] into) throws IOException;

  /** e.g. "i2c-1@0x40". */
  String describe();

  @Override
  void close();
}
