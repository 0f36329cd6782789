package dev.rcdrive.agent;

/**
 * When the car checks its signaling connection because the driver's control frames stopped. They
 * come at 20–50 Hz, so {@link #PROBE_AFTER_MILLIS} of silence on a link that carried them means the
 * link is gone, very often because this car's address changed (a 4G handover), which kills the
 * signaling socket without a word. Checking then, rather than when ICE calls the link disconnected
 * (~5 s), lets the car re-register in time for the driver's ICE restart (sent after ~1 s of
 * silence). Once per silence: a new frame starts a new one.
 *
 * <p>Pure: instants are passed in ({@code System.nanoTime()}-like). The control thread owns it.
 */
final class ControlSilence {

  /** Well past the failsafe (250 ms): the car is neutral before this matters. */
  static final long PROBE_AFTER_MILLIS = 500;

  private long probedFor;
  private boolean probed;

  /**
   * Whether to probe signaling now, given the latest accepted frame's arrival ({@code
   * lastFrameNanos}; {@code hadFrame} false before the first). True once per silence.
   */
  boolean probeDue(boolean hadFrame, long lastFrameNanos, long nowNanos) {
    if (!hadFrame || (probed && probedFor == lastFrameNanos)) {
      return false;
    }
    if ((nowNanos - lastFrameNanos) / 1_000_000 < PROBE_AFTER_MILLIS) {
      return false;
    }
    probed = true;
    probedFor = lastFrameNanos;
    return true;
  }
}
