package dev.rcdrive.agent.output;

import dev.rcdrive.agent.host.I2cDevice;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Where the outputs' devices come from: the Pi's buses ({@link Pi4jHardware}), or fakes in tests.
 */
public interface Hardware extends AutoCloseable {

  /** The device at {@code address} on {@code /dev/i2c-<bus>}. */
  I2cDevice i2c(int bus, int address) throws IOException;

  /** A GPIO output by its BCM number, driven low. */
  GpioLine gpio(int bcm) throws IOException;

  /** The sysfs PWM class directory, {@code /sys/class/pwm} on a real system. */
  Path pwmRoot();

  @Override
  void close();
}
