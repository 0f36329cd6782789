package dev.rcdrive.station.link;

import java.util.Arrays;

/**
 * A bounded, thread-safe record of latency samples (the newest {@code capacity}), for medians and
 * tails in probe reports. Not for hot paths that need constant time: a report sorts a copy.
 */
public final class Samples {
  private final double[] values;
  private int next;
  private long count;

  public Samples(int capacity) {
    this.values = new double[capacity];
  }

  public synchronized void add(double value) {
    values[next] = value;
    next = (next + 1) % values.length;
    count++;
  }

  public synchronized long count() {
    return count;
  }

  /** The p-th percentile (0-100) by nearest rank, or NaN without samples. */
  public synchronized double percentile(double p) {
    int n = (int) Math.min(count, values.length);
    if (n == 0) {
      return Double.NaN;
    }
    double[] sorted = Arrays.copyOf(values, n);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * n);
    return sorted[Math.max(0, Math.min(n - 1, rank - 1))];
  }
}
