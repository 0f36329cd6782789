package dev.rcdrive.station.link;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A count and a sum of durations, added to from any thread, read as a consistent-enough snapshot
 * (the sum is added before the count, so a snapshot never counts a sample without its time). The
 * mean over an interval is the difference of two snapshots: the stage breakdown's local half.
 */
public final class Tally {
  private final AtomicLong count = new AtomicLong();
  private final AtomicLong sumNanos = new AtomicLong();

  public void add(long nanos) {
    sumNanos.addAndGet(nanos);
    count.incrementAndGet();
  }

  public void addMillis(double millis) {
    add(Math.round(millis * 1e6));
  }

  public Snapshot snapshot() {
    long n = count.get();
    return new Snapshot(n, sumNanos.get());
  }

  /** A count and the summed nanoseconds at one moment. */
  public record Snapshot(long count, long sumNanos) {
    public static final Snapshot NONE = new Snapshot(0, 0);

    /** Mean milliseconds per sample between {@code before} and this; NaN with no new sample. */
    public double meanMillisSince(Snapshot before) {
      long n = count - before.count;
      return n <= 0 ? Double.NaN : (sumNanos - before.sumNanos) / 1e6 / n;
    }
  }
}
