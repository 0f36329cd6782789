package dev.rcdrive.bench;

import dev.rcdrive.testing.ProcessLines;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code startup}: launch → first demo frame on screen, cold (a new home folder: natives unpacked
 * first) and warm, with class-data sharing and without it (-Xshare:off), alternating; and the
 * agent's start → "signaling READY", with and without. target/dist's launcher uses the archive the
 * build wrote (cds/rcdrive.jsa); the installer's app image (the files the .deb installs) its
 * lib/rcdrive.jsa (made at build time for its path, as the .deb's postinst does once installed),
 * beside its jlinked runtime's own archive alone and no archive at all.
 */
final class StartupBench {

  private static final Path DIST = Path.of("target", "dist", "bin", "rcdrive").toAbsolutePath();
  private static final Path APP_IMAGE =
      Path.of("target", "installer", "rcdrive-station", "bin", "rcdrive-station").toAbsolutePath();
  private static final String JDK_ARCHIVE =
      "-XX:SharedArchiveFile="
          + Path.of(System.getProperty("java.home"), "lib", "server", "classes.jsa");

  private static List<String> command(Path launcher, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(launcher.toString());
    command.addAll(args);
    return command;
  }

  /**
   * One way to start the agent: its row's name, its launcher, its JAVA_OPTS, and whether it reads a
   * config file (as its systemd service does) or takes flags.
   */
  private record AgentVariant(String name, Path launcher, String javaOpts, boolean fromFile) {
    AgentVariant(String name, Path launcher, String javaOpts) {
      this(name, launcher, javaOpts, false);
    }

    List<String> args(String server, Path config) {
      return fromFile
          ? List.of("agent", "--config", config.toString())
          : DemoAgent.args(server, "640x480");
    }
  }

  /**
   * The station's JVM flags of the build before issue 19's ninth step, after the launcher's (a
   * later option wins): C2 at four times HotSpot's thresholds instead of sixteen, and the heap in
   * small pages.
   */
  static final String FLAGS_BEFORE =
      "-XX:Tier4InvocationThreshold=20000 -XX:Tier4MinInvocationThreshold=2400"
          + " -XX:Tier4CompileThreshold=60000 -XX:Tier4BackEdgeThreshold=160000"
          + " -XX:-UseTransparentHugePages";

  /** A cache folder that cannot be made: webrtc-java loads its library its own way. */
  private static final String NO_CACHE = "-Drcdrive.nativeCache=/dev/null/no-native-cache";

  private static final Pattern FIRST_FRAME = Pattern.compile("first frame at epoch ms (\\d+)");

  /** The package's launcher once installed ({@code apt install ./rcdrive-station_….deb}). */
  private static final Path INSTALLED = Path.of("/opt/rcdrive-station/bin/rcdrive-station");

  private static final List<String> SELF_TEST = List.of("station", "--self-test", "10");

  /**
   * One way to start the station: a launcher given the self-test's arguments, or the README's
   * {@code ./mvnw javafx:run} given them through {@code javafx.args}.
   */
  private record Variant(String name, Path launcher, String javaOpts, String toolOpts) {
    static final Path MAVEN = Path.of("mvnw").toAbsolutePath();

    List<String> command() {
      List<String> command = new ArrayList<>();
      command.add(launcher.toString());
      if (launcher.equals(MAVEN)) {
        command.addAll(List.of("-q", "javafx:run", "-Djavafx.args=" + String.join(" ", SELF_TEST)));
      } else {
        command.addAll(SELF_TEST);
      }
      return command;
    }
  }

  private StartupBench() {}

  static boolean run(BenchOptions options) throws Exception {
    int runs = options.positiveInt("runs", 5);
    // other builds' target/dist (e.g. clones of earlier commits, packaged), comma-separated: side
    // by side
    List<String> previous =
        java.util.Arrays.stream(options.string("before", "").split(","))
            .map(String::trim)
            .filter(p -> !p.isEmpty())
            .toList();
    int agentRuns = options.positiveInt("agentRuns", runs);
    // builds compared in the agent part only (older stations print no first-frame time)
    List<String> agentBefore = new ArrayList<>(previous);
    java.util.Arrays.stream(options.string("agentBefore", "").split(","))
        .map(String::trim)
        .filter(p -> !p.isEmpty())
        .forEach(agentBefore::add);
    // another build's app image (target/installer/rcdrive-station), side by side with this one's
    String appImageBefore = options.string("appImageBefore", "");
    boolean archives = options.flag("archives", true); // the sharing-off variants
    boolean readme = options.flag("readme", true); // ./mvnw javafx:run, as the README says
    options.rejectUnread();
    if (System.getenv("DISPLAY") == null) {
      throw new IllegalArgumentException("needs a display: run under xvfb-run -a");
    }
    List<Variant> variants = new ArrayList<>();
    variants.add(new Variant("target/dist, rcdrive.jsa (this build)", DIST, "", ""));
    for (String build : previous) {
      Path other = Path.of(build, "bin", "rcdrive").toAbsolutePath();
      if (!Files.isExecutable(other)) {
        throw new IllegalArgumentException("before=" + build + ": no bin/rcdrive there");
      }
      variants.add(new Variant("target/dist of " + build + " (before)", other, "", ""));
    }
    variants.add(
        new Variant(
            "target/dist, the launcher flags before (C2 ×4, small pages)", DIST, FLAGS_BEFORE, ""));
    // The build before the native cache: webrtc-java unpacks its library on every start.
    variants.add(
        new Variant("target/dist, webrtc-java unpacking its library (before)", DIST, NO_CACHE, ""));
    if (archives) {
      // The build before: the JDK's own default archive only (a later option wins over the
      // launcher's).
      variants.add(new Variant("target/dist, JDK archive only (before)", DIST, JDK_ARCHIVE, ""));
    }
    if (readme) {
      variants.add(new Variant("./mvnw javafx:run (the README's command)", Variant.MAVEN, "", ""));
    }
    if (Files.isExecutable(APP_IMAGE)) {
      variants.add(new Variant("app image, rcdrive.jsa (this build)", APP_IMAGE, "", ""));
      variants.add(
          new Variant("app image, the launcher flags before", APP_IMAGE, "", FLAGS_BEFORE));
      if (archives) {
        Path jlinked = APP_IMAGE.getParent().resolveSibling("lib/runtime/lib/server/classes.jsa");
        variants.add(
            new Variant(
                "app image, jlinked runtime's archive only",
                APP_IMAGE,
                "",
                "-XX:SharedArchiveFile=" + jlinked));
        // The build before had no archive in its jlinked runtime: the same as sharing off.
        variants.add(new Variant("app image, no archive (before)", APP_IMAGE, "", "-Xshare:off"));
      }
    }
    if (!appImageBefore.isEmpty()) {
      Path other = Path.of(appImageBefore, "bin", "rcdrive-station").toAbsolutePath();
      if (!Files.isExecutable(other)) {
        throw new IllegalArgumentException(
            "appImageBefore=" + appImageBefore + ": no bin/rcdrive-station there");
      }
      variants.add(new Variant("app image of " + appImageBefore + " (before)", other, "", ""));
    }
    if (Files.isExecutable(INSTALLED)) {
      variants.add(new Variant("installed .deb (" + INSTALLED + ")", INSTALLED, "", ""));
      variants.add(
          new Variant("installed .deb, the launcher flags before", INSTALLED, "", FLAGS_BEFORE));
    }
    MachineLoad before = MachineLoad.sample();
    Map<String, List<Long>> times = new LinkedHashMap<>();
    Map<Variant, Path> warmHomes = new LinkedHashMap<>();
    for (Variant v : variants) {
      Path home = Files.createTempDirectory("rcdrive-warm");
      warmHomes.put(v, home);
      station(v, home); // fills the warm home's caches; not counted
    }
    for (int i = 0; i < runs; i++) {
      List<Variant> order = new ArrayList<>(variants);
      if (i % 2 == 1) {
        java.util.Collections.reverse(order);
      }
      for (Variant v : order) {
        Path cold = Files.createTempDirectory("rcdrive-cold");
        try {
          times.computeIfAbsent(v.name() + " | cold", k -> new ArrayList<>()).add(station(v, cold));
        } finally {
          delete(cold);
        }
        times
            .computeIfAbsent(v.name() + " | warm", k -> new ArrayList<>())
            .add(station(v, warmHomes.get(v)));
      }
    }
    for (Path home : warmHomes.values()) {
      delete(home);
    }
    agent(agentRuns, times, agentBefore);
    MachineLoad.Usage load = MachineLoad.sample().since(before);

    StringBuilder md = new StringBuilder();
    md.append(
        Md.f("Start-up, %d runs each, alternating. Machine: %s.%n%n", runs, MachineLoad.machine()));
    md.append("| what | start | median ms | min | max | runs |\n|---|---|---|---|---|---|\n");
    for (Map.Entry<String, List<Long>> e : times.entrySet()) {
      List<Long> sorted = e.getValue().stream().sorted().toList();
      md.append(
          Md.f(
              "| %s | %d | %d | %d | %d |%n",
              e.getKey(),
              sorted.get(sorted.size() / 2),
              sorted.get(0),
              sorted.get(sorted.size() - 1),
              sorted.size()));
    }
    md.append("\nLoad: ").append(load.describe()).append('\n');
    System.out.println(md);
    Md.write("startup.md", md.toString());
    return true;
  }

  /** ms from starting the launcher to the first demo frame shown (the station prints when). */
  private static long station(Variant v, Path home) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(v.command()).redirectErrorStream(true);
    builder
        .environment()
        .put(
            "JAVA_TOOL_OPTIONS",
            "-Duser.home=" + home + " -Drcdrive.configDir=" + home.resolve("config"));
    // After the launcher's own options (the app image's .cfg names its archive): these win.
    if (!v.toolOpts().isEmpty()) {
      builder.environment().put("_JAVA_OPTIONS", v.toolOpts());
    }
    builder.environment().put("JAVA_OPTS", "-Drcdrive.log=warn " + v.javaOpts());
    long started = System.currentTimeMillis();
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IllegalStateException(v.name() + ": the station failed:\n" + out);
    }
    Matcher m = FIRST_FRAME.matcher(out);
    if (!m.find()) {
      throw new IllegalStateException("no first frame reported:\n" + out);
    }
    long ms = Long.parseLong(m.group(1)) - started;
    Md.progress("%s: first frame after %d ms", v.name(), ms);
    return ms;
  }

  /**
   * The agent's start → "signaling READY": this build, without its class-data archive, without the
   * kept copy of webrtc-java's library, and without both (the agent before issue 19), alternating.
   */
  private static void agent(int runs, Map<String, List<Long>> times, List<String> previous)
      throws Exception {
    Process signal =
        new ProcessBuilder(DIST.toString(), "signal", "--demo", "--port", "0")
            .redirectErrorStream(true)
            .start();
    try {
      String server = await(signal, Pattern.compile("listening on (ws://\\S+)"), null);
      drain(signal);
      // What DemoAgent's flags say, as a config file: how the service starts the car
      Path config = Files.createTempFile("rcdrive-agent", ".json");
      config.toFile().deleteOnExit();
      Files.writeString(
          config,
          "{\"server\": \""
              + server
              + "\", \"carId\": \"demo\", \"key\": \"demo-key\","
              + " \"camera\": {\"width\": 640, \"height\": 480}}");
      List<AgentVariant> variants =
          new ArrayList<>(
              List.of(
                  new AgentVariant("agent.jsa (this build)", DIST, ""),
                  new AgentVariant(
                      "agent.jsa, --config (as its service starts it)", DIST, "", true),
                  new AgentVariant("webrtc-java unpacking its library (before)", DIST, NO_CACHE),
                  new AgentVariant("JDK archive only (before)", DIST, JDK_ARCHIVE),
                  new AgentVariant(
                      "JDK archive only, webrtc-java unpacking (before both)",
                      DIST,
                      JDK_ARCHIVE + " " + NO_CACHE)));
      for (String build : previous) { // another build's target/dist, e.g. an earlier commit's
        Path launcher = Path.of(build, "bin", "rcdrive").toAbsolutePath();
        variants.add(new AgentVariant("the build in " + build + " (before)", launcher, ""));
        variants.add(
            new AgentVariant("the build in " + build + ", --config (before)", launcher, "", true));
      }
      for (int i = 0; i < runs; i++) {
        List<AgentVariant> each = new ArrayList<>(variants);
        java.util.Collections.rotate(each, i); // each first in turn
        for (AgentVariant v : each) {
          ProcessBuilder builder =
              new ProcessBuilder(command(v.launcher(), v.args(server, config)))
                  .redirectErrorStream(true);
          builder.environment().put("JAVA_OPTS", v.javaOpts());
          long started = System.nanoTime();
          Process agent = builder.start();
          try {
            long[] readyAt = new long[1];
            await(agent, Pattern.compile("(signaling READY)"), readyAt);
            long ms = (readyAt[0] - started) / 1_000_000;
            String name = "agent (target/dist), " + v.name();
            Md.progress("%s: READY after %d ms", name, ms);
            times.computeIfAbsent(name + " | → signaling READY", k -> new ArrayList<>()).add(ms);
          } finally {
            agent.destroy();
            if (!agent.waitFor(10, TimeUnit.SECONDS)) {
              agent.destroyForcibly();
            }
          }
        }
      }
    } finally {
      signal.destroy();
      signal.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** The first group of the first matching line (within a minute); its nanoTime in {@code at}. */
  private static String await(Process process, Pattern pattern, long[] at) throws Exception {
    String found =
        ProcessLines.first(
            process,
            pattern,
            Duration.ofSeconds(60),
            nanos -> {
              if (at != null) {
                at[0] = nanos;
              }
            });
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
            // ended
          }
        });
  }

  static void delete(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
