package dev.rcdrive.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The installed station as a driver meets it: installer and installed size, and the time from
 * starting the packaged app to the demo car's first video frame on screen. Cold: a user who never
 * ran it (a fresh home folder: JavaFX, webrtc-java and JInput unpack their native libraries first);
 * warm: the runs after. Uses the app image that {@code ./mvnw -Pinstaller package} leaves in
 * target/installer. Needs a display: run under {@code xvfb-run}.
 */
final class InstallerBench {

  private static final Path OUT = Path.of("target", "installer");
  private static final Pattern FIRST_FRAME =
      Pattern.compile("first frame at epoch ms (\\d+), (\\d+) ms after the JVM started");

  record Start(String kind, long toFirstFrameMs, long jvmToFirstFrameMs) {}

  private InstallerBench() {}

  static boolean run(BenchOptions options) throws Exception {
    int runs = options.positiveInt("runs", 5);
    if (System.getenv("DISPLAY") == null) {
      throw new IllegalArgumentException("needs a display: run under xvfb-run -a");
    }
    Path launcher = OUT.resolve("rcdrive-station").resolve("bin").resolve("rcdrive-station");
    if (!Files.isExecutable(launcher)) {
      throw new IllegalArgumentException("no " + launcher + ": run ./mvnw -Pinstaller package");
    }
    Path deb;
    try (Stream<Path> files = Files.list(OUT)) {
      deb = files.filter(p -> p.toString().endsWith(".deb")).findFirst().orElseThrow();
    }
    long debBytes = Files.size(deb);
    long installedBytes = treeSize(OUT.resolve("rcdrive-station"));

    MachineLoad before = MachineLoad.sample();
    List<Start> starts = new ArrayList<>();
    Path warmHome = Files.createTempDirectory("rcdrive-warm-home");
    try {
      start(launcher, warmHome); // the warm home's first run fills its caches; not counted
      for (int i = 0; i < runs; i++) {
        Path coldHome = Files.createTempDirectory("rcdrive-cold-home");
        try {
          starts.add(measured("cold", launcher, coldHome));
        } finally {
          delete(coldHome);
        }
        starts.add(measured("warm", launcher, warmHome));
      }
    } finally {
      delete(warmHome);
    }
    MachineLoad.Usage load = MachineLoad.sample().since(before);

    StringBuilder md = new StringBuilder();
    md.append(Md.f("Station installer. Machine: %s.%n%n", MachineLoad.machine()));
    md.append(
        Md.f(
            "| %s | %.1f MB |%n| installed (the app image: runtime, jars, launcher) | %.1f MB |%n%n",
            deb.getFileName(), debBytes / 1e6, installedBytes / 1e6));
    md.append(
        "| start → first frame on screen (ms) | median | min | max | of which JVM start →"
            + " first frame, median | runs |\n|---|---|---|---|---|---|\n");
    for (String kind : List.of("cold", "warm")) {
      List<Start> of = starts.stream().filter(s -> s.kind().equals(kind)).toList();
      md.append(
          Md.f(
              "| %s | %d | %d | %d | %d | %d |%n",
              kind,
              median(of.stream().map(Start::toFirstFrameMs).toList()),
              of.stream().mapToLong(Start::toFirstFrameMs).min().orElse(-1),
              of.stream().mapToLong(Start::toFirstFrameMs).max().orElse(-1),
              median(of.stream().map(Start::jvmToFirstFrameMs).toList()),
              of.size()));
    }
    md.append("\nLoad: ").append(load.describe()).append('\n');
    System.out.println(md);
    Md.write("installer.md", md.toString());
    return true;
  }

  private static Start measured(String kind, Path launcher, Path home) throws Exception {
    long started = System.currentTimeMillis();
    String out = start(launcher, home);
    Matcher m = FIRST_FRAME.matcher(out);
    if (!m.find()) {
      throw new IllegalStateException("no first frame reported:\n" + out);
    }
    Start start = new Start(kind, Long.parseLong(m.group(1)) - started, Long.parseLong(m.group(2)));
    Md.progress("%s start: first frame after %d ms", kind, start.toFirstFrameMs());
    return start;
  }

  /** Runs the packaged station's demo until 10 frames were shown; its output. */
  private static String start(Path launcher, Path home) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(launcher.toString(), "station", "--self-test", "10")
            .redirectErrorStream(true);
    builder
        .environment()
        .put(
            "JAVA_TOOL_OPTIONS",
            "-Duser.home=" + home + " -Drcdrive.configDir=" + home.resolve("config"));
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IllegalStateException("the packaged station failed:\n" + out);
    }
    return out;
  }

  private static long median(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    return sorted.isEmpty() ? -1 : sorted.get(sorted.size() / 2);
  }

  private static long treeSize(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  private static void delete(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
