package dev.rcdrive.station.video;

import dev.rcdrive.rtc.ReceivedFrame;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Hands decoded frames from the WebRTC decoding thread to the FX pulse, keeping only the newest: no
 * queue, never a frame older than the newest. Three direct ARGB buffers rotate: the sink converts
 * into a spare one and publishes it; the pulse takes the newest published one and returns the one
 * it showed before. Neither side ever waits for the other.
 */
public final class LatestFrame {

  /** One converted frame: ARGB bytes (BGRA in memory) and when it left the decoder. */
  public static final class Frame {
    final ByteBuffer pixels;
    int width;
    int height;
    long decodedNanos;

    /** The picture carries a FrameStamp in its top rows: the view hides them. */
    boolean stamped;

    /** Capture → decoded, from the stamp (NaN without one). */
    double ageAtDecodeMillis = Double.NaN;

    public double ageAtDecodeMillis() {
      return ageAtDecodeMillis;
    }

    // FX thread only: the image that shows these pixels, made on first display.
    javafx.scene.image.PixelBuffer<ByteBuffer> pixelBuffer;
    javafx.scene.image.WritableImage image;

    Frame(int capacity) {
      pixels = ByteBuffer.allocateDirect(capacity);
    }

    public ByteBuffer pixels() {
      return pixels;
    }

    public int width() {
      return width;
    }

    public int height() {
      return height;
    }

    public long decodedNanos() {
      return decodedNanos;
    }
  }

  private final Runnable onPublished;
  private final AtomicReference<Frame> published = new AtomicReference<>();
  private final AtomicReference<Frame> spare = new AtomicReference<>();
  private Frame writing; // decoding thread only
  private volatile long dropped;
  private final dev.rcdrive.station.link.Tally convert = new dev.rcdrive.station.link.Tally();

  /** Frames wait for the next scheduled pulse. */
  public LatestFrame() {
    this(() -> {});
  }

  /**
   * @param onPublished runs on the decoding thread after each frame is published; the station
   *     passes {@code Platform::requestNextPulse} so that a frame is shown at the next possible
   *     pulse rather than the next scheduled one
   */
  public LatestFrame(Runnable onPublished) {
    this.onPublished = onPublished;
  }

  /** Decoding thread: converts the frame into a spare buffer and publishes it. */
  public void offer(ReceivedFrame frame) {
    offer(frame.width(), frame.height(), frame.receivedNanos(), frame.stamp(), frame::toArgb);
  }

  /**
   * Decoding thread: publishes a frame of any size (sizes may change between frames) that {@code
   * toArgb} writes as BGRA bytes into the direct buffer it is given.
   */
  public void offer(
      int width,
      int height,
      long receivedNanos,
      dev.rcdrive.protocol.FrameStamp stamp,
      java.util.function.Consumer<ByteBuffer> toArgb) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("frame size " + width + "x" + height);
    }
    int bytes = width * height * 4;
    Frame target = writing;
    if (target == null || target.pixels.capacity() < bytes) {
      target = new Frame(bytes);
    }
    target.pixels.clear();
    long converting = System.nanoTime();
    toArgb.accept(target.pixels);
    convert.add(System.nanoTime() - converting);
    target.width = width;
    target.height = height;
    target.stamped = stamp != null;
    target.ageAtDecodeMillis = stamp == null ? Double.NaN : stamp.ageMillis(epochMicros());
    target.decodedNanos = receivedNanos;
    Frame previous = published.getAndSet(target);
    if (previous != null) {
      dropped++; // the pulse never saw it: a newer one replaced it
    }
    Frame reuse = previous != null ? previous : spare.getAndSet(null);
    writing = reuse;
    onPublished.run();
  }

  /**
   * FX thread: the newest frame not yet taken, or null. Give it back with {@link #release} once its
   * pixels are on screen.
   */
  public Frame take() {
    return published.getAndSet(null);
  }

  /** FX thread: the frame taken before, free for the decoder again. */
  public void release(Frame frame) {
    if (frame != null) {
      spare.set(frame);
    }
  }

  private static long epochMicros() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
  }

  /** The conversion to ARGB, per frame: the station's own stage of the breakdown. */
  public dev.rcdrive.station.link.Tally convertTally() {
    return convert;
  }

  /** Frames replaced before the screen showed them (the display is slower than the stream). */
  public long dropped() {
    return dropped;
  }
}
