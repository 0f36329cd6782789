package dev.rcdrive.bench;

import dev.onvoid.webrtc.media.FourCC;
import dev.onvoid.webrtc.media.video.NativeI420Buffer;
import dev.onvoid.webrtc.media.video.VideoBufferConverter;
import dev.onvoid.webrtc.media.video.VideoFrame;
import dev.rcdrive.protocol.I420Image;
import dev.rcdrive.rtc.ReceivedFrame;
import dev.rcdrive.rtc.RtcEngine;
import dev.rcdrive.sim.TestPattern;
import dev.rcdrive.station.video.LatestFrame;
import dev.rcdrive.station.video.VideoView;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Constructor;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.HdrHistogram.Histogram;

/**
 * The station's video path from the WebRTC sink to the screen, ours against the plain way to show
 * webrtc-java frames in JavaFX, side by side in one JVM and one window, at 1280x720 and 1920x1080.
 *
 * <p>Both paths get the same native I420 frames at the camera's rate on a "decoder" thread:
 *
 * <ul>
 *   <li><b>ours</b>: {@link LatestFrame#offer} converts into a rotating direct buffer and publishes
 *       it; {@link VideoView} swaps the newest in on the next pulse through a PixelBuffer (no copy
 *       on the FX thread);
 *   <li><b>raw</b>: convert into a fresh byte[] with VideoBufferConverter, then {@code
 *       Platform.runLater} a {@code PixelWriter.setPixels} into a WritableImage (a copy on the FX
 *       thread, every frame queued).
 * </ul>
 *
 * Measured: sink → the pulse that shows the frame (the pulse timer's own timestamp, so the figure
 * includes waiting for the pulse), the CPU each frame costs on the decoder thread, the FX thread
 * and the renderer thread (thread CPU time from the JVM), and frames replaced before any pulse
 * showed them. Needs a display: run under {@code xvfb-run -a -s "-screen 0 1920x1080x24"}.
 */
final class StationRenderBench {

  record Size(int width, int height) {
    @Override
    public String toString() {
      return width + "x" + height;
    }
  }

  /** One round of one path at one size. */
  static final class Round {
    final String path;
    final Size size;
    final Histogram sinkToPulse = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);

