package dev.rcdrive.bench;

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

/**
 * {@code rpicam}: the agent's CPU per frame on the Pi camera path. The agent runs as on a car — its
 * own JVM, {@code rcdrive agent --config}, the service's JVM options — with {@code camera.type
 * rpicam} whose command is {@link FakeRpicamVid} (I420 on a pipe, as rpicam-vid writes it); a
 * driver in this JVM receives the video with the chosen codec. Over the measuring window: the agent
 * process's CPU (read, copy to a native frame, encode, packetize, send), the fake camera's, this
 * JVM's (the driver, decoding), and everything else on the machine.
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
              List.of("VP8", "VP9", "H264", "AV1", HW_ENCODE, HW_PASSTHROUGH)),
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
      String loadAverage) {}

  /**
   * The hardware path (camera.encoder hardware, GStreamer webrtcbin) with x264enc standing in for
   * the Pi's v4l2h264enc: the pipe's I420 pushed into the pipeline and encoded there.
   */
  static final String HW_ENCODE = "HW-X264";

  /**
   * The hardware path fed H.264 that is already encoded (what the car spends when the encoder is
   * hardware): a clip encoded before the run, looped at the camera rate by the pipeline itself, so
   * the agent only parses, packetizes, encrypts and sends. No camera process.
   */
  static final String HW_PASSTHROUGH = "HW-PASS";

  /** Longer than a row's connect, warm-up and window: the clip is played once, not looped. */
  static final int CLIP_SECONDS = 60;

  private RpicamBench() {}

  /** The camera section of the agent's config for one row. */
  private static String cameraJson(
      String codec, String[] wh, Settings settings, Path fake, Path dir) throws Exception {
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
      Path clip = dir.resolve("clip-" + wh[0] + "x" + wh[1] + ".mkv");
      encodeClip(clip, wh, fps);
      // In a container, so every frame has its timestamp and `sync` plays it at the camera rate
      // (multifilesrc hands a raw .h264 file over as one buffer: the row got 0.7 fps).
      String source =
          "filesrc location="
              + clip
              + " ! matroskademux ! h264parse"
              + " ! video/x-h264,stream-format=byte-stream,alignment=au ! identity sync=true";
      if (settings.warmupSeconds() + settings.seconds() + 20 > CLIP_SECONDS) {
        throw new IllegalArgumentException(
            HW_PASSTHROUGH + " rows last at most " + (CLIP_SECONDS - 20) + " s (warmup + seconds)");
      }
      return base + ", \"encoder\": \"hardware\", \"gstSource\": \"" + source + "\"";
    }
    return base;
  }

  /**
   * {@link #CLIP_SECONDS} of sensor-like noise (videotestsrc snow), encoded once before the run as
   * the Pi's encoder would (constrained baseline, CBR 2.5 Mbps, an IDR every 2 s), so the
   * passthrough row sends as many bytes as a real camera at that bitrate.
   */
  private static void encodeClip(Path clip, String[] wh, int fps) throws Exception {
    if (Files.exists(clip)) {
      return;
    }
    Process p =
        new ProcessBuilder(
                "gst-launch-1.0",
                "-q",
                "videotestsrc",
                "num-buffers=" + fps * CLIP_SECONDS,
                "pattern=snow",
                "!",
                "video/x-raw,width=" + wh[0] + ",height=" + wh[1] + ",framerate=" + fps + "/1",
                "!",
                "x264enc",
                "tune=zerolatency",
                "speed-preset=ultrafast",
                "bitrate=2500",
                "key-int-max=" + fps * 2,
                "bframes=0",
                "!",
                "video/x-h264,profile=constrained-baseline,stream-format=byte-stream",
                "!",
                "h264parse",
                "!",
                "matroskamux",
                "!",
                "filesink",
                "location=" + clip)
            .inheritIO()
            .start();
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("could not encode the passthrough clip (gst-launch-1.0)");
    }
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
    command.addAll(
        List.of(
            "-Drcdrive.log=warn",
            "-cp",
            System.getProperty("java.class.path"),
            "dev.rcdrive.cli.Main",
            "agent",
            "--config",
            config.toString()));
    Process agent =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("agent-" + size + "-" + codec + ".log").toFile())
            .start();
    Thread killer = new Thread(agent::destroyForcibly, "rpicam-bench-killer");
    Runtime.getRuntime().addShutdownHook(killer);
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
                  frame -> {});
          // Neutral heartbeats, as a station sends: the car's control path runs as in a drive.
          ScriptedControl control = new ScriptedControl(session)) {
        session.ready().get(10, TimeUnit.SECONDS);
        session.drive(LoopbackRig.CAR).get(10, TimeUnit.SECONDS);
        session.firstFrame().get(30, TimeUnit.SECONDS);
        Thread.sleep(settings.warmupSeconds() * 1000L);

        ProcessHandle camera = codec.equals(HW_PASSTHROUGH) ? null : cameraOf(agent);
        long agentCpu0 = cpuNanos(agent.toHandle());
        long cameraCpu0 = cpuNanos(camera);
        MachineLoad load0 = MachineLoad.sample();
        long frames0 = session.status().framesReceived();

        Thread.sleep(settings.seconds() * 1000L); // the measuring window

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
            usage.loadAverage());
      }
    } finally {
      agent.destroy(); // SIGTERM: the agent's shutdown hook runs, as under systemd
      if (!agent.waitFor(10, TimeUnit.SECONDS)) {
        agent.destroyForcibly();
      }
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

  private static long cpuNanos(ProcessHandle process) {
    if (process == null) {
      return 0;
    }
    return process.info().totalCpuDuration().orElse(Duration.ZERO).toNanos();
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
                + " load average |\n")
        .append("|---|---|---:|---:|---:|---:|---:|---:|---|\n");
    for (Row r : rows) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %.1f | %.2f | %.1f | %.1f | %.1f | %.1f | %s |%n",
              r.size(),
              r.codec(),
              r.agentPercent(),
              r.agentMsPerFrame(),
              r.cameraPercent(),
              r.driverPercent(),
              r.otherPercent(),
              r.fps(),
              r.loadAverage()));
    }
    return md.toString();
  }
}
