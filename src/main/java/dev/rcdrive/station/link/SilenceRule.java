package dev.rcdrive.station.link;

/**
 * When to restart ICE from what the driver sees rather than from ICE's own timers: the car sends
 * video at ~30 fps and telemetry at 20–50 Hz, so a link that has carried them and then falls silent
 * for {@link #RESTART_AFTER_MILLIS} has almost surely lost its path (a handover: the car's address
 * changed). libwebrtc would call it disconnected only after ~5 s, and webrtc-java has no knob for
 * that. Restarts repeat while the silence lasts, {@link #RESTART_INTERVALS_MILLIS} apart: the car
 * may still be re-registering with signaling when the first offer goes out.
 *
 * <p>Pure: the caller passes {@code System.nanoTime()}-like instants, so tests drive it with a
 * clock of their own. Not thread-safe: the session thread owns it.
 */
final class SilenceRule {

  /** Silence this long is suspect (one or two missed telemetry frames are not). */
  static final long SUSPECT_MILLIS = 300;

  /** Silence this long gets the first ICE restart. */
  static final long RESTART_AFTER_MILLIS = 1000;

  /** The waits between further restarts while the silence lasts; the last one repeats. */
  static final long[] RESTART_INTERVALS_MILLIS = {1000, 1000, 2000, 4000, 8000};

  /** What the silence calls for at an instant. */
  enum Verdict {
    /** Nothing heard yet on this link, or heard recently: nothing to do. */
    FLOWING,
    /** Silent for over {@link #SUSPECT_MILLIS}: not yet worth a restart. */
    SUSPECT,
    /** Restart ICE now. */
    RESTART,
    /** A restart is under way; wait for it or for the next interval. */
    WAITING
  }

  private boolean heardAny;
  private long lastHeardNanos;
  private long lastRestartNanos;
  private int restarts;

  /**
   * Video or telemetry arrived at {@code nanos}: the link carries the car's traffic. The same or an
   * older instant again changes nothing (the caller may pass its latest arrival on every check).
   */
  void heard(long nanos) {
    if (!heardAny || nanos - lastHeardNanos > 0) {
      lastHeardNanos = nanos;
      restarts = 0;
    }
    heardAny = true;
  }

  /** A new peer connection: nothing is expected until it has carried something. */
  void reset() {
    heardAny = false;
    restarts = 0;
  }

  /**
   * An ICE restart was made for another reason (ICE said disconnected, the car came back online):
   * the next silence restart waits as if this one were its own.
   */
  void restarted(long nanos) {
    if (heardAny) {
      lastRestartNanos = nanos;
      restarts = Math.max(restarts, 1);
    }
  }

  /** The verdict at {@code nowNanos}; a {@link Verdict#RESTART} counts as made. */
  Verdict check(long nowNanos) {
    if (!heardAny) {
      return Verdict.FLOWING;
    }
    long silentMillis = (nowNanos - lastHeardNanos) / 1_000_000;
    if (silentMillis < SUSPECT_MILLIS) {
      return Verdict.FLOWING;
    }
    if (silentMillis < RESTART_AFTER_MILLIS) {
      return Verdict.SUSPECT;
    }
    if (restarts > 0) {
      long wait = RESTART_INTERVALS_MILLIS[Math.min(restarts, RESTART_INTERVALS_MILLIS.length) - 1];
      if ((nowNanos - lastRestartNanos) / 1_000_000 < wait) {
        return Verdict.WAITING;
      }
    }
    restarts++;
    lastRestartNanos = nowNanos;
    return Verdict.RESTART;
  }

  /** Restarts made in the current silence. */
  int restarts() {
    return restarts;
  }
}
