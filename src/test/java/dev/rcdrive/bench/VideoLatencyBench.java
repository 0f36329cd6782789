package dev.rcdrive.bench;

import static dev.rcdrive.bench.Md.f;

import dev.onvoid.webrtc.media.video.I420Buffer;
import dev.onvoid.webrtc.media.video.VideoFrame;
import dev.rcdrive.agent.AgentConfig;
import dev.rcdrive.agent.CarAgent;
import dev.rcdrive.agent.RenderedCamera;
import dev.rcdrive.protocol.CarState;
import dev.rcdrive.protocol.FrameStamp;
import dev.rcdrive.rtc.LinkOptions;
import dev.rcdrive.rtc.PeerLink;
import dev.rcdrive.rtc.RtcEngine;
import dev.rcdrive.rtc.VideoCodec;
import dev.rcdrive.sim.CarModel;
import dev.rcdrive.station.drive.DriveIntent;
import dev.rcdrive.station.link.DriverSession;
import dev.rcdrive.testing.ScriptedControl;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/**
 * Camera → decoded frame at the driver, through rcdrive's path beside plain webrtc-java, in one JVM
 * in alternating blocks (ours, raw, raw, ours, …).
 *
 * <p><b>Ours</b>: a {@link CarAgent} with the simulator's camera (its {@link RenderedCamera}: the
 * arena drawn from the car's pose, stamped with a {@link FrameStamp}) → {@code VideoFeed} → the
 * car's {@code PeerLink} → the station's {@link DriverSession} → its sink's {@code ReceivedFrame}.
 * The driver arms the car and drives it in a steady circle, so the picture moves as in a real drive
 * (a still picture is nearly free to encode).
 *
 * <p><b>Raw</b>: the same camera class, painting the same arena from a car model driven the same
 * way, pushed straight into a {@code CustomVideoSource} whose track another RTCPeerConnection
 * receives ({@link RawPeers}), with the same codec and caps.
 *
 * <p>Both: each frame's capture time (System.nanoTime() when the camera's tick began, before
 * painting) is logged under its counter; the sink reads the counter back from the decoded picture
 * and takes System.nanoTime() on entry. Latency = sink − capture. Dropped = counter gaps. The stats
 * of both ends say where the time goes on average (encode, pacer, jitter buffer, decode), and the
 * machine's load is sampled each second to see whether slow frames come with other work.
 */
final class VideoLatencyBench {

  /** The goals from the issue. */
  static final double GOAL_P50_MS = 30;

  static final double GOAL_P99_MS = 45;

  /** The settings; {@code key=value} arguments or {@code bench.KEY} properties. */
  record Settings(
      int rounds,
      int seconds,
      int warmup,
      int width,
      int height,
      int fps,
      String codec,
      int maxBitrateKbps,
      int maxFramerate,
      double scaleDownBy,
      boolean motion,
      double steering,
      double throttle,
      int burnProcesses,
      int burnThreads,
      String scene,
      String rt,
      List<String> paths) {

    static Settings from(BenchOptions options) {
      return new Settings(
          options.positiveInt("rounds", 2),
          options.positiveInt("seconds", 30),
          options.positiveInt("warmup", 10),
          options.positiveInt("width", 1280),
          options.positiveInt("height", 720),
          options.positiveInt("fps", 30),
          options.oneOf("codec", "VP8", List.of("VP8", "VP9", "H264", "AV1")),
          options.nonNegativeInt("maxBitrate", 4000),
          options.nonNegativeInt("maxFramerate", 0),
          options.nonNegativeDouble("scaleDownBy", 0),
          options.flag("motion", true),
          options.nonNegativeDouble("steering", 0.2),
          options.nonNegativeDouble("throttle", 0.3),
          options.nonNegativeInt("burnProcesses", 0),
          options.nonNegativeInt("burnThreads", 0),
          options.oneOf("scene", "noisy", Scenes.NAMES),
          options.oneOf("rt", "none", ThreadPolicy.MODES),
          options.subsetOf("paths", List.of("ours", "raw"), List.of("ours", "raw")));
    }

    String describe() {
      return f(
          "%s, %s %dx%d@%d, maxBitrate %s, maxFramerate %s%s, %s%s%s%s",
          scene,
          codec,
          width,
          height,
          fps,
          maxBitrateKbps == 0 ? "libwebrtc default" : maxBitrateKbps + " kbps",
          maxFramerate == 0 ? "none" : String.valueOf(maxFramerate),
          scaleDownBy > 0 ? ", scaleResolutionDownBy " + scaleDownBy + " (raw only)" : "",
          motion
              ? f("car driving (steering %.2f, throttle %.2f)", steering, throttle)
              : "car still",
          burnProcesses > 0 ? f(", %d busy-loop process(es) competing", burnProcesses) : "",
          burnThreads > 0 ? f(", %d busy-loop thread(s) in this JVM competing", burnThreads) : "",
          rt.equals("none")
              ? ", every thread SCHED_OTHER (as for an unprivileged user)"
              : rt.equals("as-is")
                  ? ", libwebrtc's real-time requests granted (root or CAP_SYS_NICE)"
                  : ", libwebrtc's real-time requests granted and network/worker/camera"
                      + " threads SCHED_FIFO 50 too");
    }
  }

