package dev.rcdrive.agent.output;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.i2c.I2C;
import dev.rcdrive.agent.host.I2cDevice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Pi's I2C and GPIO through Pi4J 2.x (docs/decisions/0004): I2C with the {@code linuxfs-i2c}
 * provider ({@code /dev/i2c-N} ioctl through JNA), GPIO with {@code gpiod-digital-output} (the
 * kernel's character device: works on the Pi 4 and the Pi 5, needs no daemon and no root, only the
 * i2c and gpio groups). The Pi4J context is made on first use, so a car without I2C or GPIO never
 * loads it.
 */
public final class Pi4jHardware implements Hardware {

  private Context context;

  private synchronized Context context() {
    if (context == null) {
      context = Pi4J.newAutoContext();
    }
    return context;
  }

  @Override
  public I2cDevice i2c(int bus, int address) throws IOException {
    Path node = Path.of("/dev/i2c-" + bus);
    if (!Files.exists(node)) {
      throw new IOException(node + " does not exist (enable I2C: raspi-config nonint do_i2c 0)");
    }
    if (!Files.isReadable(node) || !Files.isWritable(node)) {
      throw new IOException(node + " is not accessible: add the user to the i2c group");
    }
    Context pi4j = context();
    I2C i2c;
    try {
      i2c =
          pi4j.create(
              I2C.newConfigBuilder(pi4j)
                  .id("i2c-" + bus + "-" + Integer.toHexString(address))
                  .bus(bus)
                  .device(address)
                  .provider("linuxfs-i2c")
                  .build());
    } catch (RuntimeException e) {
      throw new IOException("cannot open " + node + " address " + hex(address) + ": " + e, e);
    }
    String name = "i2c-" + bus + "@" + hex(address);
    return new I2cDevice() {
      @Override
      public void write(int register, int value) throws IOException {
        check(i2c.writeRegister(register, (byte) value), 1, name);
      }

      @Override
      public void write(int register, byte[] values) throws IOException {
        check(i2c.writeRegister(register, values, 0, values.length), values.length, name);
      }

      @Override
      public int read(int register) throws IOException {
        int value = i2c.readRegister(register);
        if (value < 0) {
          throw new IOException(name + ": read of register " + hex(register) + " failed");
        }
        return value;
      }

      @Override
      public void read(int register, byte[] into) throws IOException {
        check(i2c.readRegister(register, into, 0, into.length), into.length, name);
      }

      @Override
      public String describe() {
        return name;
      }

      @Override
      public void close() {
        i2c.close();
      }
    };
  }

  /** Pi4J reports failures as a short count or a negative errno, not always as an exception. */
  private static void check(int done, int wanted, String name) throws IOException {
    if (done < wanted) {
      throw new IOException(name + ": transfer failed (" + done + ")");
    }
  }

  @Override
  public GpioLine gpio(int bcm) throws IOException {
    Context pi4j = context();
    DigitalOutput out;
    try {
      out =
          pi4j.create(
              DigitalOutput.newConfigBuilder(pi4j)
                  .id("gpio" + bcm)
                  .address(bcm)
                  .initial(DigitalState.LOW)
                  .shutdown(DigitalState.LOW)
                  .provider("gpiod-digital-output")
                  .build());
    } catch (RuntimeException e) {
      throw new IOException("cannot open GPIO" + bcm + ": " + e, e);
    }
    return new GpioLine() {
      @Override
      public void set(boolean high) throws IOException {
        try {
          out.state(high ? DigitalState.HIGH : DigitalState.LOW);
        } catch (RuntimeException e) {
          throw new IOException("GPIO" + bcm + ": " + e, e);
        }
      }

      @Override
      public String describe() {
        return "GPIO" + bcm;
      }

      @Override
      public void close() {
        try {
          out.low();
        } catch (RuntimeException e) {
          // released below anyway; the bridge's enable PWM is already 0
        }
        pi4j.shutdown(out.id());
      }
    };
  }

  @Override
  public Path pwmRoot() {
    return SysfsPwm.DEFAULT_ROOT;
  }

  static String hex(int value) {
    return String.format("0x%02x", value);
  }

  @Override
  public synchronized void close() {
    if (context != null) {
      context.shutdown();
      context = null;
    }
  }
}
