package dev.rcdrive.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Entry point of {@code ./mvnw -Pbench verify}: runs one named benchmark (see docs/benchmarks.md).
 * Not a test: a benchmark starts real processes and runs for about a minute.
 *
 * <p>Arguments are a benchmark name followed by {@code key=value} settings. Maven hands {@code
 * -Dbench.args="signaling pairs=100"} over as a single argument, so every argument is split on
 * whitespace. Settings may also be given as system properties ({@code -Dbench.pairs=100}); an
 * argument wins over a property.
 */
public final class BenchMain {

  /** One benchmark; returns false when the run was not clean (the process then exits with 1). */
  @FunctionalInterface
  interface Benchmark {
    boolean run(BenchOptions options) throws Exception;
  }

  private static final Map<String, Benchmark> BENCHMARKS = new TreeMap<>();

  static {
    BENCHMARKS.put("signaling", SignalingLoadBench::run);
    BENCHMARKS.put("webrtc", WebRtcBench::all);
    BENCHMARKS.put("webrtc-control", WebRtcBench::control);
    BENCHMARKS.put("webrtc-video", WebRtcBench::video);
    BENCHMARKS.put("webrtc-connect", WebRtcBench::connect);
    BENCHMARKS.put("station-render", StationRenderBench::run);
    BENCHMARKS.put("station-app", StationAppBench::run);
    BENCHMARKS.put(
        "station", options -> StationRenderBench.run(options) & StationAppBench.run(options));
    BENCHMARKS.put("gamepad", GamepadLatencyBench::run);
    BENCHMARKS.put("rpicam", RpicamBench::run);
    BENCHMARKS.put("installer", InstallerBench::run);
    BENCHMARKS.put("soak", SoakBench::run);
    BENCHMARKS.put("sessions", SessionSoakBench::run);
    BENCHMARKS.put("latency-floor", LatencyFloorBench::run);
    BENCHMARKS.put("startup", StartupBench::run);
    BENCHMARKS.put("browser", BrowserDriverBench::run);
  }

  private BenchMain() {}

  public static void main(String[] args) {
    List<String> words =
        Arrays.stream(args)
            .flatMap(arg -> Arrays.stream(arg.trim().split("\\s+")))
            .filter(word -> !word.isEmpty())
            .toList();
    if (words.isEmpty()) {
      usage("name a benchmark");
    }
    Benchmark benchmark = BENCHMARKS.get(words.get(0));
    if (benchmark == null) {
      usage("unknown benchmark '" + words.get(0) + "'");
    }
    int status;
    try {
      BenchOptions options =
          BenchOptions.parse(words.subList(1, words.size()), System.getProperties());
      status = benchmark.run(options) ? 0 : 1;
    } catch (IllegalArgumentException e) {
      usage(e.getMessage());
      return;
    } catch (Exception e) {
      e.printStackTrace();
      status = 1;
    }
    // Exit explicitly: the HttpClient's selector thread would otherwise outlive main.
    System.exit(status);
  }

  private static void usage(String problem) {
    System.err.println("bench: " + problem);
    System.err.println(
        "usage: BenchMain NAME [key=value ...]   benchmarks: " + BENCHMARKS.keySet());
    System.exit(2);
  }
}