  /** One measured block. */
  record Block(
      int round,
      String path,
      String realtime,
      VideoProbe.Summary video,
      RtpStats.Window stats,
      MachineLoad.Usage load,
      List<LoadTimeline.Second> timeline) {}

  private VideoLatencyBench() {}

  static boolean run(Settings settings) throws Exception {
    Md.progress(
        "video: %d rounds of %s, %d s measured after %d s warm-up each; %s",
        settings.rounds(),
        settings.paths(),
        settings.seconds(),
        settings.warmup(),
        settings.describe());
    List<Block> blocks = new ArrayList<>();
    int maxSeconds =
        settings.rounds() * settings.paths().size() * (settings.seconds() + settings.warmup() + 30);
    try (LoopbackRig rig = LoopbackRig.start(null);
        BusyProcesses busy = new BusyProcesses(settings.burnProcesses(), maxSeconds);
        BusyThreads threads = new BusyThreads(settings.burnThreads())) {
      for (int round = 0; round < settings.rounds(); round++) {
        List<String> order = new ArrayList<>(settings.paths());
        if (round % 2 == 1) {
          java.util.Collections.reverse(order);
        }
        for (String path : order) {
          Block block =
              path.equals("ours") ? ours(rig, settings, round + 1) : raw(settings, round + 1);
          blocks.add(block);
          writeFrames(block);
          Md.progress(
              "video round %d %s: p50 %.1f ms, p99 %.1f ms, max %.1f ms, dropped %d of %d; %s",
              block.round(),
              block.path(),
              Md.p50(block.video().captureToSink()),
              Md.p99(block.video().captureToSink()),
              block.video().captureToSink().getMaxValue() / 1e6,
              block.video().missing(),
              block.video().expected(),
              block.load().describe());
          Md.progress("  stats: %s", block.stats().describe());
          Md.progress("  threads: %s", block.load().busiestThreads());
          Md.progress("  real-time: %s", block.realtime());
        }
      }
    }
    String markdown = report(settings, blocks);
    System.out.println(markdown);
    Md.write("webrtc-video.md", markdown);
    for (String path : settings.paths()) {
      Md.writeHgrm("webrtc-video-" + path + ".hgrm", merged(blocks, path));
    }
    return blocks.stream().allMatch(b -> b.video().received() > 0);
  }

  // ---- ours ---------------------------------------------------------------------------------

