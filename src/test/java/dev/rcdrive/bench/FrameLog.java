package dev.rcdrive.bench;

import java.util.Arrays;

/**
 * When each camera frame was captured and when its push into WebRTC returned, by frame counter (the
 * number the {@link dev.rcdrive.protocol.FrameStamp} in the picture carries), so the receiving sink
 * can look its frame up. A ring: only the newest {@value #SIZE} frames are kept, minutes at 30 fps.
 * One writer (the camera thread), any number of readers.
 */
final class FrameLog {

  static final int SIZE = 1 << 14;
  private static final int MASK = SIZE - 1;
  private static final long COUNTER_MASK = (1L << 24) - 1; // FrameStamp's counter width

  private final long[] counters = new long[SIZE];
  private final long[] captured = new long[SIZE];
  private final long[] pushed = new long[SIZE];
  private volatile long newest = -1;

  FrameLog() {
    Arrays.fill(counters, -1);
  }

  void captured(long counter, long captureNanos) {
    int slot = (int) (counter & MASK);
    counters[slot] = counter & COUNTER_MASK;
    captured[slot] = captureNanos;
    pushed[slot] = 0;
  }

  void pushed(long counter, long pushedNanos) {
    pushed[(int) (counter & MASK)] = pushedNanos;
    newest = counter;
  }

  /** The newest frame whose push returned, -1 before any. */
  long newest() {
    return newest;
  }

  /** Capture time of that frame, or 0 when it is no longer (or not yet) in the ring. */
  long capturedNanos(long counter) {
    int slot = (int) (counter & MASK);
    return counters[slot] == (counter & COUNTER_MASK) ? captured[slot] : 0;
  }

  /** When the push of that frame returned, or 0 when unknown. */
  long pushedNanos(long counter) {
    int slot = (int) (counter & MASK);
    return counters[slot] == (counter & COUNTER_MASK) ? pushed[slot] : 0;
  }
}
