package dev.rcdrive.gst;

/**
 * Sets the encoder's bitrate from what the driver's receiver reports (RTCP receiver reports, read
 * through webrtcbin's stats): the share of packets lost and the round-trip time. A loss-based rule
 * like the one in Google's congestion control, plus a delay guard so a queue building up on a
 * cellular link is drained before it turns into seconds of latency:
 *
 * <ul>
 *   <li>loss above 10 %: down by half the loss (e.g. 20 % lost → ×0.9);
 *   <li>round trip more than {@link #QUEUE_MILLIS} above the lowest seen: down 15 % (a queue is
 *       growing somewhere on the path; sending less drains it);
 *   <li>loss under 2 % and no queue: up 8 %, at least 16 kbps;
 *   <li>otherwise hold;
 * </ul>
 *
 * always within [{@code minKbps}, {@code maxKbps}] (the agent's {@code video.maxBitrateKbps}).
 * Plain code, no clock of its own: one call per report.
 */
final class BitrateControl {

  static final double HIGH_LOSS = 0.10;
  static final double LOW_LOSS = 0.02;
  static final double QUEUE_MILLIS = 120;

  private final int minKbps;
  private final int maxKbps;
  private int kbps;
  private double lowestRttMillis = Double.NaN;

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
   * One receiver report: the fraction lost since the last one (0–1) and the round trip in ms (NaN
   * when unknown). Returns the new bitrate.
   */
  int onReport(double fractionLost, double rttMillis) {
    if (!Double.isNaN(rttMillis) && rttMillis >= 0) {
      lowestRttMillis =
          Double.isNaN(lowestRttMillis) ? rttMillis : Math.min(lowestRttMillis, rttMillis);
    }
    boolean queue = !Double.isNaN(rttMillis) && rttMillis - lowestRttMillis > QUEUE_MILLIS;
    double loss = Double.isNaN(fractionLost) ? 0 : Math.max(0, Math.min(1, fractionLost));
    double next = kbps;
    if (loss > HIGH_LOSS) {
      next = kbps * (1 - loss / 2);
    } else if (queue) {
      next = kbps * 0.85;
    } else if (loss < LOW_LOSS) {
      next = Math.max(kbps * 1.08, kbps + 16);
    }
    kbps = clamp((int) Math.round(next));
    return kbps;
  }

  private int clamp(int value) {
    return Math.max(minKbps, Math.min(maxKbps, value));
  }
}
