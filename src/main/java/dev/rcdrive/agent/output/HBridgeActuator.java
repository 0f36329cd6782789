package dev.rcdrive.agent.output;

import dev.rcdrive.agent.Actuator;
import dev.rcdrive.agent.Output;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A brushed motor on an H-bridge (L298N, TB6612 style: IN1, IN2 and a PWM enable) for toy cars
 * without an ESC, and a steering servo. Forward is IN1 high, reverse IN2 high, the duty cycle is
 * the throttle; brake is both high (the bridge shorts the motor); neutral is both low with no PWM
 * (the motor coasts). Direction changes go through duty 0 first so the bridge never switches under
 * load.
 *
 * @param maxDuty caps the duty cycle (a 7.4 V pack on a 6 V motor: 0.8)
 */
public final class HBridgeActuator implements Actuator {

  private static final Logger log = LoggerFactory.getLogger(HBridgeActuator.class);

  private final PwmChannel steering;
  private final Calibration steeringCal;
  private final GpioLine in1;
  private final GpioLine in2;
  private final PwmChannel enable;
  private final boolean reverse;
  private final double maxDuty;
  private final AutoCloseable device;
  private int direction; // -1, 0 (coast), 1, 2 (brake): what the pins show now
  private boolean closed;

  public HBridgeActuator(
      PwmChannel steering,
      Calibration steeringCal,
      GpioLine in1,
      GpioLine in2,
      PwmChannel enable,
      boolean reverse,
      double maxDuty,
      AutoCloseable device)
      throws IOException {
    if (!(maxDuty > 0 && maxDuty <= 1)) {
      throw new IllegalArgumentException("maxDuty must be in (0, 1], got " + maxDuty);
    }
    this.steering = steering;
    this.steeringCal = steeringCal;
    this.in1 = in1;
    this.in2 = in2;
    this.enable = enable;
    this.reverse = reverse;
    this.maxDuty = maxDuty;
    this.device = device;
    enable.duty(0);
    in1.set(false);
    in2.set(false);
    steering.pulseMicros(steeringCal.neutralMicros());
  }

  @Override
  public synchronized void apply(Output output) throws IOException {
    if (closed) {
      return;
    }
    double throttle = Double.isNaN(output.throttle()) ? 0 : output.throttle();
    throttle = Math.max(-1, Math.min(1, reverse ? -throttle : throttle));
    int want;
    double duty;
    if (throttle > 0) {
      want = 1;
      duty = throttle * maxDuty;
    } else if (throttle < 0) {
      want = -1;
      duty = -throttle * maxDuty;
    } else if (output.brake() > 0) {
      want = 2;
      duty = Math.min(1, output.brake());
    } else {
      want = 0;
      duty = 0;
    }
    if (want != direction) {
      enable.duty(0);
      in1.set(want == 1 || want == 2);
      in2.set(want == -1 || want == 2);
      direction = want;
    }
    enable.duty(duty);
    // Steering after the motor: a failing servo write must not keep a neutral from the motor.
    steering.pulseMicros(steeringCal.micros(output.steering()));
  }

  /** Each write on its own: one that fails must not keep the others from stopping the motor. */
  private void coast() throws IOException {
    IOException first = null;
    for (IoStep step :
        new IoStep[] {
          () -> enable.duty(0),
          () -> in1.set(false),
          () -> in2.set(false),
          () -> steering.pulseMicros(steeringCal.neutralMicros())
        }) {
      try {
        step.run();
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    direction = 0;
    if (first != null) {
      throw first;
    }
  }

  @FunctionalInterface
  private interface IoStep {
    void run() throws IOException;
  }

  /**
   * Motor off (coasting: no enable pulses, both lines low), steering centred and held, then no
   * steering pulses either; lines released low.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      coast();
      Outputs.holdNeutral();
      enable.off();
      steering.off();
    } catch (IOException e) {
      log.error("could not stop the motor on close", e);
    }
    in1.close();
    in2.close();
    if (device != null) {
      try {
        device.close();
      } catch (Exception e) {
        log.warn("closing the PWM device: {}", e.toString());
      }
    }
  }

  @Override
  public String toString() {
    return "h-bridge "
        + in1.describe()
        + "/"
        + in2.describe()
        + " pwm "
        + enable.describe()
        + ", servo "
        + steering.describe();
  }
}
