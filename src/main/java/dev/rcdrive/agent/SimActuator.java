package dev.rcdrive.agent;

import dev.rcdrive.sim.CarModel;

/**
 * Drives the simulated car: the model steps on every {@link #apply} and on the agent's control
 * ticks, with the real elapsed time, so it moves exactly as the outputs say.
 */
public final class SimActuator implements Actuator {
  private final CarModel model;
  private Output output = Output.NEUTRAL;
  private long lastNanos = System.nanoTime();

  public SimActuator(CarModel model) {
    this.model = model;
  }

  @Override
  public synchronized void apply(Output next) {
    long now = System.nanoTime();
    double seconds = Math.min(0.1, (now - lastNanos) / 1e9);
    lastNanos = now;
    model.step(seconds, output.steering(), output.throttle(), output.brake());
    output = next;
  }

  @Override
  public double speedMps() {
    return model.pose().speed();
  }

  @Override
  public synchronized void close() {
    output = Output.NEUTRAL;
  }

  @Override
  public String toString() {
    return "simulated car (no outputs)";
  }
}
