package dev.rcdrive.gst;

import java.util.concurrent.TimeUnit;

/**
 * Sets the encoder's bitrate from what the driver's receiver reports, in two kinds of feedback.
 *
 * <p>RTCP receiver reports (read through webrtcbin's stats): the share of packets lost and the
 * round-trip time. A loss-based rule like the one in Google's congestion control, plus a delay
 * guard so a queue building up on a cellular link is drained before it turns into seconds of
 * latency:
 *
 * <ul>
 *   <li>loss above 10 %: down by half the loss (e.g. 20 % lost → ×0.9);
 *   <li>round trip more than {@link #QUEUE_MILLIS} above the lowest seen: down 15 % (a queue is
 *       growing somewhere on the path; sending less drains it);
 *   <li>loss under 2 % and no queue: up 8 %, at least 16 kbps — but only 2 %, at least 16 kbps,
 *       from {@link #NEAR_LINK} of what the link delivered when it was last full: a start at 8 % a
 *       second overfilled an 800 kbit/s uplink's queue again within ten seconds;
 *   <li>a queue that is draining (the round trip lower than at the last cut) is left to drain: no
 *       cut, no rise — cutting again every second until the round trip came down took the video
 *       from 1,000 to 300 kbps on that uplink;
 *   <li>otherwise hold.
 * </ul>
 *
 * <p>Windows of transport-wide feedback ({@link TransportFeedback}, every few hundred ms) can only
 * bring the bitrate down: when two windows in a row show the link delivering less than {@link
 * #SHORTFALL} of what was sent (or losing more than {@link #HIGH_LOSS}), the bitrate goes to {@link
 * #DRAIN} of what arrived, so the queue at the bottleneck empties. Receiver reports alone needed
 * seconds to bring a start above a narrow uplink down, and meanwhile its queue overflowed
 * (NetworkFaultsIT).
 *
 * <p>The same feedback's per-packet times give the queue itself ({@link QueueDelay}, read a few
 * times a second): a queue above {@link #QUEUE_CUT_MILLIS} is the car sending above the link, and
 * the bitrate goes to {@link #DRAIN} of what arrived, unless the queue has not grown since the last
 * cut by any rule (it is draining, or it is the path's own delay that rose); the rises wait until
 * the queue is under {@link #QUEUE_CLEAR_MILLIS}. Without it the car found the link only by
 * overfilling it: the 2 % rises kept an 800 kbit/s uplink's queue filling until the round trip
 * showed it, a second or more later (NetworkFaultsIT).
 *
 * <p>Whatever the feedback's pace (with transport-wide feedback negotiated, libwebrtc sends a
 * receiver report with each feedback packet, ten a second), the bitrate goes down at most once per
 * {@link #STEP_NANOS} — the effect of a cut shows only after a round trip and a window, and cutting
 * again for the same queue went far below the link — and up at most once per {@link #STEP_NANOS},
 * and not within one of a cut. Always within [{@code minKbps}, {@code maxKbps}] (the agent's {@code
 * video.maxBitrateKbps}). Plain code; the caller gives the time of each report or window.
 */
final class BitrateControl {

  static final double HIGH_LOSS = 0.10;
  static final double LOW_LOSS = 0.02;

  /**
   * A round trip this far above the lowest seen is a queue, not jitter (a 4G path's varies by ±20
   * ms on its own). At 120 the 2 % rises kept an 800 kbit/s uplink's queue filling for seconds
   * before a cut: glass-to-glass went from 59 to 104 ms within a run (NetworkFaultsIT, in CI).
   */
  static final double QUEUE_MILLIS = 60;

  /** Less than this share of what was sent arriving: the link is full. */
  static final double SHORTFALL = 0.85;

  /** Where a full link puts the bitrate: below what arrived, so the queue drains. */
  static final double DRAIN = 0.85;

  /** From this share of the link's last measured rate on, the rise slows down. */
  static final double NEAR_LINK = 0.95;

  /** A queue this long on the path (from per-packet feedback) is the car sending too much. */
  static final double QUEUE_CUT_MILLIS = 30;

  /** After a cut, a queue this far above its lowest since is growing again. */
  static final double QUEUE_GROWTH_MILLIS = 5;

  /** Under this the path holds no queue of ours, and the bitrate may rise. */
  static final double QUEUE_CLEAR_MILLIS = 10;

  /** At most one step down, and one step up, in this time. */
  static final long STEP_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final int minKbps;
  private final int maxKbps;
  private int kbps;
  private double lowestRttMillis = Double.NaN;
  private double lastRttMillis = Double.NaN;
  private double rttAtLastDown = Double.NaN;
  private double linkKbps = Double.NaN;
  private double queueMillis = Double.NaN;
  private double queueLowSinceCut = Double.NaN;
  private boolean fullBefore;
  private boolean wentDown;
  private boolean wentUp;
  private long lastDownNanos;
  private long lastUpNanos;

