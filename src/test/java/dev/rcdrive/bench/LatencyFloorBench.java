package dev.rcdrive.bench;

import dev.rcdrive.agent.AgentConfig;
import dev.rcdrive.agent.CarAgent;
import dev.rcdrive.protocol.FrameStamp;
import dev.rcdrive.rtc.LinkOptions;
import dev.rcdrive.rtc.RtcEngine;
import dev.rcdrive.rtc.VideoCodec;
import dev.rcdrive.signaling.SignalingConfig;
import dev.rcdrive.signaling.SignalingServer;
import dev.rcdrive.station.drive.ControlLoop;
import dev.rcdrive.station.drive.DriveIntent;
import dev.rcdrive.station.link.DriverSession;
import dev.rcdrive.station.link.StageBreakdown;
import dev.rcdrive.testing.LoopbackWorld;
import dev.rcdrive.testing.ProcessLines;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * {@code latency-floor}: where glass-to-glass goes, stage by stage (issue 19).
 *
 * <ul>
 *   <li><b>probe</b> part: a car and a driver in this JVM (real signaling, real WebRTC over the
 *       machine's interface), capture → decoded, per size and codec: the stage breakdown the driver
 *       computes ({@link StageBreakdown}), checked against the stamped end-to-end mean, with the
 *       control round trip, frame rate, dropped frames and CPU per frame beside it.
 *   <li><b>station</b> part: the packaged station ({@code target/dist}) against an agent in a
 *       process of its own, capture → shown, alternating the variants named by {@code
 *       stationVariants} (the station's options, and the agent's) so that a change and the build
 *       before it run side by side.
 * </ul>
 */
final class LatencyFloorBench {

  private static final Path LAUNCHER = Path.of("target", "dist", "bin", "rcdrive").toAbsolutePath();
  private static final Pattern SELF_TEST =
      Pattern.compile(
          "self-test passed: (\\d+) frames shown; sink to screen p50 ([\\d.]+) ms, p99 ([\\d.]+)"
              + " ms; capture to screen p50 ([\\d.NaN]+) ms, p99 ([\\d.NaN]+) ms; (\\d+) frames"
              + " replaced before shown; process CPU (\\d+) %");
  private static final Pattern STAGES = Pattern.compile("self-test stages: (.*)");

  /** Where the car's processes (agent and signaling server) run, beside the station. */
  private enum Placement {
    /** All processes share both cores, as the other benchmarks run. */
    SHARED,
    /**
     * The car at the lowest CPU priority (nice 19): it takes only what the station and the X server
     * leave, as it would on a Pi of its own; its frames may then wait for a core themselves.
     */
    CAR_NICE,
    /**
     * A core each: the car's processes on the first, the station and the X server on the second
     * (CPU affinity), as a car with a computer of its own and a laptop would be. Each side's
     * threads then wait only for their own side's.
     */
    CORE_EACH
  }

  /**
   * One side-by-side variant: the station's JAVA_OPTS, the agent's, the agent's extra arguments,
   * and where the car's processes run.
   */
  private record Variant(
      String stationOpts, String agentOpts, List<String> agentArgs, Placement placement) {
    static Variant station(String opts) {
      return new Variant(opts, null, List.of(), Placement.SHARED);
    }

    /** The station at 240 Hz against the hardware path (x264 standing in for the Pi's encoder). */
    static Variant hardware(String agentOpts) {
      return new Variant(
          "-Djavafx.animation.pulse=240",
          agentOpts,
          List.of("--encoder", "hardware"),
          Placement.SHARED);
    }

    Variant placed(Placement where) {
      return new Variant(stationOpts, agentOpts, agentArgs, where);
    }

    /** The command prefix for the car's processes. */
    List<String> carPrefix() {
      return switch (placement) {
        case SHARED -> List.of();
        case CAR_NICE -> List.of("nice", "-n", "19");
        case CORE_EACH -> List.of("taskset", "-c", "0");
      };
    }

    /** The CPUs the station and its X server are given (a taskset list), or null: any. */
    String stationCpus() {
      return placement == Placement.CORE_EACH ? "1" : null;
    }

    /** The command prefix for the station. */
    List<String> stationPrefix() {
      return stationCpus() == null ? List.of() : List.of("taskset", "-c", stationCpus());
    }
  }

  /** The variants run side by side, by name. */
  private static final Map<String, Variant> VARIANTS =
      Map.of(
          "pulse120", Variant.station("-Djavafx.animation.pulse=120"),
          "pulse240", Variant.station("-Djavafx.animation.pulse=240"),
          "pulse500", Variant.station("-Djavafx.animation.pulse=500"),
          "default", Variant.station(""),
          // The hardware path sending playout delay 0 (this build) and leaving it to the receiver.
          "hw", Variant.hardware(null),
          "hw-buffered", Variant.hardware("-Drcdrive.playoutDelay=receiver"),
          // The same with the car's processes at nice 19, or on a core of their own.
          "pulse240-car-apart",
              Variant.station("-Djavafx.animation.pulse=240").placed(Placement.CAR_NICE),
          "hw-car-apart", Variant.hardware(null).placed(Placement.CAR_NICE),
          "pulse240-core-each",
              Variant.station("-Djavafx.animation.pulse=240").placed(Placement.CORE_EACH),
          "hw-core-each", Variant.hardware(null).placed(Placement.CORE_EACH));

  private LatencyFloorBench() {}

  static boolean run(BenchOptions options) throws Exception {
    List<String> parts =
        options.subsetOf("parts", List.of("probe", "station"), List.of("probe", "station"));
    List<String> sizes =
        options.subsetOf(
            "sizes", List.of("640x480", "1280x720"), List.of("640x480", "1280x720", "960x540"));
    List<String> codecs =
        options.subsetOf("codecs", List.of("VP8", "H264"), List.of("VP8", "H264", HARDWARE));
    int seconds = options.positiveInt("seconds", 20);
    int warmup = options.positiveInt("warmup", 5);
    int frames = options.positiveInt("frames", 600);
    int rounds = options.positiveInt("rounds", 2);
    List<String> variants =
        options.subsetOf(
            "stationVariants", List.of("pulse120", "pulse240"), List.copyOf(VARIANTS.keySet()));
    options.rejectUnread();
    StringBuilder md = new StringBuilder();
    MachineLoad before = MachineLoad.sample();
    if (parts.contains("probe")) {
      md.append(probePart(sizes, codecs, seconds, warmup));
    }
    if (parts.contains("station")) {
      if (System.getenv("DISPLAY") == null) {
        throw new IllegalArgumentException(
            "the station part needs a display: run under xvfb-run -a -s \"-screen 0 1920x1080x24\"");
      }
      md.append(stationPart(sizes, variants, frames, rounds));
    }
    md.append("\nLoad: ").append(MachineLoad.sample().since(before).describe()).append('\n');
    md.append("Machine: ").append(MachineLoad.machine()).append('\n');
    System.out.println(md);
    Md.write("latency-floor.md", md.toString());
    return true;
  }

  // ---- probe part: capture → decoded, in one JVM ----------------------------------------------

  private static String probePart(List<String> sizes, List<String> codecs, int seconds, int warmup)
      throws Exception {
    StringBuilder md = new StringBuilder();
    md.append(
        Md.f(
            "### Capture → decoded (probe), %d s per block after %d s of warm-up%n%n",
            seconds, warmup));
    md.append(
        "| size | codec | capture→enc | encode | pacer | network | jitter buf (target; assembly)"
            + " | decode | receiver (1st packet→decoded) |"
            + " **sum** | **measured mean** | unacc. | e2e p50 / p99 | enc+dec | p50 / (enc+dec)"
            + " | control RTT p50 / p99 | fps | dropped | CPU ms/frame |\n");
    md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (String size : sizes) {
      for (String codec : codecs) {
        md.append(probeBlock(size, codec, seconds, warmup));
      }
    }
    return md.toString();
  }

  /**
   * The probe part's hardware row: the car on the hardware path (x264 in the pipeline standing in
   * for the Pi's encoder), the driver asking for H.264.
   */
  static final String HARDWARE = "HW-X264";

  private static String probeBlock(String size, String codecName, int seconds, int warmup)
      throws Exception {
    boolean hardware = codecName.equals(HARDWARE);
    VideoCodec codec = hardware ? VideoCodec.H264 : VideoCodec.valueOf(codecName);
    int width = Integer.parseInt(size.substring(0, size.indexOf('x')));
    int height = Integer.parseInt(size.substring(size.indexOf('x') + 1));
    Histogram e2e = new Histogram(3);
    AtomicLong lastCounter = new AtomicLong(-1);
    AtomicLong dropped = new AtomicLong();
    AtomicLong measuring = new AtomicLong(0); // 1 while the block measures
    try (RtcEngine engine = RtcEngine.create()) {
      SignalingServer server =
          LoopbackWorld.server(
              List.of(new SignalingConfig.Car("bench", "Bench car", "k")),
              List.of(new SignalingConfig.Driver("d", "t")));
      CarAgent car =
          LoopbackWorld.simCar(
              server,
              engine,
              "bench",
              "k",
              width,
              height,
              30,
              hardware ? AgentConfig.Encoder.HARDWARE : AgentConfig.Encoder.SOFTWARE);
      DriverSession session =
          DriverSession.open(
              engine,
              server.uri(),
              "t",
              LinkOptions.defaults().withCodec(codec),
              frame -> {
                FrameStamp stamp = frame.stamp();
                if (stamp == null || measuring.get() == 0) {
                  return;
                }
                double age = stamp.ageMillis(epochMicros());
                e2e.recordValue(Math.max(1, Math.round(age * 1e6))); // ns, as Md reads it
                long previous = lastCounter.getAndSet(stamp.counter());
                if (previous >= 0 && stamp.counter() > previous + 1) {
                  dropped.addAndGet(stamp.counter() - previous - 1);
                }
              });
      // Neutral, disarmed heartbeats, as rcdrive probe sends: the car's echoes give the round trip.
      ControlLoop heartbeats = ControlLoop.start(() -> DriveIntent.NEUTRAL, session::sendControl);
      try {
        session.ready().get(10, TimeUnit.SECONDS);
        session.drive("bench").get(10, TimeUnit.SECONDS);
        session.firstFrame().get(15, TimeUnit.SECONDS);
        TimeUnit.SECONDS.sleep(warmup);
        long rttBefore = session.rttSamples().count();
        StageBreakdown.Sample first = session.stageSample().get(5, TimeUnit.SECONDS);
        long framesBefore = session.status().framesReceived();
        long cpuBefore = MachineLoad.readProcessTicks();
        long start = System.nanoTime();
        measuring.set(1);
        TimeUnit.SECONDS.sleep(seconds);
        measuring.set(0);
        double elapsed = (System.nanoTime() - start) / 1e9;
        long cpuTicks = MachineLoad.readProcessTicks() - cpuBefore;
        long framesShown = session.status().framesReceived() - framesBefore;
        StageBreakdown.Sample last = session.stageSample().get(5, TimeUnit.SECONDS);
        StageBreakdown.Stages s = StageBreakdown.between(first, last);
        double rttP50 = session.rttSamples().percentile(50);
        double rttP99 = session.rttSamples().percentile(99);
        long rttCount = session.rttSamples().count() - rttBefore;
        double p50 = Md.p50(e2e);
        double encDec = s.encodeMs() + s.decodeMs();
        // The process's CPU (car and driver both live here) per frame, in ms.
        double cpuPerFrame = cpuTicks * 10.0 / Math.max(1, framesShown);
        Md.progress(
            "%s %s: e2e p50 %.1f, stages %s (rtt samples %d)",
            size, codecName, p50, s.asMap(), rttCount);
        return Md.f(
            "| %s | %s | %.2f | %.2f | %.2f | %.2f | %.2f (%.1f; %.2f) | %.2f | %.2f | **%.1f** |"
                + " **%.1f** |"
                + " %.1f | %.1f / %.1f | %.2f | %.1f× | %.2f / %.2f | %.1f | %d | %.1f |%n",
            size,
            codecName,
            s.captureToEncoderMs(),
            s.encodeMs(),
            s.pacerMs(),
            s.networkMs(),
            s.jitterBufferMs(),
            s.jitterBufferTargetMs(),
            s.assemblyMs(),
            s.decodeMs(),
            s.receiverMs(),
            s.sumMs(),
            s.endToEndMs(),
            s.unaccountedMs(),
            p50,
            Md.p99(e2e),
            encDec,
            p50 / encDec,
            rttP50,
            rttP99,
            framesShown / elapsed,
            dropped.get(),
            cpuPerFrame);
      } finally {
        heartbeats.close();
        session.close();
        car.close();
        server.close();
      }
    }
  }

  private static long epochMicros() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
  }

  // ---- station part: capture → shown, the packaged station ------------------------------------

  private static String stationPart(
      List<String> sizes, List<String> variants, int frames, int rounds) throws Exception {
    StringBuilder md = new StringBuilder();
    md.append(
        Md.f(
            "%n### Capture → shown (the packaged station, agent in its own process), %d frames a"
                + " run, %d rounds, variants alternating%n%n",
            frames, rounds));
    md.append(
        "| size | variant | round | capture→shown p50 / p99 | sink→screen p50 / p99 | replaced |"
            + " station CPU % | stages, whole run |\n|---|---|---|---|---|---|---|---|\n");
    for (String size : sizes) {
      for (int round = 1; round <= rounds; round++) {
        List<String> order = new ArrayList<>(variants);
        if (round % 2 == 0) {
          java.util.Collections.reverse(order);
        }
        for (String variant : order) {
          Map<String, String> r = stationRun(size, VARIANTS.get(variant), frames);
          Md.progress("station %s %s round %d: %s", size, variant, round, r);
          md.append(
              Md.f(
                  "| %s | %s | %d | %s / %s | %s / %s | %s | %s | %s |%n",
                  size,
                  variant,
                  round,
                  r.get("glassP50"),
                  r.get("glassP99"),
                  r.get("sinkP50"),
                  r.get("sinkP99"),
                  r.get("replaced"),
                  r.get("cpu"),
                  r.get("stages")));
        }
      }
    }
    return md.toString();
  }

  private static Map<String, String> stationRun(String size, Variant variant, int frames)
      throws Exception {
    List<Process> processes = new ArrayList<>();
    // The station saves the connection it made: in a folder of its own, not the user's.
    Path config = java.nio.file.Files.createTempDirectory("rcdrive-latency-floor");
    XServerCpus xServer = XServerCpus.NONE;
    try {
      List<String> car = variant.carPrefix();
      Process signal = launch(processes, car, null, "signal", "--demo", "--port", "0");
      String server = await(signal, Pattern.compile("listening on (ws://\\S+)"));
      drain(signal);
      List<String> agentArgs = new ArrayList<>(DemoAgent.args(server, size));
      agentArgs.addAll(variant.agentArgs());
      Process agent = launch(processes, car, variant.agentOpts(), agentArgs.toArray(String[]::new));
      await(agent, Pattern.compile("(signaling READY)"));
      drain(agent);
      xServer = XServerCpus.pin(variant.stationCpus());
      Process station =
          launch(
              processes,
              variant.stationPrefix(),
              "-Drcdrive.log=warn -Drcdrive.configDir=" + config + " " + variant.stationOpts(),
              "station",
              "--server",
              server,
              "--token",
              "demo-token",
              "--car",
              "demo",
              "--self-test",
              String.valueOf(frames));
      List<String> found = awaitBoth(station, SELF_TEST, STAGES);
      String line = found.get(0);
      String stages = found.get(1);
      drain(station);
      if (!station.waitFor(30, TimeUnit.SECONDS)) {
        station.destroyForcibly();
        throw new IllegalStateException("the station did not exit after its self-test");
      }
      Matcher m = SELF_TEST.matcher(line);
      if (!m.find()) {
        throw new IllegalStateException("no self-test result: " + line);
      }
      Map<String, String> result = new LinkedHashMap<>();
      result.put("sinkP50", m.group(2));
      result.put("sinkP99", m.group(3));
      result.put("glassP50", m.group(4));
      result.put("glassP99", m.group(5));
      result.put("replaced", m.group(6));
      result.put("cpu", m.group(7));
      result.put("stages", stages.replaceAll("\\s+", " ").replace("|", "/"));
      return result;
    } finally {
      for (Process process : processes) {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      }
      xServer.restore(); // first: the next run must find the X server as it was
      StartupBench.delete(config);
    }
  }

  private static Process launch(
      List<Process> processes, List<String> prefix, String javaOpts, String... args)
      throws IOException {
    List<String> command = new ArrayList<>(prefix);
    command.add(LAUNCHER.toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    if (javaOpts != null) {
      builder.environment().put("JAVA_OPTS", javaOpts);
    }
    Process process = builder.start();
    processes.add(process);
    return process;
  }

  /** The first group of the first line that matches, within two minutes. */
  private static String await(Process process, Pattern pattern) throws Exception {
    String found = ProcessLines.first(process, pattern, Duration.ofSeconds(120));
    if (found == null) {
      throw new IllegalStateException("the process ended without printing " + pattern);
    }
    return found;
  }

  /** The whole lines matching each pattern, in order, read with one reader (two minutes). */
  private static List<String> awaitBoth(Process process, Pattern first, Pattern second)
      throws Exception {
    BufferedReader lines =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    return CompletableFuture.supplyAsync(
            () -> {
              List<String> found = new ArrayList<>();
              try {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                  if (found.isEmpty() && first.matcher(line).find()) {
                    found.add(line);
                  } else if (found.size() == 1) {
                    Matcher matcher = second.matcher(line);
                    if (matcher.find()) {
                      found.add(matcher.group(1));
                      return found;
                    }
                  }
                }
              } catch (IOException e) {
                // the process ended
              }
              throw new IllegalStateException("the station ended without its self-test lines");
            })
        .get(120, TimeUnit.SECONDS);
  }

  private static void drain(Process process) {
    CompletableFuture.runAsync(
        () -> {
          try {
            process.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
          } catch (IOException ignored) {
            // the process ended
          }
        });
  }
}
