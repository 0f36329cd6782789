package dev.rcdrive.bench;

import dev.rcdrive.agent.RenderedCamera;
import dev.rcdrive.protocol.FrameStamp;
import dev.rcdrive.rtc.LinkOptions;
import dev.rcdrive.rtc.RtcEngine;
import dev.rcdrive.rtc.VideoCodec;
import dev.rcdrive.station.link.DriverSession;
import dev.rcdrive.testing.ScriptedControl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * {@code rpicam}: the agent's CPU per frame on the Pi camera path. The agent runs as on a car — its
 * own JVM, {@code rcdrive agent --config}, the service's JVM options — with {@code camera.type
 * rpicam} whose command is {@link FakeRpicamVid} (I420 on a pipe, as rpicam-vid writes it); a
 * driver in this JVM receives the video with the chosen codec. Over the measuring window: the agent
 * process's CPU (read, copy to a native frame, encode, packetize, send), the fake camera's, this
 * JVM's (the driver, decoding), and everything else on the machine; and from the frames' stamps,
 * glass-to-glass at the driver (stamp written → decoded) and the frames that never arrived.
 *
 * <p>Settings: {@code sizes=640x480,1280x720}, {@code codecs=VP8,H264}, {@code fps=30}, {@code
 * seconds=20}, {@code warmup=5}.
 */
final class RpicamBench {

  /** The JVM options of packaging/agent/rcdrive-agent.service. */
  static final List<String> SERVICE_JVM =
      List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

  record Settings(
      List<String> sizes, List<String> codecs, int fps, int seconds, int warmupSeconds) {
    static Settings from(BenchOptions options) {
      return new Settings(
          options.subsetOf(
              "sizes",
              List.of("640x480", "1280x720"),
              List.of("320x240", "640x480", "1280x720", "1920x1080")),
          options.subsetOf(
              "codecs",
              List.of("VP8", "H264"),
              List.of(
                  "VP8",
                  "VP9",
                  "H264",
                  "AV1",
                  HW_ENCODE,
                  HW_PASSTHROUGH,
                  HW_ENCODE + BUFFERED,
                  HW_PASSTHROUGH + BUFFERED)),
          options.positiveInt("fps", 30),
          options.positiveInt("seconds", 20),
          options.positiveInt("warmup", 5));
    }
  }

  record Row(
      String size,
      String codec,
      double agentPercent,
      double agentMsPerFrame,
      double cameraPercent,
      double driverPercent,
      double otherPercent,
      double fps,
      double glassToGlassP50,
      double glassToGlassP99,
      long droppedFrames,
      String loadAverage) {}

  /**
   * The stamped frames the driver decoded in the measuring window: their age on arrival
   * (glass-to-glass, from the camera's stamp) and the numbers missing between the first and last.
   */
  static final class StampWindow {
    private final Histogram ages = new Histogram(3);
    private long first = Long.MAX_VALUE;
    private long last = Long.MIN_VALUE;
    private long stamped;

    synchronized void add(FrameStamp stamp) {
      ages.recordValue(
          Math.max(0, Math.round(stamp.ageMillis(RenderedCamera.epochMicros()) * 1e6)));
      first = Math.min(first, stamp.counter());
      last = Math.max(last, stamp.counter());
      stamped++;
    }

    synchronized double p50() {
      return Md.p50(ages);
    }

    synchronized double p99() {
      return Md.p99(ages);
    }

    synchronized long dropped() {
      return stamped == 0 ? 0 : (last - first + 1) - stamped;
    }
  }

  /**
   * The hardware path (camera.encoder hardware, GStreamer webrtcbin) with x264enc standing in for
   * the Pi's v4l2h264enc: the pipe's I420 pushed into the pipeline and encoded there.
   */
  static final String HW_ENCODE = "HW-X264";

