package dev.rcdrive.bench;

import dev.rcdrive.testing.ProcessLines;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged station as a driver runs it, through {@code target/dist/bin/rcdrive station
 * --self-test N}, which prints what it measured while showing N frames: sink → screen, capture →
 * screen (from the camera's frame stamps), and the station process's CPU.
 *
 * <p>Two setups, alternating: <b>demo</b> (the built-in demo: signaling and the simulated car in
 * the station's own process, what a new user sees first) and <b>remote</b> (signaling and a 720p30
 * car agent each in a process of their own, so the station's CPU is the station's alone). Needs a
 * display: run under {@code xvfb-run}.
 */
final class StationAppBench {

  private static final Path LAUNCHER = Path.of("target", "dist", "bin", "rcdrive").toAbsolutePath();
  private static final Pattern SELF_TEST =
      Pattern.compile(
          "self-test passed: (\\d+) frames shown; sink to screen p50 ([\\d.]+) ms, p99 ([\\d.]+)"
              + " ms; capture to screen p50 ([\\d.NaN]+) ms, p99 ([\\d.NaN]+) ms; (\\d+) frames"
              + " replaced before shown; process CPU ([\\d.NaN]+) %");

  record Result(
      String setup,
      int frames,
      double sinkP50,
      double sinkP99,
      double glassP50,
      double glassP99,
      long replaced,
      double cpuPercent) {}

  private StationAppBench() {}

  static boolean run(BenchOptions options) throws Exception {
    int frames = options.positiveInt("frames", 900);
    int rounds = options.positiveInt("rounds", 2);
    // each setup again with the launcher's JVM flags of the build before
    // (StartupBench.FLAGS_BEFORE)
    boolean flagsBefore = options.flag("flagsBefore", false);
    if (System.getenv("DISPLAY") == null) {
      throw new IllegalArgumentException(
          "needs a display: run under xvfb-run -a -s \"-screen 0 1920x1080x24\"");
    }
    List<Result> results = new ArrayList<>();
    MachineLoad before = MachineLoad.sample();
    // The stations' home for this run: caches stay warm from one station to the next, and the
    // remote car's server is not saved among the user's servers (StartupBench does the same).
    Path home = java.nio.file.Files.createTempDirectory("rcdrive-station-app");
    try {
      for (int round = 1; round <= rounds; round++) {
        List<String> setups = new ArrayList<>(List.of("demo", "remote"));
        if (flagsBefore) {
          setups.addAll(List.of("demo, flags before", "remote, flags before"));
        }
        if (round % 2 == 0) {
          java.util.Collections.reverse(setups);
        }
        for (String setup : setups) {
          String javaOpts = setup.contains("flags before") ? StartupBench.FLAGS_BEFORE : "";
          Result result =
              setup.startsWith("demo")
                  ? demo(home, setup, frames, javaOpts)
                  : remote(home, setup, frames, javaOpts);
          Md.progress("round %d %s: %s", round, setup, result);
          results.add(result);
        }
      }
    } finally {
      StartupBench.delete(home);
    }
    MachineLoad.Usage load = MachineLoad.sample().since(before);
    StringBuilder md = new StringBuilder();
    md.append(
        Md.f(
            "Station self-test, %d frames of 1280x720 at 30 fps per run, %d rounds. Machine: %s.%n%n",
            frames, rounds, MachineLoad.machine()));
    md.append(
        "| setup | sink → screen p50 | p99 | capture → screen p50 | p99 | replaced |"
            + " station CPU, % of a core |\n|---|---|---|---|---|---|---|\n");
    for (Result r : results) {
      md.append(
          Md.f(
              "| %s | %.2f | %.2f | %.1f | %.1f | %d | %.0f |%n",
              r.setup(),
              r.sinkP50(),
              r.sinkP99(),
              r.glassP50(),
              r.glassP99(),
              r.replaced(),
              r.cpuPercent()));
    }
    md.append("\nLoad (this JVM only waits): ").append(load.describe()).append('\n');
    System.out.println(md);
    Md.write("station-app.md", md.toString());
    return true;
  }

  private static Result demo(Path home, String setup, int frames, String javaOpts)
      throws Exception {
    return selfTest(
        home, setup, List.of("station", "--self-test", String.valueOf(frames)), javaOpts);
  }

  private static Result remote(Path home, String setup, int frames, String javaOpts)
      throws Exception {
    List<Process> processes = new ArrayList<>();
    try {
      Process signal = launch(processes, home, "", "signal", "--demo", "--port", "0");
      String server = await(signal, Pattern.compile("listening on (ws://\\S+)"));
      drain(signal);
      Process agent =
          launch(processes, home, "", DemoAgent.args(server, "1280x720").toArray(String[]::new));
      await(agent, Pattern.compile("(signaling READY)"));
      drain(agent);
      return selfTest(
          home,
          setup,
          List.of(
              "station",
              "--server",
              server,
              "--token",
              "demo-token",
              "--car",
              "demo",
              "--self-test",
              String.valueOf(frames)),
          javaOpts);
    } finally {
      for (Process process : processes) {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      }
    }
  }

  private static Result selfTest(Path home, String setup, List<String> args, String javaOpts)
      throws Exception {
    List<Process> processes = new ArrayList<>();
    Process station = launch(processes, home, javaOpts, args.toArray(String[]::new));
    String line = awaitLine(station, SELF_TEST);
    drain(station);
    if (!station.waitFor(30, TimeUnit.SECONDS)) {
      station.destroyForcibly();
      throw new IllegalStateException(setup + ": the station did not exit after its self-test");
    }
    Matcher m = SELF_TEST.matcher(line);
    if (!m.find()) {
      throw new IllegalStateException(setup + ": no self-test result");
    }
    return new Result(
        setup,
        Integer.parseInt(m.group(1)),
        Double.parseDouble(m.group(2)),
        Double.parseDouble(m.group(3)),
        Double.parseDouble(m.group(4)),
        Double.parseDouble(m.group(5)),
        Long.parseLong(m.group(6)),
        Double.parseDouble(m.group(7)));
  }

  /**
   * {@code home}: the station's home and config folder (this run's); {@code javaOpts}: the
   * station's JAVA_OPTS beside its quieter log.
   */
  private static Process launch(List<Process> processes, Path home, String javaOpts, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(LAUNCHER.toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    if (args[0].equals("station")) {
      // the others log readiness; the home is the bench's own
      builder
          .environment()
          .put(
              "JAVA_OPTS",
              ("-Drcdrive.log=warn -Duser.home="
                      + home
                      + " -Drcdrive.configDir="
                      + home.resolve("config")
                      + " "
                      + javaOpts)
                  .strip());
    }
    Process process = builder.start();
    processes.add(process);
    return process;
  }

  /** The first group of the first matching line, within two minutes. */
  private static String await(Process process, Pattern pattern) throws Exception {
    return required(ProcessLines.first(process, pattern, Duration.ofSeconds(120)), pattern);
  }

  /** The whole first matching line, within two minutes. */
  private static String awaitLine(Process process, Pattern pattern) throws Exception {
    return required(
        ProcessLines.line(process, pattern, Duration.ofSeconds(120), at -> {}), pattern);
  }

  private static String required(String found, Pattern pattern) {
    if (found == null) {
      throw new IllegalStateException("the process ended without printing " + pattern);
    }
    return found;
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
