package dev.rcdrive.agent.output;

import dev.rcdrive.agent.host.I2cDevice;
import java.io.IOException;

/**
 * NXP PCA9685, the 16-channel 12-bit PWM board most RC-car Pis use. One period is 4096 counts of
 * the oscillator divided by {@code PRE_SCALE + 1}; each channel goes high at count ON and low at
 * count OFF. We always start the pulse at 0, so OFF is the pulse width in counts.
 *
 * <p>Register facts from the datasheet (rev. 4): MODE1 0x00 (RESTART 0x80, AI auto-increment 0x20,
 * SLEEP 0x10, ALLCALL 0x01), MODE2 0x01 (OUTDRV 0x04 totem-pole), LEDn_ON_L at 0x06 + 4n, ALL_LED
 * at 0xFA, PRE_SCALE 0xFE (writable only while SLEEP is set; 3..255), and the oscillator needs 500
 * µs after leaving SLEEP before RESTART.
 */
public final class Pca9685 implements AutoCloseable {

  static final int MODE1 = 0x00;
  static final int MODE2 = 0x01;
  static final int LED0_ON_L = 0x06;
  static final int ALL_LED_ON_L = 0xFA;
  static final int PRE_SCALE = 0xFE;

  static final int RESTART = 0x80;
  static final int AI = 0x20;
  static final int SLEEP = 0x10;
  static final int ALLCALL = 0x01;
  static final int OUTDRV = 0x04;

  /** Bit 4 of LEDn_OFF_H: the channel is fully off. */
  static final int FULL = 0x10;

  public static final int CHANNELS = 16;
  public static final int DEFAULT_OSCILLATOR_HZ = 25_000_000;

  private final I2cDevice device;
  private final double oscillatorHz;
  private final int prescale;

  /** The OFF count each channel was last given, kept in OFF_H's low bits when it is turned off. */
  private final int[] lastCounts = new int[CHANNELS];

  /**
   * Puts the chip to sleep, sets the frequency, wakes it and restarts its outputs. {@code
   * oscillatorHz} corrects for the internal oscillator's spread (±5 % by the datasheet; measure a
   * pulse with a scope or a servo tester and adjust).
   */
  public Pca9685(I2cDevice device, int frequencyHz, int oscillatorHz) throws IOException {
    this.device = device;
    this.oscillatorHz = oscillatorHz;
    this.prescale = prescale(frequencyHz, oscillatorHz);
    device.write(MODE1, SLEEP | AI | ALLCALL); // PRE_SCALE is writable only in sleep
    device.write(PRE_SCALE, prescale);
    // OUTNE = 00: with OE pulled high (the heartbeat circuit's "agent gone") every output is low.
    device.write(MODE2, OUTDRV);
    device.write(MODE1, AI | ALLCALL);
    sleepForOscillator();
    device.write(MODE1, RESTART | AI | ALLCALL);
  }

  /** {@code round(osc / (4096 × f)) − 1}, refused when outside the chip's 3..255. */
  static int prescale(int frequencyHz, int oscillatorHz) {
    long value = Math.round(oscillatorHz / (4096.0 * frequencyHz)) - 1;
    if (value < 3 || value > 255) {
      throw new IllegalArgumentException(
          "PCA9685 cannot run at " + frequencyHz + " Hz (24-1526 Hz at 25 MHz)");
    }
    return (int) value;
  }

  private static void sleepForOscillator() {
    try {
      Thread.sleep(1); // ≥ 500 µs
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public int prescale() {
    return prescale;
  }

  /** The real period after rounding the prescaler, in nanoseconds. */
  public long periodNanos() {
    return Math.round(4096.0 * (prescale + 1) / oscillatorHz * 1e9);
  }

  /** Counts (0..4096) for a high time; 4096 means always on. */
  int counts(long highNanos) {
    double perCount = (prescale + 1) / oscillatorHz * 1e9;
    return (int) Math.max(0, Math.min(4096, Math.round(highNanos / perCount)));
  }

  /** Writes ON = 0 and OFF = counts in one auto-incremented block. */
  void setCounts(int channel, int counts) throws IOException {
    lastCounts[channel] = Math.max(0, Math.min(4095, counts));
    byte[] regs;
    if (counts <= 0) {
      regs = new byte[] {0, 0, 0, (byte) FULL};
    } else if (counts >= 4096) {
      regs = new byte[] {0, (byte) FULL, 0, 0};
    } else {
      regs = new byte[] {0, 0, (byte) (counts & 0xFF), (byte) (counts >> 8)};
    }
    device.write(LED0_ON_L + 4 * channel, regs);
  }

  /** Channel {@code index} (0..15) as a {@link PwmChannel}. */
  public PwmChannel channel(int index) {
    if (index < 0 || index >= CHANNELS) {
      throw new IllegalArgumentException("PCA9685 channel must be 0-15, got " + index);
    }
    return new PwmChannel() {
      @Override
      public long periodNanos() {
        return Pca9685.this.periodNanos();
      }

      @Override
      public void highNanos(long nanos) throws IOException {
        setCounts(index, counts(nanos));
      }

      /**
       * FULL_OFF in OFF_H alone (one byte, so no half-written width is ever shown); the count stays
       * in the low bits, so the registers still say what the last width was.
       */
      @Override
      public void off() throws IOException {
        device.write(LED0_ON_L + 4 * index + 3, FULL | (lastCounts[index] >> 8 & 0x0F));
      }

      @Override
      public String describe() {
        return "pca9685 " + device.describe() + " ch" + index;
      }
    };
  }

  /** Answers whether the chip is there: MODE1 reads back with AI set (our configuration). */
  public boolean responds() throws IOException {
    return (device.read(MODE1) & AI) != 0;
  }

  /**
   * Stops the oscillator: no channel pulses until the chip is initialised again (a channel already
   * set fully off stays low). What a stopped agent leaves behind (docs/decisions/0006).
   */
  public void sleep() throws IOException {
    device.write(MODE1, SLEEP | AI | ALLCALL);
  }

  /** The register values the neutral step writes (output.NeutralStep): ON = 0, OFF = counts. */
  public int countsForMicros(int micros) {
    return counts(micros * 1000L);
  }

  /**
   * Puts the chip to sleep (the actuator has held neutral, then turned its channels off) and
   * releases the bus.
   */
  @Override
  public void close() {
    try {
      sleep();
    } catch (IOException e) {
      // the bus is gone; the channels were turned off (or the neutral step will be) anyway
    }
    device.close();
  }
}
