package dev.rcdrive.agent;

import dev.rcdrive.protocol.CarState;
import dev.rcdrive.protocol.ControlFrame;
import dev.rcdrive.protocol.StateReason;
import dev.rcdrive.protocol.StateReason.Cause;

/**
 * The car's safety rules, as pure logic with injected time, so every rule is tested without a car
 * or a clock:
 *
 * <ul>
 *   <li>disarmed at start; arming needs the station's explicit act: a frame with {@code armed}
 *       after one without it (a station that connects already "armed" does not arm the car);
 *   <li>e-stop latches: only a frame without {@code estop} clears it, and the car is then disarmed
 *       until armed again;
 *   <li>failsafe: no valid frame for {@code failsafeMs}, or {@link #failsafe} (link lost, output
 *       error, shutdown) → neutral at once; it clears only through a disarmed frame, so the car
 *       stays still until the driver re-arms;
 *   <li>frames not newer than the newest applied (sequence numbers, RFC 1982) are dropped;
 *   <li>the car's {@link Limits} cap every command; growing throttle is slew-limited, slowing down
 *       never is.
 * </ul>
 *
 * Not thread-safe: the agent calls it from its control thread only.
 */
public final class SafetyGovernor {

  private final Limits limits;
  private final Watchdog watchdog;

  private CarState state = CarState.DISARMED;
  private StateReason reason = StateReason.of(CarState.DISARMED, Cause.STARTED);
  private boolean seenUnarmedFrame;
  private long newestSeq = -1;
  private ControlFrame lastAccepted;
  private long lastAcceptedNanos;
  private long rejected;
  private Output target;
  private Output output;
  private long lastTickNanos;

  public SafetyGovernor(Limits limits, long failsafeNanos, long nowNanos) {
    this.limits = limits;
    this.watchdog = new Watchdog(failsafeNanos);
    this.target = neutral();
    this.output = neutral();
    this.lastTickNanos = nowNanos;
  }

  /** Outcome of offering a frame. */
  public enum Verdict {
    APPLIED,
    STALE
  }

  /** Takes a decoded control frame; returns STALE (and counts it) for old or repeated ones. */
  public Verdict accept(ControlFrame frame, long nowNanos) {
    if (newestSeq >= 0 && !isNewer(frame.seq(), newestSeq)) {
      rejected++;
      return Verdict.STALE;
    }
    newestSeq = frame.seq();
    lastAccepted = frame;
    lastAcceptedNanos = nowNanos;
    watchdog.feed(nowNanos);

    if (frame.estop()) {
      if (state != CarState.ESTOP) {
        enter(CarState.ESTOP, Cause.ESTOP_BY_DRIVER, 0, "");
      }
    } else if (state == CarState.ESTOP) {
      enter(CarState.DISARMED, Cause.ESTOP_CLEARED, 0, "");
      seenUnarmedFrame = !frame.armed();
    } else if (!frame.armed()) {
      seenUnarmedFrame = true;
      if (state != CarState.DISARMED) {
        enter(CarState.DISARMED, Cause.DISARMED_BY_DRIVER, 0, "");
      }
    } else if (state == CarState.DISARMED && seenUnarmedFrame) {
      enter(CarState.ARMED, Cause.ARMED_BY_DRIVER, 0, "");
    }
    target = state == CarState.ARMED ? limited(frame) : neutral();
    advance(nowNanos); // apply now, not at the next tick: this is the latency path
    return Verdict.APPLIED;
  }

  /** Counts a frame that could not even be decoded. */
  public void countMalformed() {
    rejected++;
  }

  /** {@link #failsafe(Cause, String)} with a cause the station has no words of its own for. */
  public void failsafe(String why) {
    failsafe(Cause.OTHER, why);
  }

  /**
   * Goes to neutral now and stays there until the station disarms and re-arms. Keeps the first
   * reason when already failed safe.
   *
   * @param detail the car's own words ("link failed", "actuator error: …"), "" for none
   */
  public void failsafe(Cause cause, String detail) {
    failsafe(cause, 0, detail);
  }

