package dev.rcdrive.agent;

/**
 * The car's motor and steering outputs. Implementations: the simulator here; PWM boards and GPIO on
 * the Pi later. Called only from the agent's control thread.
 */
public interface Actuator extends AutoCloseable {

  /** Applies the output; throws when the hardware fails (the agent then fails safe). */
  void apply(Output output) throws Exception;

  /** Measured or simulated speed in m/s (negative in reverse), NaN when unknown. */
  default double speedMps() {
    return Double.NaN;
  }

  /** Battery voltage, NaN without a sensor. */
  default double batteryVolts() {
    return Double.NaN;
  }

  /** Puts the outputs to neutral and releases the hardware. */
  @Override
  void close();
}
