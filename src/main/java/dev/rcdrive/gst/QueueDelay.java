package dev.rcdrive.gst;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * How long the car's packets wait in a queue on the path, from the transport-wide feedback's
 * per-packet times: each packet's one-way delay (arrival on the driver's clock minus sending on the
 * car's; the clocks need not agree, only tick at the same rate) against the lowest of the last
 * {@link #BASE_NANOS}, the path without a queue.
 *
 * <p>The estimate is the lowest delay of the last {@link #TROUGH_NANOS} above that base: the
 * packets that found the queue emptiest. A keyframe's burst (a hundred ms of a narrow uplink) and
 * the frames queued behind it clear within that time when the car sends below the link, and a
 * path's jitter reaches its low end within it too, so neither reads as a queue; a car sending above
 * the link raises even the lowest. The round trip in receiver reports says the same a second later,
 * and never forgets its lowest.
 *
 * <p>A path whose own delay rises (a handover to a slower cell) reads as a queue until the base
 * forgets the old lowest, {@link #BASE_NANOS} later. Plain code: the packets' own times are its
 * clock; not thread-safe (the caller holds a lock).
 */
final class QueueDelay {

  /** The path's own delay is the lowest seen over this long. */
  static final long BASE_NANOS = TimeUnit.SECONDS.toNanos(10);

  /** The queue is the lowest delay over this long above the base. */
  static final long TROUGH_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  /** The arrival rate is measured over this long. */
  static final long RATE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  /** Arrival time and one-way delay, ascending in delay: the minimum of a sliding window. */
  private final ArrayDeque<long[]> base = new ArrayDeque<>();

  private final ArrayDeque<long[]> trough = new ArrayDeque<>();
  private final ArrayDeque<long[]> arrivals = new ArrayDeque<>();
  private long arrivedBytes;
  private long firstArrival = Long.MIN_VALUE;
  private long newestArrival = Long.MIN_VALUE;

  /**
   * One packet the driver reported: when the car sent it and when it arrived (each on its own
   * side's clock, ns), and its payload size. A lost packet is not passed in.
   */
  void onPacket(long sentNanos, long arrivedNanos, int bytes) {
    if (firstArrival == Long.MIN_VALUE) {
      firstArrival = arrivedNanos;
    }
    newestArrival = Math.max(newestArrival, arrivedNanos);
    long delay = arrivedNanos - sentNanos;
    slide(base, arrivedNanos, delay, BASE_NANOS);
    slide(trough, arrivedNanos, delay, TROUGH_NANOS);
    arrivals.addLast(new long[] {arrivedNanos, bytes});
    arrivedBytes += bytes;
    while (arrivals.size() > 1 && newestArrival - arrivals.peekFirst()[0] > RATE_NANOS) {
      arrivedBytes -= arrivals.removeFirst()[1];
    }
  }

  /** Adds a sample to a sliding-window minimum and drops what fell out of the window. */
  private void slide(ArrayDeque<long[]> window, long at, long delay, long span) {
    while (!window.isEmpty() && window.peekLast()[1] >= delay) {
      window.removeLast();
    }
    window.addLast(new long[] {at, delay});
    while (window.size() > 1 && newestArrival - window.peekFirst()[0] > span) {
      window.removeFirst();
    }
  }

  /**
   * The queue in ms: the lowest delay of the last {@link #TROUGH_NANOS} above the path's own; NaN
   * until packets over that long were seen.
   */
  double queueMillis() {
    if (trough.isEmpty() || newestArrival - firstArrival < TROUGH_NANOS) {
      return Double.NaN;
    }
    return Math.max(0, (trough.peekFirst()[1] - base.peekFirst()[1]) / 1e6);
  }

  /**
   * What arrived at the driver over the newest {@link #RATE_NANOS}, kbit/s of payload; NaN before
   * there is a span to measure.
   */
  double arrivedKbps() {
    if (arrivals.size() < 2) {
      return Double.NaN;
    }
    long span = newestArrival - arrivals.peekFirst()[0];
    if (span <= 0) {
      return Double.NaN;
    }
    // The oldest packet opens the span: its bytes arrived before it began.
    return (arrivedBytes - arrivals.peekFirst()[1]) * 8.0 / (span / 1e6);
  }
}
