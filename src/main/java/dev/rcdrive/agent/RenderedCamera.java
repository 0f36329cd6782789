package dev.rcdrive.agent;

import dev.rcdrive.protocol.FrameStamp;
import dev.rcdrive.protocol.I420Image;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A camera whose pictures are drawn in software (the simulator's view, a test pattern), paced at a
 * fixed rate on its own thread and stamped with a {@link FrameStamp} (frame counter and wall-clock
 * capture time) so the receiver can measure glass-to-glass latency. It draws only while its
 * consumer {@link FrameConsumer#wantsFrames wants frames}: a 720p picture is a few milliseconds of
 * CPU, thirty times a second, which a car with no driver (and the demo's start, on the station's
 * cores) need not spend.
 */
public final class RenderedCamera implements CameraSource {

  private static final Logger log = LoggerFactory.getLogger(RenderedCamera.class);

  /** Draws frame number {@code index} into the image. */
  @FunctionalInterface
  public interface Painter {
    void paint(I420Image image, long index);
  }

  private final String name;
  private final int fps;
  private final Painter painter;
  private final I420Image image;
  private final ScheduledExecutorService timer;
  private long index;

  /** Ticks at which a frame was wanted (the camera's thread only). */
  private long wantedTicks;

  private volatile int drawOneIn = 1;

  public RenderedCamera(String name, int width, int height, int fps, Painter painter) {
    if (fps < 1 || fps > 120) {
      throw new IllegalArgumentException("fps must be 1-120, got " + fps);
    }
    this.name = name;
    this.fps = fps;
    this.painter = painter;
    this.image = new I420Image(width, height);
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "camera-" + name);
              thread.setDaemon(true);
              thread.setPriority(Thread.MAX_PRIORITY);
              return thread;
            });
  }

  @Override
  public void start(FrameConsumer consumer) {
    long periodNanos = 1_000_000_000L / fps;
    timer.scheduleAtFixedRate(
        () -> {
          try {
            if (!consumer.wantsFrames()) {
              return; // nobody could see it: no drawing (the frame counter does not move either)
            }
            if (wantedTicks++ % drawOneIn != 0) {
              return; // drawing fewer for now: the first tick draws, the counter goes on by one
            }
            long captureNanos = System.nanoTime();
            long epochMicros = epochMicros();
            painter.paint(image, index);
            new FrameStamp(index, FrameStamp.tenthsOfMillis(epochMicros)).writeInto(image);
            index++;
            consumer.onFrame(image, captureNanos);
          } catch (RuntimeException e) {
            log.warn("camera {} frame failed", name, e); // keep the schedule alive
          }
        },
        0,
        periodNanos,
        TimeUnit.NANOSECONDS);
  }

  /**
   * From the next tick on, draws the picture of one tick in {@code n} (1: every tick, the camera's
   * rate). The demo's car runs in the station's own process and draws few while the station's
   * window is being built: nobody can see those pictures yet, and on two cores their drawing and
   * encoding came out of the window's start; a few keep the link's video warm, so that a picture is
   * there when the window is.
   */
  public void drawOneIn(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("one picture in " + n + " ticks: n must be 1 or more");
    }
    drawOneIn = n;
  }

  /** One tick in how many draws a picture (1: every tick). */
  public int drawsOneIn() {
    return drawOneIn;
  }

  /** Wall clock in microseconds: what the stamp carries and the receiver compares with. */
  public static long epochMicros() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
  }

  @Override
  public String describe() {
    return name + " " + image.width() + "x" + image.height() + "@" + fps;
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
