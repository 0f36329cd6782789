package dev.rcdrive.agent.output;

import dev.rcdrive.agent.host.I2cDevice;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Fake I2C devices, GPIO lines and a sysfs PWM tree; a missing I2C device does not answer. */
final class FakeHardware implements Hardware {
  final Map<String, FakeI2cDevice> i2c = new HashMap<>();
  final Map<Integer, FakeGpioLine> gpio = new HashMap<>();
  private final Path pwmRoot;
  boolean closed;

  FakeHardware(Path pwmRoot) {
    this.pwmRoot = pwmRoot;
  }

  FakeI2cDevice addI2c(int bus, int address) {
    FakeI2cDevice device = new FakeI2cDevice("i2c-" + bus + "@0x" + Integer.toHexString(address));
    i2c.put(bus + ":" + address, device);
    return device;
  }

  @Override
  public I2cDevice i2c(int bus, int address) throws IOException {
    FakeI2cDevice device = i2c.get(bus + ":" + address);
    if (device == null) {
      throw new IOException("/dev/i2c-" + bus + " does not exist");
    }
    return device;
  }

  @Override
  public GpioLine gpio(int bcm) {
    return gpio.computeIfAbsent(bcm, FakeGpioLine::new);
  }

  @Override
  public Path pwmRoot() {
    return pwmRoot;
  }

  @Override
  public void close() {
    closed = true;
  }
}