  private void failsafe(Cause cause, int millis, String detail) {
    if (state != CarState.ESTOP && state != CarState.FAILSAFE) {
      // the first cause is the one worth telling the driver
      enter(CarState.FAILSAFE, cause, millis, detail);
    }
    seenUnarmedFrame = false;
    target = neutral();
    output = neutral();
  }

  /**
   * Advances time: fires the watchdog and moves the output toward the target within the slew
   * limits. Returns what the actuators must show now.
   */
  public Output tick(long nowNanos) {
    if (watchdog.expired(nowNanos) && state != CarState.FAILSAFE && state != CarState.ESTOP) {
      failsafe(Cause.CONTROL_TIMEOUT, (int) Math.min(0xFFFF, watchdog.timeoutMillis()), "");
    }
    advance(nowNanos);
    return output;
  }

  private void advance(long nowNanos) {
    double seconds = Math.max(0, (nowNanos - lastTickNanos) / 1e9);
    lastTickNanos = nowNanos;
    output = state == CarState.ARMED ? slewed(target, seconds) : neutral();
  }

  private Output limited(ControlFrame frame) {
    double throttle =
        Math.max(-limits.maxReverse(), Math.min(limits.maxForward(), frame.throttle()));
    double steering =
        clamp(limits.steeringTrim() + frame.steering() * limits.steeringRange(), -1, 1);
    return new Output(steering, throttle, clamp(frame.brake(), 0, 1));
  }

  private Output neutral() {
    return new Output(limits.steeringTrim(), 0, 0);
  }

  /**
   * Moves toward the target within the slew limits. Throttle that shrinks toward zero (or goes to
   * zero) changes at once; throttle that grows, or changes direction (through zero), is limited.
   */
  private Output slewed(Output to, double seconds) {
    double current = output.throttle();
    double throttle;
    boolean towardZero =
        Math.abs(to.throttle()) <= Math.abs(current)
            && Math.signum(to.throttle()) * Math.signum(current) >= 0;
    if (towardZero) {
      throttle = to.throttle();
    } else {
      double from = Math.signum(to.throttle()) == Math.signum(current) ? current : 0;
      double step = limits.throttleSlewPerSecond() * seconds;
      throttle = from + clamp(to.throttle() - from, -step, step);
    }
    double steerStep = limits.steeringSlewPerSecond() * seconds;
    double steering =
        output.steering() + clamp(to.steering() - output.steering(), -steerStep, steerStep);
    return new Output(steering, throttle, to.brake());
  }

  private void enter(CarState next, Cause cause, int millis, String detail) {
    state = next;
    reason = StateReason.of(next, cause, millis, detail);
  }

  /** RFC 1982 serial number arithmetic on 32 bits: is {@code a} after {@code b}? */
  static boolean isNewer(long a, long b) {
    return (int) (a - b) > 0;
  }

  private static double clamp(double value, double min, double max) {
    return Math.max(min, Math.min(max, value));
  }

  public CarState state() {
    return state;
  }

  /** Why the car is in its state, in words for logs. */
  public String reason() {
    return reason.text();
  }

  /** Why the car is in its state, as the driver's station gets it. */
  public StateReason stateReason() {
    return reason;
  }

  public Output output() {
    return output;
  }

  public long rejectedFrames() {
    return rejected;
  }

  /** The newest applied frame, or null. */
  public ControlFrame lastAccepted() {
    return lastAccepted;
  }

  public long lastAcceptedNanos() {
    return lastAcceptedNanos;
  }

  /**
   * Forgets the sequence of a previous driver: a new link starts its own numbering. An armed car
   * fails safe (the watchdog restarts with the new link, so it could not stop it), and the new link
   * must send a disarmed frame before it can arm, like any station that connects.
   */
  public void newSession() {
    if (state == CarState.ARMED) {
      failsafe(Cause.NEW_DRIVER, "");
    }
    seenUnarmedFrame = false;
    newestSeq = -1;
    lastAccepted = null;
    watchdog.disarm();
  }
}
