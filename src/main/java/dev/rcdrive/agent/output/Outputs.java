package dev.rcdrive.agent.output;

import dev.rcdrive.agent.Actuator;
import dev.rcdrive.agent.AgentConfig;
import dev.rcdrive.agent.host.I2cDevice;
import java.io.IOException;
import java.util.function.LongSupplier;

/** Builds the configured real outputs from a {@link Hardware} (the Pi's, or fakes). */
public final class Outputs {

  private Outputs() {}

  /**
   * How long neutral is held before the pulses stop on a clean stop (and in the neutral step): five
   * periods at 50 Hz, enough for an ESC that filters its input over a few frames to act on neutral
   * before it loses the signal.
   */
  public static final int NEUTRAL_HOLD_MILLIS = 100;

  static void holdNeutral() {
    try {
      Thread.sleep(NEUTRAL_HOLD_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // stop pulsing at once then: neutral was written
    }
  }

  /** The PWM device an actuator's channels live on. */
  interface PwmDevice extends AutoCloseable {
    PwmChannel open(int channel, int neutralMicros) throws IOException;

    @Override
    void close();
  }

  /** Opens the actuator of {@code config.actuator()} (not "sim"), all outputs at neutral. */
  public static Actuator open(AgentConfig config, Hardware hardware, LongSupplier nanoClock)
      throws IOException {
    AgentConfig.Outputs out = config.outputs();
    switch (config.actuator()) {
      case PCA9685, SYSFS_PWM -> {
        PwmDevice device = pwmDevice(config.pwmKind(), config, hardware);
        try {
          PwmChannel throttle =
              device.open(out.throttle().channel(), calibration(out.throttle()).neutralMicros());
          PwmChannel steering =
              device.open(out.steering().channel(), calibration(out.steering()).neutralMicros());
          return new ServoEscActuator(
              steering,
              calibration(out.steering()),
              throttle,
              calibration(out.throttle()),
              nanoClock,
              device);
        } catch (IOException | RuntimeException e) {
          device.close();
          throw e;
        }
      }
      case HBRIDGE -> {
        AgentConfig.HBridge h = out.hbridge();
        PwmDevice device = pwmDevice(h.pwm(), config, hardware);
        GpioLine in1 = null;
        GpioLine in2 = null;
        try {
          PwmChannel enable = device.open(h.channel(), 0);
          PwmChannel steering =
              device.open(out.steering().channel(), calibration(out.steering()).neutralMicros());
          in1 = hardware.gpio(h.in1());
          in2 = hardware.gpio(h.in2());
          return new HBridgeActuator(
              steering,
              calibration(out.steering()),
              in1,
              in2,
              enable,
              h.reverse(),
              h.maxDuty(),
              device);
        } catch (IOException | RuntimeException e) {
          if (in1 != null) {
            in1.close();
          }
          if (in2 != null) {
            in2.close();
          }
          device.close();
          throw e;
        }
      }
      default ->
          throw new IllegalArgumentException("no real outputs for actuator " + config.actuator());
    }
  }

  /** One output's channel, alone, for {@code --calibrate}; close {@code device} when done. */
  public record Channel(PwmChannel pwm, AgentConfig.Servo servo, AutoCloseable device) {}

  /**
   * Opens the steering or throttle output's channel at its configured neutral. An H-bridge's
   * throttle is a duty cycle, not a pulse: only its steering can be calibrated.
   */
  public static Channel openChannel(AgentConfig config, Hardware hardware, String which)
      throws IOException {
    AgentConfig.Servo servo = calibrationTarget(config, which);
    PwmDevice device = pwmDevice(config.pwmKind(), config, hardware);
    try {
      return new Channel(device.open(servo.channel(), servo.neutralUs()), servo, device);
    } catch (IOException | RuntimeException e) {
      device.close();
      throw e;
    }
  }

  /** The output {@code --calibrate which} would step; refuses what cannot be calibrated. */
  public static AgentConfig.Servo calibrationTarget(AgentConfig config, String which) {
    AgentConfig.Outputs out = config.outputs();
    AgentConfig.Servo servo =
        switch (which) {
          case "steering" -> out.steering();
          case "throttle" -> out.throttle();
          default ->
              throw new IllegalArgumentException(
                  "--calibrate: 'steering' or 'throttle', got '" + which + "'");
        };
    if (config.actuator() == AgentConfig.ActuatorKind.SIM) {
      throw new IllegalArgumentException("--calibrate: actuator is 'sim'; nothing to calibrate");
    }
    if (config.actuator() == AgentConfig.ActuatorKind.HBRIDGE && which.equals("throttle")) {
      throw new IllegalArgumentException(
          "--calibrate: an H-bridge's throttle is a duty cycle; only steering has pulse widths");
    }
    return servo;
  }

  public static Calibration calibration(AgentConfig.Servo s) {
    return new Calibration(s.minUs(), s.neutralUs(), s.maxUs(), s.reverse(), s.trimUs(), s.armMs());
  }

  /** The PWM device of {@code type}, initialised. */
  static PwmDevice pwmDevice(AgentConfig.PwmKind type, AgentConfig config, Hardware hardware)
      throws IOException {
    if (type == AgentConfig.PwmKind.PCA9685) {
      AgentConfig.Pca9685 p = config.outputs().pca9685();
      I2cDevice i2c = hardware.i2c(p.bus(), p.address());
      Pca9685 chip;
      try {
        chip = new Pca9685(i2c, p.frequencyHz(), p.oscillatorHz());
      } catch (IOException | RuntimeException e) {
        i2c.close();
        throw new IOException(
            "PCA9685 at " + i2c.describe() + " does not answer: " + e.getMessage(), e);
      }
      return new PwmDevice() {
        @Override
        public PwmChannel open(int channel, int neutralMicros) throws IOException {
          PwmChannel ch = chip.channel(channel);
          ch.pulseMicros(neutralMicros);
          return ch;
        }

        @Override
        public void close() {
          chip.close();
        }
      };
    }
    AgentConfig.SysfsPwm s = config.outputs().sysfsPwm();
    SysfsPwm chip = new SysfsPwm(hardware.pwmRoot(), s.chip());
    long period = Math.round(1e9 / s.frequencyHz());
    return new PwmDevice() {
      @Override
      public PwmChannel open(int channel, int neutralMicros) throws IOException {
        return chip.open(channel, period, neutralMicros * 1000L);
      }

      @Override
      public void close() {}
    };
  }
}