  /**
   * The hardware path fed H.264 encoded outside the agent, as a Pi's encoder hands it over (what
   * the car spends when the encoder is hardware): the fake camera's stamped I420 is encoded by x264
   * in a camera process of its own — the stand-in for the Pi's encoder, counted as camera CPU as
   * the fake camera is in the other rows — and handed to the agent frame by frame through shared
   * memory (shmsink → the agent's shmsrc), as a V4L2 encoder hands its buffers over. The agent only
   * takes the frames, parses, packetizes, encrypts and sends.
   */
  static final String HW_PASSTHROUGH = "HW-PASS";

  /**
   * A hardware row as the build before issue 19's playout delay: the agent sends no playout-delay
   * extension, and the driver's receiver holds each frame for its own target delay.
   */
  static final String BUFFERED = "-BUF";

  /** The media path of a row: its codec without the {@link #BUFFERED} suffix. */
  private static String pathOf(String codec) {
    return codec.endsWith(BUFFERED)
        ? codec.substring(0, codec.length() - BUFFERED.length())
        : codec;
  }

  /** The stand-in encoder's settings: what the agent asks of v4l2h264enc, at 2.5 Mbit/s. */
  static final int PASSTHROUGH_KBPS = 2500;

  private RpicamBench() {}

  /** The camera section of the agent's config for one row. */
  private static String cameraJson(String row, String[] wh, Settings settings, Path fake, Path dir)
      throws Exception {
    String codec = pathOf(row);
    int fps = settings.fps();
    String base =
        String.format(
            Locale.ROOT,
            "\"type\": \"rpicam\", \"width\": %s, \"height\": %s, \"fps\": %d,"
                + " \"command\": \"%s\"",
            wh[0],
            wh[1],
            fps,
            fake);
    if (codec.equals(HW_ENCODE)) {
      return base + ", \"encoder\": \"hardware\"";
    }
    if (codec.equals(HW_PASSTHROUGH)) {
      // Live, stamped on arrival as a camera's frames are: webrtcbin's sink syncs to the clock,
      // so the writer's own timestamps would hold each frame back by their offset.
      String source =
          "shmsrc socket-path="
              + socket(dir, wh)
              + " is-live=true do-timestamp=true"
              + " ! video/x-h264,stream-format=byte-stream,alignment=au";
      return base + ", \"encoder\": \"hardware\", \"gstSource\": \"" + source + "\"";
    }
    return base;
  }

  private static Path socket(Path dir, String[] wh) {
    return dir.resolve("h264-" + wh[0] + "x" + wh[1] + ".shm");
  }

