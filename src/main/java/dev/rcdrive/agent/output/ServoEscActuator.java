package dev.rcdrive.agent.output;

import dev.rcdrive.agent.Actuator;
import dev.rcdrive.agent.Output;
import java.io.IOException;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A steering servo and an ESC on two PWM channels (a PCA9685 or hardware PWM), each with its own
 * {@link Calibration}. Both start at neutral; the ESC holds neutral for its {@code armMs} whatever
 * it is told (an ESC arms only after seeing neutral, and a command during that time could make it
 * enter programming mode). Brake maps to neutral: a car ESC's drag brake acts at neutral, and a
 * reverse pulse could mean reverse on an ESC without brake-first logic.
 */
public final class ServoEscActuator implements Actuator {

  private static final Logger log = LoggerFactory.getLogger(ServoEscActuator.class);

  private final PwmChannel steering;
  private final Calibration steeringCal;
  private final PwmChannel throttle;
  private final Calibration throttleCal;
  private final LongSupplier nanoClock;
  private final long armedAtNanos;
  private final AutoCloseable device;
  private boolean closed;

  /**
   * Writes neutral to both channels at once; {@code device} (the PCA9685, or nothing) is released
   * on close after the outputs went neutral.
   */
  public ServoEscActuator(
      PwmChannel steering,
      Calibration steeringCal,
      PwmChannel throttle,
      Calibration throttleCal,
      LongSupplier nanoClock,
      AutoCloseable device)
      throws IOException {
    this.steering = steering;
    this.steeringCal = steeringCal;
    this.throttle = throttle;
    this.throttleCal = throttleCal;
    this.nanoClock = nanoClock;
    this.device = device;
    writeNeutral();
    this.armedAtNanos = nanoClock.getAsLong() + throttleCal.armMs() * 1_000_000L;
  }

  @Override
  public synchronized void apply(Output output) throws IOException {
    if (closed) {
      return;
    }
    // The motor first: if the steering write then fails, the failsafe's neutral (written the same
    // way) has already reached the ESC before the error.
    double value = arming() || output.brake() > 0 ? 0 : output.throttle();
    throttle.pulseMicros(throttleCal.micros(value));
    steering.pulseMicros(steeringCal.micros(output.steering()));
  }

  /** True while the ESC's arming time runs. */
  public boolean arming() {
    return nanoClock.getAsLong() - armedAtNanos < 0;
  }

  private void writeNeutral() throws IOException {
    throttle.pulseMicros(throttleCal.neutralMicros()); // the motor first
    steering.pulseMicros(steeringCal.neutralMicros());
  }

  /**
   * Neutral first and held for {@link Outputs#NEUTRAL_HOLD_MILLIS}, then no pulses at all
   * (docs/decisions/0006): a steady neutral is the one command every ESC obeys, so it is what the
   * ESC sees last; an ESC that then holds its last valid pulse holds neutral, and one with a
   * signal-loss failsafe engages it.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      writeNeutral();
      Outputs.holdNeutral();
      throttle.off(); // the motor first, as always
      steering.off();
    } catch (IOException e) {
      log.error("could not write neutral and stop the pulses on close", e);
    }
    if (device != null) {
      try {
        device.close();
      } catch (Exception e) {
        log.warn("closing {}: {}", steering.describe(), e.toString());
      }
    }
  }

  @Override
  public String toString() {
    return "servo " + steering.describe() + ", esc " + throttle.describe();
  }
}
