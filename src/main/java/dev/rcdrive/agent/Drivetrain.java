package dev.rcdrive.agent;

import dev.rcdrive.protocol.ControlFrame;
import dev.rcdrive.protocol.StateReason.Cause;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The path from a control frame to the wheels: {@link SafetyGovernor} decides, the {@link Actuator}
 * does. An actuator that throws puts the car in failsafe and is told neutral at once; while it
 * keeps failing, every tick tries neutral again. Used by {@link CarAgent} on its control thread and
 * by {@code rcdrive agent --calibrate}'s tests; not thread-safe.
 */
public final class Drivetrain {

  private static final Logger log = LoggerFactory.getLogger(Drivetrain.class);

  private final SafetyGovernor governor;
  private final Actuator actuator;
  private boolean failing;
  private long actuatorErrors;

  public Drivetrain(SafetyGovernor governor, Actuator actuator) {
    this.governor = governor;
    this.actuator = actuator;
  }

  /** A decoded control frame, applied at once (the latency path). */
  public SafetyGovernor.Verdict accept(ControlFrame frame, long nowNanos) {
    SafetyGovernor.Verdict verdict = governor.accept(frame, nowNanos);
    apply(governor.output());
    return verdict;
  }

  /**
   * The periodic tick: watchdog, slew, and re-applying the output. Returns true when this tick
   * failed safe (the frame timeout fired), so the caller logs it like every other failsafe.
   */
  public boolean tick(long nowNanos) {
    var before = governor.state();
    apply(governor.tick(nowNanos));
    return before != governor.state() && governor.state() == dev.rcdrive.protocol.CarState.FAILSAFE;
  }

  /** Neutral now, for a cause the station has no words of its own for. */
  public boolean failsafe(String reason) {
    return failsafe(Cause.OTHER, reason);
  }

  /** Neutral now (link lost, shutdown, ...); returns true when this changed the car's state. */
  public boolean failsafe(Cause cause, String reason) {
    var before = governor.state();
    governor.failsafe(cause, reason);
    apply(governor.output());
    return before != governor.state();
  }

  /** Neutral through the governor, then the actuator's own neutral-and-release. */
  public void shutdown(String reason) {
    failsafe(Cause.SHUTTING_DOWN, reason);
    actuator.close();
  }

  private void apply(Output output) {
    try {
      actuator.apply(output);
      if (failing) {
        log.info("actuator works again (the car stays in failsafe until re-armed)");
        failing = false;
      }
    } catch (Exception e) {
      actuatorErrors++;
      governor.failsafe(Cause.OUTPUT_ERROR, "actuator error: " + e.getMessage());
      if (!failing) {
        log.error("actuator failed; outputs to neutral", e);
      }
      failing = true;
      try {
        actuator.apply(governor.output());
      } catch (Exception again) {
        if (actuatorErrors == 1) {
          log.error("actuator cannot even go neutral: {}", again.toString());
        }
      }
    }
  }

  public SafetyGovernor governor() {
    return governor;
  }

  public Actuator actuator() {
    return actuator;
  }

  /** How many times the actuator threw. */
  public long actuatorErrors() {
    return actuatorErrors;
  }
}