    /** Our own code's time on the FX thread per frame: the buffer swap, or setPixels for raw. */
    final Histogram fxOwn = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);

    /** Time between consecutive pulses: 16.7 ms at 60 Hz; more when the toolkit runs late. */
    final Histogram pulseInterval = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);

    /** The sink's time per frame on the decoder thread: conversion (and the stamp check). */
    final Histogram sink = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);

    long delivered;
    long shown;
    long sinkCpuNanos;
    long fxCpuNanos;
    long renderCpuNanos;
    double seconds;

    Round(String path, Size size) {
      this.path = path;
      this.size = size;
    }

    double perFrameMs(long nanos, long frames) {
      return frames == 0 ? Double.NaN : nanos / 1e6 / frames;
    }
  }

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final Constructor<ReceivedFrame> RECEIVED;

  static {
    try {
      RECEIVED = ReceivedFrame.class.getDeclaredConstructor(VideoFrame.class, long.class);
      RECEIVED.setAccessible(true); // the sink makes these; here the bench stands in for it
    } catch (NoSuchMethodException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private StationRenderBench() {}

  static boolean run(BenchOptions options) throws Exception {
    int fps = options.positiveInt("fps", 30);
    int seconds = options.positiveInt("seconds", 10);
    int rounds = options.positiveInt("rounds", 2);
    int warmup = options.nonNegativeInt("warmup", 3);
    // The station's pulse rate unless told otherwise (JavaFX's own default is 60).
    int pulseHz =
        options.positiveInt(
            "pulseHz", Integer.parseInt(dev.rcdrive.station.app.StationApp.PULSE_HZ));
    System.setProperty("javafx.animation.pulse", String.valueOf(pulseHz));
    if (System.getenv("DISPLAY") == null
        && !"Monocle".equals(System.getProperty("glass.platform"))) {
      throw new IllegalArgumentException(
          "needs a display: run under xvfb-run -a -s \"-screen 0 1920x1080x24\"");
    }
    List<Size> sizes = List.of(new Size(1280, 720), new Size(1920, 1080));
    List<Round> results = new ArrayList<>();
    MachineLoad before = MachineLoad.sample();
    String[] pipeline = {"unknown"};
    try (RtcEngine engine = RtcEngine.create()) { // loads webrtc-java's native library
      CountDownLatch started = new CountDownLatch(1);
      Platform.startup(started::countDown);
      started.await();
      Platform.setImplicitExit(false);
      // Which Prism pipeline drew (es2 on a GPU, sw without one): the figures hinge on it.
      onFx(
          () ->
              pipeline[0] =
                  com.sun.prism.GraphicsPipeline.getPipeline().getClass().getSimpleName());
      for (Size size : sizes) {
        List<VideoFrame> frames = frames(size);
        try {
          for (int round = 0; round <= rounds; round++) {
            boolean warming = round == 0;
            int length = warming ? warmup : seconds;
            if (length == 0) {
              continue;
            }
            for (String path : round % 2 == 0 ? List.of("raw", "ours") : List.of("ours", "raw")) {
              Round result = runRound(path, size, frames, fps, length);
              Md.progress(
                  "%s %s %s: sink→pulse p50 %.2f ms p99 %.2f ms, %d/%d shown",
                  warming ? "warm-up" : "round " + round,
                  size,
                  path,
                  Md.p50(result.sinkToPulse),
                  Md.p99(result.sinkToPulse),
                  result.shown,
                  result.delivered);
              if (!warming) {
                results.add(result);
              }
            }
          }
        } finally {
          frames.forEach(VideoFrame::release);
        }
      }
    } finally {
      Platform.exit();
    }
    MachineLoad.Usage load = MachineLoad.sample().since(before);
    String report = report(results, fps, seconds, rounds, load, pipeline[0]);
    System.out.println(report);
    Md.write("station-render.md", report);
    return results.stream().allMatch(r -> r.shown > 0);
  }

  /** A few distinct pictures, cycled, so every frame really changes the texture. */
  private static List<VideoFrame> frames(Size size) {
    List<VideoFrame> frames = new ArrayList<>();
    I420Image image = new I420Image(size.width(), size.height());
    for (int i = 0; i < 8; i++) {
      TestPattern.render(image, i * 7L);
      NativeI420Buffer buffer = NativeI420Buffer.allocate(size.width(), size.height());
      copy(image.y(), size.width(), size.height(), buffer.getDataY(), buffer.getStrideY());
      int cw = image.chromaWidth();
      int ch = image.chromaHeight();
      copy(image.u(), cw, ch, buffer.getDataU(), buffer.getStrideU());
      copy(image.v(), cw, ch, buffer.getDataV(), buffer.getStrideV());
      frames.add(new VideoFrame(buffer, 0));
    }
    return frames;
  }

  private static void copy(byte[] from, int width, int height, ByteBuffer to, int stride) {
    for (int row = 0; row < height; row++) {
      to.put(row * stride, from, row * width, width);
    }
  }

  private static Round runRound(String path, Size size, List<VideoFrame> frames, int fps, int secs)
      throws Exception {
    Round round = new Round(path, size);
    AtomicReference<Stage> stage = new AtomicReference<>();
    AtomicReference<Runnable> stopView = new AtomicReference<>();
    // The raw path: frames set into the image but not yet seen by a pulse (decode times).
    List<Long> rawPending = new ArrayList<>();
    LatestFrame latest = new LatestFrame(Platform::requestNextPulse); // as the station makes it
    WritableImage[] rawImage = new WritableImage[1];

    onFx(
        () -> {
          StackPane root = new StackPane();
          if (path.equals("ours")) {
            VideoView view = new VideoView(latest);
            view.setPrefSize(size.width(), size.height());
            view.setOnShown(
                (nanos, swapNanos, frame) -> {
                  round.sinkToPulse.recordValue(Math.max(0, nanos));
                  round.fxOwn.recordValue(swapNanos);
                  round.shown++;
                });
            root.getChildren().add(view);
            view.start();
            stopView.set(view::stop);
          } else {
            rawImage[0] = new WritableImage(size.width(), size.height());
            root.getChildren().add(new ImageView(rawImage[0]));
            AnimationTimer pulse =
                new AnimationTimer() {
                  @Override
                  public void handle(long now) {
                    if (!rawPending.isEmpty()) {
                      long newest = rawPending.get(rawPending.size() - 1);
                      round.sinkToPulse.recordValue(Math.max(0, System.nanoTime() - newest));
                      round.shown++;
                      rawPending.clear();
                    }
                  }
                };
            pulse.start();
            stopView.set(pulse::stop);
          }
          AnimationTimer pulses =
              new AnimationTimer() {
                private long last;

                @Override
                public void handle(long now) {
                  if (last != 0) {
                    round.pulseInterval.recordValue(now - last);
                  }
                  last = now;
                }
              };
          pulses.start();
          Runnable stopPath = stopView.get();
          stopView.set(
              () -> {
                stopPath.run();
                pulses.stop();
              });
          Stage window = new Stage();
          window.setTitle("station render bench: " + path + " " + size);
          window.setScene(new Scene(root, size.width(), size.height()));
          window.show();
          stage.set(window);
        });
    Thread.sleep(300); // let the window map before counting

    long fxBefore = cpuOf("JavaFX Application Thread");
    long renderBefore = cpuOf("QuantumRenderer-0");
    long start = System.nanoTime();
    long period = 1_000_000_000L / fps;
    long sinkCpu = 0;
    java.util.Random phase = new java.util.Random(42);
    for (long i = 0; System.nanoTime() - start < secs * 1_000_000_000L; i++) {
      // Decoders deliver at no fixed phase to the display: jitter each delivery by up to one 60 Hz
      // pulse (the same seeded sequence for both paths) so the rounds don't lock to one phase.
      long due = start + i * period + (long) (phase.nextDouble() * 16_666_667L);
      LockSupport.parkNanos(due - System.nanoTime());
      VideoFrame frame = frames.get((int) (i % frames.size()));
      long cpu0 = THREADS.getCurrentThreadCpuTime();
      long received = System.nanoTime();
      if (path.equals("ours")) {
        latest.offer(RECEIVED.newInstance(frame, received));
      } else {
        byte[] bytes = new byte[size.width() * size.height() * 4];
        VideoBufferConverter.convertFromI420(frame.buffer, bytes, FourCC.ARGB);
        Platform.runLater(
            () -> {
              long t0 = System.nanoTime();
              rawImage[0]
                  .getPixelWriter()
                  .setPixels(
                      0,
                      0,
                      size.width(),
                      size.height(),
                      PixelFormat.getByteBgraPreInstance(),
                      bytes,
                      0,
                      size.width() * 4);
              round.fxOwn.recordValue(System.nanoTime() - t0);
              rawPending.add(received);
            });
      }
      round.sink.recordValue(System.nanoTime() - received);
      sinkCpu += THREADS.getCurrentThreadCpuTime() - cpu0;
      round.delivered++;
    }
    Thread.sleep(100); // the last frame's pulse
    round.seconds = (System.nanoTime() - start) / 1e9;
    round.sinkCpuNanos = sinkCpu;
    round.fxCpuNanos = cpuOf("JavaFX Application Thread") - fxBefore;
    round.renderCpuNanos = cpuOf("QuantumRenderer-0") - renderBefore;
    onFx(
        () -> {
          stopView.get().run();
          stage.get().close();
        });
    return round;
  }

  private static long cpuOf(String threadName) {
    for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
      if (info != null && info.getThreadName().equals(threadName)) {
        return THREADS.getThreadCpuTime(info.getThreadId());
      }
    }
    throw new IllegalStateException("no thread named " + threadName);
  }

  private static void onFx(Runnable action) throws Exception {
    CountDownLatch done = new CountDownLatch(1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Platform.runLater(
        () -> {
          try {
            action.run();
          } catch (Throwable t) {
            failure.set(t);
          } finally {
            done.countDown();
          }
        });
    if (!done.await(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the FX thread did not answer within 10 s");
    }
    if (failure.get() != null) {
      throw new IllegalStateException("on the FX thread", failure.get());
    }
  }

  static String report(
      List<Round> rounds,
      int fps,
      int seconds,
      int count,
      MachineLoad.Usage load,
      String pipeline) {
    StringBuilder md = new StringBuilder();
    md.append(
        Md.f(
            "Station render path, %d fps, pulses at %s Hz, %d rounds of %d s per path and size, paths alternating."
                + " Machine: %s. Prism pipeline: %s.%n%n",
            fps,
            System.getProperty("javafx.animation.pulse"),
            count,
            seconds,
            MachineLoad.machine(),
            pipeline));
    md.append(Md.latencyHeader("sink → pulse (ms)"));
    for (Round r : rounds) {
      md.append(Md.latencyRow(r.size + " " + r.path, r.sinkToPulse, 2));
    }
    md.append("\n").append(Md.latencyHeader("pulse interval (ms)"));
    for (Round r : rounds) {
      md.append(Md.latencyRow(r.size + " " + r.path, r.pulseInterval, 2));
    }
    md.append(
        "\nOur code per frame (ms): the sink on the decoder thread, and the FX thread's part"
            + " (ours: the PixelBuffer swap; raw: setPixels).\n\n"
            + "| path | sink p50 | sink p99 | FX p50 | FX p99 | sum of p50s |\n"
            + "|---|---|---|---|---|---|\n");
    for (Round r : rounds) {
      md.append(
          Md.f(
              "| %s %s | %.3f | %.3f | %.3f | %.3f | %.3f |%n",
              r.size,
              r.path,
              Md.p50(r.sink),
              Md.p99(r.sink),
              Md.p50(r.fxOwn),
              Md.p99(r.fxOwn),
              Md.p50(r.sink) + Md.p50(r.fxOwn)));
    }
    md.append(
        "\nWhole threads, CPU time per frame (ms), toolkit included (pulses, texture upload,"
            + " drawing):\n\n| path | decoder thread | FX thread | renderer thread | total |"
            + " shown / delivered | CPU, % of a core |\n|---|---|---|---|---|---|---|\n");
    for (Round r : rounds) {
      long total = r.sinkCpuNanos + r.fxCpuNanos + r.renderCpuNanos;
      md.append(
          Md.f(
              "| %s %s | %.3f | %.3f | %.3f | %.3f | %d / %d | %.1f |%n",
              r.size,
              r.path,
              r.perFrameMs(r.sinkCpuNanos, r.delivered),
              r.perFrameMs(r.fxCpuNanos, r.shown),
              r.perFrameMs(r.renderCpuNanos, r.shown),
              r.perFrameMs(total, r.shown),
              r.shown,
              r.delivered,
              total / 1e9 / r.seconds * 100));
    }
    md.append(
        "\n| ratio ours / raw | sink → pulse p50 | p99 | CPU per frame |\n|---|---|---|---|\n");
    for (Size size : rounds.stream().map(r -> r.size).distinct().toList()) {
      Histogram ours = new Histogram(3);
      Histogram raw = new Histogram(3);
      long oursCpu = 0;
      long rawCpu = 0;
      long oursShown = 0;
      long rawShown = 0;
      for (Round r : rounds) {
        if (!r.size.equals(size)) {
          continue;
        }
        long cpu = r.sinkCpuNanos + r.fxCpuNanos + r.renderCpuNanos;
        if (r.path.equals("ours")) {
          ours.add(r.sinkToPulse);
          oursCpu += cpu;
          oursShown += r.shown;
        } else {
          raw.add(r.sinkToPulse);
          rawCpu += cpu;
          rawShown += r.shown;
        }
      }
      md.append(
          Md.f(
              "| %s | %s | %s | %s |%n",
              size,
              Md.ratio(Md.p50(ours), Md.p50(raw)),
              Md.ratio(Md.p99(ours), Md.p99(raw)),
              Md.ratio((double) oursCpu / oursShown, (double) rawCpu / rawShown)));
    }
    md.append("\nLoad: ").append(load.describe()).append('\n');
    return md.toString();
  }
}
