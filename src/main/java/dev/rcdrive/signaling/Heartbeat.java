package dev.rcdrive.signaling;

import java.time.Duration;

/**
 * The lost-connection rule both ends use, on a {@link Scheduler}'s clock: ping every interval, and
 * a peer whose last pong (or the opening of the connection) is older than one and a half intervals
 * is gone. It is Java-WebSocket's own rule, moved onto an injected clock so that tests can check it
 * without waiting.
 */
final class Heartbeat {
  private final long intervalNanos;
  private volatile long lastHeard;
  private final java.util.concurrent.atomic.AtomicLong pongs =
      new java.util.concurrent.atomic.AtomicLong();

  Heartbeat(Duration interval, long nowNanos) {
    this.intervalNanos = interval.toNanos();
    this.lastHeard = nowNanos;
  }

  Duration interval() {
    return Duration.ofNanos(intervalNanos);
  }

  /** The connection opened: the clock for the first pong starts now. */
  void opened(long nowNanos) {
    lastHeard = nowNanos;
  }

  /** A pong arrived (any thread). */
  void heard(long nowNanos) {
    lastHeard = nowNanos;
    pongs.incrementAndGet();
  }

  /** Pongs heard so far: a probe compares counts, which a clock standing still cannot fool. */
  long pongs() {
    return pongs.get();
  }

  /** True when nothing was heard for more than 1.5 intervals: close instead of pinging again. */
  boolean lost(long nowNanos) {
    return nowNanos - lastHeard > intervalNanos + intervalNanos / 2;
  }
}
