package dev.rcdrive.testing;

import dev.rcdrive.agent.host.I2cDevice;
import java.io.IOException;
import java.io.RandomAccessFile;

/**
 * An I2C device whose registers are a {@link RegisterFile}: the agent's writes land in the file as
 * a real chip would keep them (block writes auto-increment only while MODE1's AI bit is set), so
 * they outlive the process, and the neutral step's fake {@code i2cset} changes the same bytes.
 */
public final class FileI2cDevice implements I2cDevice {

  private static final int AI = 0x20;

  private final RandomAccessFile raf;
  private final String name;

  public FileI2cDevice(RegisterFile registers, String name) throws IOException {
    this.raf = new RandomAccessFile(registers.path().toFile(), "rw");
    this.name = name;
  }

  @Override
  public synchronized void write(int register, int value) throws IOException {
    raf.seek(register);
    raf.write(value & 0xFF);
  }

  @Override
  public synchronized void write(int register, byte[] values) throws IOException {
    boolean autoIncrement = (read(0) & AI) != 0;
    if (autoIncrement) {
      raf.seek(register);
      raf.write(values);
    } else {
      for (byte value : values) {
        write(register, value);
      }
    }
  }

  @Override
  public synchronized int read(int register) throws IOException {
    raf.seek(register);
    return raf.read();
  }

  @Override
  public synchronized void read(int register, byte[] into) throws IOException {
    raf.seek(register);
    raf.readFully(into);
  }

  @Override
  public String describe() {
    return name;
  }

  @Override
  public synchronized void close() {
    try {
      raf.close();
    } catch (IOException e) {
      // nothing held
    }
  }
}