  private static Block ours(LoopbackRig rig, Settings settings, int round) throws Exception {
    FrameLog log = new FrameLog();
    VideoProbe probe = new VideoProbe(log, settings.width(), settings.height());
    try (RtcEngine engine = RtcEngine.create()) {
      CarAgent agent =
          rig.startCar(
              engine,
              new LoopbackRig.Camera(
                  settings.scene(), settings.width(), settings.height(), settings.fps()),
              settings.maxBitrateKbps(),
              settings.maxFramerate(),
              null,
              false,
              log);
      DriverSession session =
          DriverSession.open(
              engine,
              rig.uri(),
              LoopbackRig.DRIVER_TOKEN,
              LinkOptions.defaults().withCodec(VideoCodec.valueOf(settings.codec())),
              frame -> {
                FrameStamp stamp = frame.stamp();
                probe.onFrame(
                    stamp == null ? -1 : stamp.counter(),
                    frame.receivedNanos(),
                    frame.width(),
                    frame.height());
              });
      ScriptedControl control = new ScriptedControl(session); // 50 Hz heartbeats from the start
      try {
        session.ready().get(10, TimeUnit.SECONDS);
        session.drive(LoopbackRig.CAR).get(10, TimeUnit.SECONDS);
        session.firstFrame().get(15, TimeUnit.SECONDS);
        if (settings.motion()) {
          Thread.sleep(300); // neutral, disarmed frames first: the car arms only after one
          DriveIntent driving =
              new DriveIntent(settings.steering(), settings.throttle(), 0, true, false, 0);
          control.set(driving);
          awaitArmed(session);
        }
        PeerLink driverLink = LinkInternals.link(engine, PeerLink.Side.DRIVER);
        PeerLink carLink = LinkInternals.link(engine, PeerLink.Side.CAR);
        return measure(settings, round, "ours", probe, () -> stats(driverLink, carLink));
      } finally {
        control.close();
        session.close();
        agent.close();
      }
    }
  }