  BitrateControl(int minKbps, int startKbps, int maxKbps) {
    if (minKbps <= 0 || maxKbps < minKbps) {
      throw new IllegalArgumentException("bitrate range " + minKbps + "-" + maxKbps);
    }
    this.minKbps = minKbps;
    this.maxKbps = maxKbps;
    this.kbps = clamp(startKbps);
  }

  int kbps() {
    return kbps;
  }

  /**
   * One receiver report at {@code nowNanos}: the fraction lost since the last one (0–1) and the
   * round trip in ms (NaN when unknown). Returns the new bitrate.
   */
  int onReport(double fractionLost, double rttMillis, long nowNanos) {
    boolean knownRtt = !Double.isNaN(rttMillis) && rttMillis >= 0;
    if (knownRtt) {
      lowestRttMillis =
          Double.isNaN(lowestRttMillis) ? rttMillis : Math.min(lowestRttMillis, rttMillis);
      lastRttMillis = rttMillis;
    }
    boolean queue = knownRtt && rttMillis - lowestRttMillis > QUEUE_MILLIS;
    boolean draining = queue && rttMillis < rttAtLastDown;
    double loss = Double.isNaN(fractionLost) ? 0 : Math.max(0, Math.min(1, fractionLost));
    if (draining) {
      return kbps;
    }
    if (loss > HIGH_LOSS) {
      down(kbps * (1 - loss / 2), nowNanos);
    } else if (queue) {
      int before = kbps;
      if (down(kbps * 0.85, nowNanos)) {
        linkKbps = Double.isNaN(linkKbps) ? before : Math.min(linkKbps, before);
      }
    } else if (loss < LOW_LOSS && !(queueMillis > QUEUE_CLEAR_MILLIS)) {
      boolean nearLink = !Double.isNaN(linkKbps) && kbps >= NEAR_LINK * linkKbps;
      up(nearLink ? kbps + Math.max(16, kbps * 0.02) : Math.max(kbps * 1.08, kbps + 16), nowNanos);
    }
    return kbps;
  }

  /**
   * One window of transport-wide feedback at {@code nowNanos}: what the car sent and what arrived
   * in it (kbps), and the share of its packets lost (0–1). Returns the new bitrate, never above the
   * one before.
   */
  int onTransportFeedback(double sentKbps, double arrivedKbps, double lossFraction, long nowNanos) {
    if (!(sentKbps > 0) || !(arrivedKbps >= 0)) {
      return kbps; // an empty or unreadable window tells nothing
    }
    // One window alone may be a burst (a keyframe) meeting the link's jitter; two in a row is not.
    boolean full = arrivedKbps < SHORTFALL * sentKbps || lossFraction > HIGH_LOSS;
    if (full && fullBefore && down(arrivedKbps * DRAIN, nowNanos)) {
      linkKbps = arrivedKbps;
    }
    fullBefore = full;
    return kbps;
  }

  /**
   * The queue on the path at {@code nowNanos} ({@link QueueDelay#queueMillis}, NaN when unknown)
   * and what arrived at the driver meanwhile (kbps, NaN when unknown). Returns the new bitrate,
   * never above the one before.
   */
  int onQueue(double queueMillis, double arrivedKbps, long nowNanos) {
    if (Double.isNaN(queueMillis)) {
      return kbps;
    }
    this.queueMillis = queueMillis;
    queueLowSinceCut = Math.min(queueLowSinceCut, queueMillis); // NaN until the first cut
    boolean growing = !(queueMillis <= queueLowSinceCut + QUEUE_GROWTH_MILLIS);
    if (queueMillis > QUEUE_CUT_MILLIS && growing) {
      boolean arrivedKnown = arrivedKbps > 0;
      double from = arrivedKnown ? Math.min(kbps, arrivedKbps) : kbps;
      if (down(from * DRAIN, nowNanos) && arrivedKnown) {
        linkKbps = arrivedKbps;
      }
    } else if (queueMillis <= QUEUE_CLEAR_MILLIS) {
      queueLowSinceCut = Double.NaN; // drained: the next queue is a new one
    }
    return kbps;
  }

  /** Cuts to {@code target} unless a cut came less than a step ago; whether it did. */
  private boolean down(double target, long nowNanos) {
    int next = clamp((int) Math.round(target));
    if (next < kbps && (!wentDown || nowNanos - lastDownNanos >= STEP_NANOS)) {
      kbps = next;
      lastDownNanos = nowNanos;
      wentDown = true;
      rttAtLastDown = lastRttMillis;
      queueLowSinceCut = queueMillis; // whichever rule cut: the queue it left must grow again
      return true;
    }
    return false;
  }

  private void up(double target, long nowNanos) {
    int next = clamp((int) Math.round(target));
    boolean rested =
        (!wentDown || nowNanos - lastDownNanos >= STEP_NANOS)
            && (!wentUp || nowNanos - lastUpNanos >= STEP_NANOS);
    if (next > kbps && rested) {
      kbps = next;
      lastUpNanos = nowNanos;
      wentUp = true;
    }
  }

  private int clamp(int value) {
    return Math.max(minKbps, Math.min(maxKbps, value));
  }
}