  /**
   * The passthrough row's camera: the fake rpicam-vid's stamped I420 encoded as the Pi's encoder
   * would (constrained baseline, CBR, an IDR every 2 s, no B-frames) and handed over frame by frame
   * through shared memory, as a V4L2 encoder hands its buffers over. Waits for the agent's pipeline
   * to connect before its first frame.
   */
  private static Process startEncodingCamera(Path dir, Path fake, String[] wh, int fps)
      throws Exception {
    Path socket = socket(dir, wh);
    Files.deleteIfExists(socket);
    String pipeline =
        String.format(
            Locale.ROOT,
            "'%s' --width %s --height %s --framerate %d"
                + " | exec gst-launch-1.0 -q fdsrc fd=0"
                + " ! rawvideoparse width=%s height=%s format=i420 framerate=%d/1"
                + " ! x264enc tune=zerolatency speed-preset=ultrafast bitrate=%d key-int-max=%d"
                + " bframes=0"
                + " ! video/x-h264,profile=constrained-baseline,stream-format=byte-stream"
                + " ! h264parse ! video/x-h264,stream-format=byte-stream,alignment=au"
                + " ! shmsink socket-path='%s' wait-for-connection=true sync=false"
                + " shm-size=8000000",
            fake,
            wh[0],
            wh[1],
            fps,
            wh[0],
            wh[1],
            fps,
            PASSTHROUGH_KBPS,
            fps * 2,
            socket);
    Process camera =
        new ProcessBuilder("sh", "-c", pipeline)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("camera-" + wh[0] + "x" + wh[1] + ".log").toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!Files.exists(socket)) { // the agent's shmsrc fails on a socket not there yet
      if (!camera.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException("the passthrough camera did not start: see its log");
      }
      Thread.sleep(20);
    }
    return camera;
  }

  static boolean run(BenchOptions options) throws Exception {
    Settings settings = Settings.from(options);
    options.rejectUnread();
    Path dir = Files.createTempDirectory("rcdrive-rpicam-bench");
    Path fake = dir.resolve("rpicam-vid");
    Files.writeString(
        fake,
        "#!/bin/sh\nexec '"
            + Path.of(System.getProperty("java.home"), "bin", "java")
            + "' -Xmx128m -XX:+UseSerialGC -cp '"
            + System.getProperty("java.class.path")
            + "' dev.rcdrive.bench.FakeRpicamVid \"$@\"\n");
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
    List<Row> rows = new ArrayList<>();
    boolean ok = true;
    try (RtcEngine engine = RtcEngine.create();
        LoopbackRig rig = LoopbackRig.start(null)) {
      for (String size : settings.sizes()) {
        for (String codec : settings.codecs()) {
          Md.progress(
              "rpicam %s %s: measuring %d s after %d s warm-up",
              size, codec, settings.seconds(), settings.warmupSeconds());
          Row row = measure(engine, rig, dir, fake, size, codec, settings);
          rows.add(row);
          ok &= row.fps() > settings.fps() * 0.8;
        }
      }
    }
    String report = report(settings, rows);
    System.out.println(report);
    Md.write("rpicam", report);
    return ok;
  }

  private static Row measure(
      RtcEngine engine,
      LoopbackRig rig,
      Path dir,
      Path fake,
      String size,
      String codec,
      Settings settings)
      throws Exception {
    String[] wh = size.split("x");
    Path config = dir.resolve("agent-" + size + "-" + codec + ".json");
    Files.writeString(
        config,
        String.format(
            Locale.ROOT,
            "{\"server\": \"%s\", \"carId\": \"%s\", \"key\": \"%s\","
                + " \"camera\": {%s},"
                + " \"actuator\": \"sim\", \"telemetry\": {\"pi\": false}}",
            rig.uri(),
            LoopbackRig.CAR,
            LoopbackRig.CAR_KEY,
            cameraJson(codec, wh, settings, fake, dir)));
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(SERVICE_JVM);
    if (codec.endsWith(BUFFERED)) {
      command.add("-Drcdrive.playoutDelay=receiver");
    }
    command.addAll(
        List.of(
            "-Drcdrive.log=warn",
            "-cp",
            System.getProperty("java.class.path"),
            "dev.rcdrive.cli.Main",
            "agent",
            "--config",
            config.toString()));
    Process passthroughCamera =
        pathOf(codec).equals(HW_PASSTHROUGH)
            ? startEncodingCamera(dir, fake, wh, settings.fps())
            : null;
    Process agent =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("agent-" + size + "-" + codec + ".log").toFile())
            .start();
    Thread killer =
        new Thread(
            () -> {
              agent.destroyForcibly();
              destroyTree(passthroughCamera);
            },
            "rpicam-bench-killer");
    Runtime.getRuntime().addShutdownHook(killer);
    AtomicReference<StampWindow> window = new AtomicReference<>();
    try {
      rig.awaitOnlineCars(1, Duration.ofSeconds(30));
      try (DriverSession session =
              DriverSession.open(
                  engine,
                  rig.uri(),
                  LoopbackRig.DRIVER_TOKEN,
                  LinkOptions.defaults()
                      .withCodec(
                          codec.startsWith("HW-") ? VideoCodec.H264 : VideoCodec.valueOf(codec)),
                  frame -> {
                    StampWindow open = window.get();
                    FrameStamp stamp = frame.stamp();
                    if (open != null && stamp != null) {
                      open.add(stamp);
                    }
                  });
          // Neutral heartbeats, as a station sends: the car's control path runs as in a drive.
          ScriptedControl control = new ScriptedControl(session)) {
        session.ready().get(10, TimeUnit.SECONDS);
        session.drive(LoopbackRig.CAR).get(10, TimeUnit.SECONDS);
        session.firstFrame().get(30, TimeUnit.SECONDS);
        Thread.sleep(settings.warmupSeconds() * 1000L);

        ProcessHandle camera =
            passthroughCamera != null ? passthroughCamera.toHandle() : cameraOf(agent);
        long agentCpu0 = cpuNanos(agent.toHandle());
        long cameraCpu0 = cpuNanos(camera);
        MachineLoad load0 = MachineLoad.sample();
        long frames0 = session.status().framesReceived();
        StampWindow stamps = new StampWindow();
        window.set(stamps);

        Thread.sleep(settings.seconds() * 1000L); // the measuring window

        window.set(null);
        long frames = session.status().framesReceived() - frames0;
        MachineLoad.Usage usage = MachineLoad.sample().since(load0);
        double wall = usage.seconds() * 1e9;
        long agentCpu = cpuNanos(agent.toHandle()) - agentCpu0;
        long cameraCpu = cpuNanos(camera) - cameraCpu0;
        double agentPercent = 100.0 * agentCpu / wall;
        double cameraPercent = 100.0 * cameraCpu / wall;
        double cameraFrames = settings.fps() * usage.seconds();
        return new Row(
            size,
            codec,
            agentPercent,
            agentCpu / 1e6 / cameraFrames,
            cameraPercent,
            usage.processPercent(),
            Math.max(0, usage.otherPercent() - agentPercent - cameraPercent),
            frames / usage.seconds(),
            stamps.p50(),
            stamps.p99(),
            stamps.dropped(),
            usage.loadAverage());
      }
    } finally {
      agent.destroy(); // SIGTERM: the agent's shutdown hook runs, as under systemd
      if (!agent.waitFor(10, TimeUnit.SECONDS)) {
        agent.destroyForcibly();
      }
      destroyTree(passthroughCamera);
      Runtime.getRuntime().removeShutdownHook(killer);
      rig.awaitOnlineCars(0, Duration.ofSeconds(10));
    }
  }

  /** The fake camera: the agent's child process (through the wrapper's exec). */
  private static ProcessHandle cameraOf(Process agent) {
    return agent
        .descendants()
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("the agent started no camera process"));
  }

  /** A process's CPU and its living descendants' (the passthrough camera is a shell pipeline). */
  private static long cpuNanos(ProcessHandle process) {
    if (process == null) {
      return 0;
    }
    long own = process.info().totalCpuDuration().orElse(Duration.ZERO).toNanos();
    return own
        + process
            .descendants()
            .mapToLong(d -> d.info().totalCpuDuration().orElse(Duration.ZERO).toNanos())
            .sum();
  }

  private static void destroyTree(Process process) {
    if (process != null) {
      process.descendants().forEach(ProcessHandle::destroy);
      process.destroy();
    }
  }

  private static String report(Settings settings, List<Row> rows) {
    StringBuilder md = new StringBuilder();
    md.append("### rpicam path: agent CPU per frame\n\n")
        .append(MachineLoad.machine())
        .append("; ")
        .append(settings.fps())
        .append(" fps, ")
        .append(settings.seconds())
        .append(" s per row after ")
        .append(settings.warmupSeconds())
        .append(" s warm-up; agent JVM ")
        .append(String.join(" ", SERVICE_JVM))
        .append("\n\n")
        .append(
            "| size | codec | agent CPU (% of a core) | agent CPU per frame (ms) | fake camera"
                + " (%) | driver JVM, decoding (%) | other processes (%) | fps at the driver |"
                + " glass-to-glass p50 / p99 (ms) | frames dropped | load average |\n")
        .append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (Row r : rows) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %.1f | %.2f | %.1f | %.1f | %.1f | %.1f | %.1f / %.1f | %d | %s |%n",
              r.size(),
              r.codec(),
              r.agentPercent(),
              r.agentMsPerFrame(),
              r.cameraPercent(),
              r.driverPercent(),
              r.otherPercent(),
              r.fps(),
              r.glassToGlassP50(),
              r.glassToGlassP99(),
              r.droppedFrames(),
              r.loadAverage()));
    }
    return md.toString();
  }
}
