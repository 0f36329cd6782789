package dev.rcdrive.agent.output;

import java.io.IOException;

/**
 * One PWM output with a fixed period: a PCA9685 channel or a Linux hardware PWM channel. Servos and
 * ESCs read the high time (1000–2000 µs every 20 ms); an H-bridge reads the duty cycle.
 */
public interface PwmChannel {

  /** The period, in nanoseconds (20 000 000 at 50 Hz). */
  long periodNanos();

  /** Sets the high time of each period; 0 means a steady low output. */
  void highNanos(long nanos) throws IOException;

  /** Sets the high time in microseconds, the unit servos and ESCs are calibrated in. */
  default void pulseMicros(int micros) throws IOException {
    highNanos(micros * 1000L);
  }

  /** Sets the duty cycle, 0..1 (clamped). */
  default void duty(double fraction) throws IOException {
    double clamped = Math.max(0, Math.min(1, fraction));
    highNanos(Math.round(clamped * periodNanos()));
  }

  /**
   * No pulses at all: a steady low line, which a servo or ESC reads as a lost signal (see
   * docs/decisions/0006). Written after neutral has been held, never instead of it.
   */
  default void off() throws IOException {
    highNanos(0);
  }

  /** A line for logs and {@code --check}, e.g. "pca9685@0x40 ch1". */
  String describe();
}
