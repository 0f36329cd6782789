package dev.rcdrive.bench;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * The receiving end of a video measurement: for every decoded frame, the counter read from its
 * {@link dev.rcdrive.protocol.FrameStamp} and the time it reached the sink, looked up against the
 * sender's {@link FrameLog}. Frames before {@link #startMeasuring()} are warm-up and only counted.
 *
 * <p>Dropped frames are gaps in the counter between consecutive received frames (a frame that never
 * arrives leaves one); frames still in flight when measuring stops are not counted as dropped.
 */
final class VideoProbe {

  private static final long MAX_NANOS = 60_000_000_000L;

  /** One measured frame, all times System.nanoTime(). */
  record Frame(
      long counter,
      long capturedNanos,
      long pushedNanos,
      long receivedNanos,
      int width,
      int height) {
    double latencyMillis() {
      return (receivedNanos - capturedNanos) / 1e6;
    }
  }

  private final FrameLog log;
  private final int expectedWidth;
  private final int expectedHeight;
  private final Histogram captureToSink = new Histogram(MAX_NANOS, 3);
  private final Histogram pushToSink = new Histogram(MAX_NANOS, 3);
  private final Histogram captureToPush = new Histogram(MAX_NANOS, 3);
  private final Histogram sinkInterval = new Histogram(MAX_NANOS, 3);
  private final List<Frame> frames = new ArrayList<>();

  private boolean measuring;
  private long warmupFrames;
  private long unstamped;
  private long unknown;
  private long lastCounter = -1;
  private long firstCounter = -1;
  private long missing;
  private long gapEvents;
  private long longestGap;
  private long outOfOrder;
  private long otherSize;
  private long lastReceived;

  VideoProbe(FrameLog log, int expectedWidth, int expectedHeight) {
    this.log = log;
    this.expectedWidth = expectedWidth;
    this.expectedHeight = expectedHeight;
  }

  synchronized void startMeasuring() {
    measuring = true;
    lastCounter = -1;
    lastReceived = 0;
  }

  synchronized void stopMeasuring() {
    measuring = false;
  }

  /**
   * One decoded frame; {@code counter} is -1 when the picture carried no readable stamp. Called on
   * the decoding thread.
   */
  synchronized void onFrame(long counter, long receivedNanos, int width, int height) {
    if (!measuring) {
      warmupFrames++;
      return;
    }
    if (counter < 0) {
      unstamped++;
      return;
    }
    long captured = log.capturedNanos(counter);
    if (captured == 0) {
      unknown++;
      return;
    }
    if (width != expectedWidth || height != expectedHeight) {
      otherSize++;
    }
    if (firstCounter < 0) {
      firstCounter = counter;
    }
    if (lastCounter >= 0) {
      if (counter <= lastCounter) {
        outOfOrder++;
      } else if (counter > lastCounter + 1) {
        long gap = counter - lastCounter - 1;
        missing += gap;
        gapEvents++;
        longestGap = Math.max(longestGap, gap);
      }
    }
    if (lastReceived != 0) {
      sinkInterval.recordValue(Math.max(0, receivedNanos - lastReceived));
    }
    lastReceived = receivedNanos;
    lastCounter = Math.max(lastCounter, counter);
    long pushed = log.pushedNanos(counter);
    captureToSink.recordValue(Math.max(0, receivedNanos - captured));
    if (pushed != 0) {
      pushToSink.recordValue(Math.max(0, receivedNanos - pushed));
      captureToPush.recordValue(Math.max(0, pushed - captured));
    }
    frames.add(new Frame(counter, captured, pushed, receivedNanos, width, height));
  }

  /** What the measurement saw. */
  record Summary(
      Histogram captureToSink,
      Histogram pushToSink,
      Histogram captureToPush,
      Histogram sinkInterval,
      long warmupFrames,
      long received,
      long expected,
      long missing,
      long gapEvents,
      long longestGap,
      long outOfOrder,
      long unstamped,
      long unknown,
      long otherSize,
      List<Frame> frames) {

    double droppedPercent() {
      return expected == 0 ? 0 : 100.0 * missing / expected;
    }
  }

  synchronized Summary summary() {
    long expected = firstCounter < 0 ? 0 : lastCounter - firstCounter + 1;
    return new Summary(
        captureToSink.copy(),
        pushToSink.copy(),
        captureToPush.copy(),
        sinkInterval.copy(),
        warmupFrames,
        captureToSink.getTotalCount(),
        expected,
        missing,
        gapEvents,
        longestGap,
        outOfOrder,
        unstamped,
        unknown,
        otherSize,
        List.copyOf(frames));
  }
}