  private static void awaitArmed(DriverSession session) throws TimeoutException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (session.status().carState() != CarState.ARMED) {
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("the car did not arm: " + session.status().carState());
      }
      LockSupport.parkNanos(5_000_000);
    }
  }

  private static RtpStats stats(PeerLink driver, PeerLink car) {
    try {
      return RtpStats.of(
          LinkInternals.report(driver).get(5, TimeUnit.SECONDS),
          LinkInternals.report(car).get(5, TimeUnit.SECONDS));
    } catch (Exception e) {
      throw new IllegalStateException("stats", e);
    }
  }

  // ---- raw ----------------------------------------------------------------------------------

  private static Block raw(Settings settings, int round) throws Exception {
    FrameLog log = new FrameLog();
    VideoProbe probe = new VideoProbe(log, settings.width(), settings.height());
    CarModel model = new CarModel(CarModel.Spec.buggy());
    double dt = 1.0 / settings.fps();
    RenderedCamera.Painter scene =
        Scenes.painter(settings.scene(), model.spec().arenaHalfSizeM(), model::pose);
    RenderedCamera camera =
        new RenderedCamera(
            "raw",
            settings.width(),
            settings.height(),
            settings.fps(),
            (image, index) -> {
              if (settings.motion()) {
                model.step(dt, settings.steering(), settings.throttle(), 0);
              }
              scene.paint(image, index);
            });
    TimedCamera timed = new TimedCamera(camera, log);
    RawPeers peers =
        new RawPeers(
            new RawPeers.Setup(
                true,
                settings.codec(),
                settings.maxBitrateKbps(),
                settings.maxFramerate(),
                settings.scaleDownBy(),
                List.of(),
                false,
                new AgentConfig.Video(null, null, null).startBitrateKbps()),
            new RawPeers.Listener() {
              @Override
              public void onFrame(VideoFrame frame, long receivedNanos) {
                probe.onFrame(
                    counter(frame),
                    receivedNanos,
                    frame.buffer.getWidth(),
                    frame.buffer.getHeight());
              }
            });
    try {
      peers.start();
      timed.start((image, captureNanos) -> peers.push(image));
      peers.await(peers.firstFrame, 15_000);
      return measure(settings, round, "raw", probe, () -> stats(peers));
    } finally {
      timed.close();
      peers.close();
    }
  }

  private static RtpStats stats(RawPeers peers) {
    try {
      var reports = peers.stats().get(5, TimeUnit.SECONDS);
      return RtpStats.of(reports[0], reports[1]);
    } catch (Exception e) {
      throw new IllegalStateException("stats", e);
    }
  }

  /** The frame's stamp counter, -1 when it has none. */
  static long counter(VideoFrame frame) {
    int width = frame.buffer.getWidth();
    int height = frame.buffer.getHeight();
    I420Buffer i420 = frame.buffer.toI420();
    try {
      ByteBuffer luma = i420.getDataY();
      int stride = i420.getStrideY();
      FrameStamp stamp = FrameStamp.read(width, height, (x, y) -> luma.get(y * stride + x) & 0xFF);
      return stamp == null ? -1 : stamp.counter();
    } finally {
      if (i420 != frame.buffer) {
        i420.release();
      }
    }
  }

  // ---- both ---------------------------------------------------------------------------------

  private static Block measure(
      Settings settings, int round, String path, VideoProbe probe, Supplier<RtpStats> stats) {
    sleep(TimeUnit.SECONDS.toNanos(settings.warmup()));
    String realtime = ThreadPolicy.apply(settings.rt());
    try (LoadTimeline timeline = new LoadTimeline()) {
      RtpStats statsStart = stats.get();
      MachineLoad loadStart = MachineLoad.sample();
      probe.startMeasuring();
      sleep(TimeUnit.SECONDS.toNanos(settings.seconds()));
      probe.stopMeasuring();
      MachineLoad.Usage load = MachineLoad.sample().since(loadStart);
      RtpStats.Window window = stats.get().since(statsStart);
      return new Block(round, path, realtime, probe.summary(), window, load, timeline.seconds());
    }
  }

  private static void sleep(long nanos) {
    long end = System.nanoTime() + nanos;
    for (long left = nanos; left > 0; left = end - System.nanoTime()) {
      LockSupport.parkNanos(left);
    }
  }

  /**
   * Busy-loop threads in this JVM: work of the application's own (a UI, a renderer) competing for
   * this process's share of the CPU.
   */
  private static final class BusyThreads implements AutoCloseable {
    private volatile boolean running = true;

    BusyThreads(int count) {
      for (int i = 0; i < count; i++) {
        Thread thread =
            new Thread(
                () -> {
                  long x = 0;
                  while (running) {
                    x += System.nanoTime() & 1;
                  }
                  if (x == 42) {
                    System.err.print("");
                  }
                },
                "bench-busy-" + i);
        thread.setDaemon(true);
        thread.start();
      }
    }

    @Override
    public void close() {
      running = false;
    }
  }

  // ---- report -------------------------------------------------------------------------------

  private static Histogram merged(List<Block> blocks, String path) {
    Histogram total = new Histogram(60_000_000_000L, 3);
    blocks.stream()
        .filter(b -> b.path().equals(path))
        .forEach(b -> total.add(b.video().captureToSink()));
    return total;
  }

  private static Histogram merged(
      List<Block> blocks, String path, java.util.function.Function<Block, Histogram> which) {
    Histogram total = new Histogram(60_000_000_000L, 3);
    blocks.stream().filter(b -> b.path().equals(path)).forEach(b -> total.add(which.apply(b)));
    return total;
  }

  /** Latencies of the frames sent while other processes used at most / at least that much CPU. */
  private static Histogram byLoad(Block block, boolean busy, double threshold) {
    Histogram histogram = new Histogram(60_000_000_000L, 3);
    for (VideoProbe.Frame frame : block.video().frames()) {
      double other = otherAt(block.timeline(), frame.capturedNanos());
      if (Double.isNaN(other)) {
        continue;
      }
      if (busy ? other >= threshold : other < threshold) {
        histogram.recordValue(frame.receivedNanos() - frame.capturedNanos());
      }
    }
    return histogram;
  }

  private static double otherAt(List<LoadTimeline.Second> timeline, long nanos) {
    for (LoadTimeline.Second second : timeline) {
      if (nanos >= second.fromNanos() && nanos < second.toNanos()) {
        return second.otherPercent();
      }
    }
    return Double.NaN;
  }

  /** Runs of consecutive frames over the goal: one long stall, or scattered slow frames? */
  private static String tailShape(Block block) {
    List<VideoProbe.Frame> frames = block.video().frames();
    int slow = 0;
    int runs = 0;
    int longest = 0;
    int current = 0;
    for (VideoProbe.Frame frame : frames) {
      if (frame.latencyMillis() > GOAL_P99_MS) {
        slow++;
        current++;
        if (current == 1) {
          runs++;
        }
        longest = Math.max(longest, current);
      } else {
        current = 0;
      }
    }
    String unreadable =
        block.video().unstamped() == 0
            ? ""
            : f(
                "; %d decoded frames had no readable stamp (not measured; a picture scaled down"
                    + " 2× or more loses the stamp's rows)",
                block.video().unstamped());
    return f(
        "%d frames > %.0f ms in %d runs (longest %d)%s",
        slow, GOAL_P99_MS, runs, longest, unreadable);
  }

  /** Capture pacing: how regular the camera's ticks were. */
  private static String pacing(Block block, int fps) {
    List<VideoProbe.Frame> frames = block.video().frames();
    Histogram intervals = new Histogram(60_000_000_000L, 3);
    for (int i = 1; i < frames.size(); i++) {
      VideoProbe.Frame a = frames.get(i - 1);
      VideoProbe.Frame b = frames.get(i);
      if (b.counter() == a.counter() + 1) {
        intervals.recordValue(Math.max(0, b.capturedNanos() - a.capturedNanos()));
      }
    }
    return f(
        "capture interval p50 %.1f / p99 %.1f / max %.1f ms (nominal %.1f)",
        Md.p50(intervals),
        Md.p99(intervals),
        intervals.getTotalCount() == 0 ? Double.NaN : intervals.getMaxValue() / 1e6,
        1000.0 / fps);
  }

  static String report(Settings settings, List<Block> blocks) {
    StringBuilder md = new StringBuilder();
    md.append("### Video latency, ")
        .append(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")))
        .append("\n\n")
        .append(
            f(
                "Machine: %s. %s; %d rounds, %d s measured after %d s warm-up per block,"
                    + " alternating which path goes first.%n%n",
                MachineLoad.machine(),
                settings.describe(),
                settings.rounds(),
                settings.seconds(),
                settings.warmup()))
        .append(Md.latencyHeader("Capture → decoded at the sink (ms)"));
    for (String path : settings.paths()) {
      md.append(Md.latencyRow(path, merged(blocks, path), 1));
    }
    for (String path : settings.paths()) {
      md.append(
          Md.latencyRow(
              path + ": push returned → sink",
              merged(blocks, path, b -> b.video().pushToSink()),
              1));
      md.append(
          Md.latencyRow(
              path + ": capture → push returned (paint, stamp, copy, pushFrame)",
              merged(blocks, path, b -> b.video().captureToPush()),
              2));
    }
    md.append('\n');
    if (settings.paths().size() == 2) {
      Histogram ours = merged(blocks, "ours");
      Histogram raw = merged(blocks, "raw");
      md.append(
          f(
              "Ratio ours/raw: p50 %s, p99 %s.%n%n",
              Md.ratio(Md.p50(ours), Md.p50(raw)), Md.ratio(Md.p99(ours), Md.p99(raw))));
    }
    md.append("Goal p50 ≤ 30 ms, p99 ≤ 45 ms, no dropped frames: ");
    List<String> verdicts = new ArrayList<>();
    for (String path : settings.paths()) {
      Histogram all = merged(blocks, path);
      long missing =
          blocks.stream()
              .filter(b -> b.path().equals(path))
              .mapToLong(b -> b.video().missing())
              .sum();
      long expected =
          blocks.stream()
              .filter(b -> b.path().equals(path))
              .mapToLong(b -> b.video().expected())
              .sum();
      boolean met = Md.p50(all) <= GOAL_P50_MS && Md.p99(all) <= GOAL_P99_MS && missing == 0;
      verdicts.add(
          f(
              "%s **%s** (dropped %d of %d, %.2f %%)",
              path,
              met ? "met" : "missed",
              missing,
              expected,
              expected == 0 ? 0 : 100.0 * missing / expected));
    }
    md.append(String.join("; ", verdicts)).append(".\n\n");
    md.append(
        "| Round | Path | p50 | p99 | max | dropped | frames | encode | jitter buffer (target) |"
            + " decode | other CPU | this JVM | p99 when other < 25 % | p99 when other ≥ 25 % |\n"
            + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Block block : blocks) {
      Histogram quiet = byLoad(block, false, 25);
      Histogram busy = byLoad(block, true, 25);
      RtpStats.Window stats = block.stats();
      md.append(
          f(
              "| %d | %s | %.1f | %.1f | %.1f | %d (%.2f %%) | %,d | %.1f | %.1f (%.1f) | %.1f |"
                  + " %.0f %% | %.0f %% | %s (%d) | %s (%d) |%n",
              block.round(),
              block.path(),
              Md.p50(block.video().captureToSink()),
              Md.p99(block.video().captureToSink()),
              block.video().captureToSink().getMaxValue() / 1e6,
              block.video().missing(),
              block.video().droppedPercent(),
              block.video().received(),
              stats.encodeMs(),
              stats.jitterBufferMs(),
              stats.jitterTargetMs(),
              stats.decodeMs(),
              block.load().otherPercent(),
              block.load().processPercent(),
              Md.num(Md.p99(quiet), 1),
              quiet.getTotalCount(),
              Md.num(Md.p99(busy), 1),
              busy.getTotalCount()));
    }
    md.append(
        "\nLatency columns in ms; encode, jitter buffer and decode are libwebrtc's averages per"
            + " frame over the block.\n");
    md.append(
        "\nPer block, from libwebrtc's stats of both ends (averages per frame over the window):\n\n");
    for (Block block : blocks) {
      md.append(f("- round %d %s: %s.%n", block.round(), block.path(), block.stats().describe()));
      md.append(f("  Real-time threads: %s.%n", block.realtime()));
      md.append(
          f(
              "  %s; %s; %s; busiest threads: %s.%n",
              tailShape(block),
              pacing(block, settings.fps()),
              block.load().describe(),
              block.load().busiestThreads()));
    }
    md.append(
        "\nCPU in % of one core (the machine has two). \"other\" is every other process on the"
            + " machine (builds and tests in other checkouts).\n");
    return md.toString();
  }

  /** The block's frames as CSV (ms from the first capture), for a closer look. */
  private static void writeFrames(Block block) throws IOException {
    List<VideoProbe.Frame> frames = block.video().frames();
    if (frames.isEmpty()) {
      return;
    }
    long origin = frames.get(0).capturedNanos();
    StringBuilder csv =
        new StringBuilder("counter,capture_ms,push_ms,sink_ms,latency_ms,width,height,other_cpu\n");
    for (VideoProbe.Frame frame : frames) {
      csv.append(
          f(
              "%d,%.3f,%.3f,%.3f,%.3f,%d,%d,%.0f%n",
              frame.counter(),
              (frame.capturedNanos() - origin) / 1e6,
              frame.pushedNanos() == 0 ? Double.NaN : (frame.pushedNanos() - origin) / 1e6,
              (frame.receivedNanos() - origin) / 1e6,
              frame.latencyMillis(),
              frame.width(),
              frame.height(),
              otherAt(block.timeline(), frame.capturedNanos())));
    }
    Files.createDirectories(Md.OUTPUT);
    Files.writeString(
        Md.OUTPUT.resolve(f("webrtc-video-%s-round%d.csv", block.path(), block.round())),
        csv,
        StandardCharsets.UTF_8);
  }
}
