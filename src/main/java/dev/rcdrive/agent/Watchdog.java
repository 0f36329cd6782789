package dev.rcdrive.agent;

/**
 * WPILib's MotorSafety idea: {@link #feed} on every valid command; {@link #expired} once none came
 * for the timeout. Not fed yet (or {@link #disarm}ed) it never expires: there is nothing to time
 * out before the first command of a session.
 */
final class Watchdog {
  private final long timeoutNanos;
  private long lastFeedNanos;
  private boolean fed;

  Watchdog(long timeoutNanos) {
    if (timeoutNanos <= 0) {
      throw new IllegalArgumentException("failsafe timeout must be positive");
    }
    this.timeoutNanos = timeoutNanos;
  }

  void feed(long nowNanos) {
    lastFeedNanos = nowNanos;
    fed = true;
  }

  boolean expired(long nowNanos) {
    return fed && nowNanos - lastFeedNanos > timeoutNanos;
  }

  void disarm() {
    fed = false;
  }

  long timeoutMillis() {
    return timeoutNanos / 1_000_000;
  }
}
