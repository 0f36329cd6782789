package dev.rcdrive.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rcdrive.rtc.NativeLoadFailure;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A fresh Raspberry Pi, emulated: a clean Debian bookworm root for arm64 and for armhf
 * (debootstrap, run through qemu-user-static and binfmt; packaging/agent/emulated-pi/pi-root.sh)
 * gets the freshly built package installed with apt, maintainer scripts included, as the README
 * tells a user. Then, inside it, as the rcdrive user: {@code rcdrive agent --check} loads every
 * native; the agent runs (test camera, sim actuator) against a signaling server on the host, and
 * {@code rcdrive probe} on the host receives its video and telemetry (a chroot shares the host's
 * network). The installed unit passes {@code systemd-analyze verify}, and each library the natives
 * need is found by {@code dpkg -S} in the package the checked-in table names.
 *
 * <p>Run by {@code ./mvnw -Ppi-emulated verify} (tag "pi-emulated", never in the default run):
 * needs root, debootstrap, qemu-user-static, binfmt-support and the Debian mirror. How long it
 * takes is written to target/pi-emulated/ARCH.txt. Speeds under emulation say nothing about a real
 * Pi: the timeouts here are generous on purpose and no speed is asserted.
 */
@Tag("pi-emulated")
// Debootstraps two Debian roots and runs them under qemu: a cold run takes ~15 min.
@Timeout(value = 45, unit = TimeUnit.MINUTES)
class EmulatedPiIT {

  private static final Path LAUNCHER = Path.of("target", "dist", "bin", "rcdrive").toAbsolutePath();
  private static final Path PI_ROOT = Path.of("packaging", "agent", "emulated-pi", "pi-root.sh");
  private static final Path UNIT = Path.of("packaging", "agent", "rcdrive-agent.service");

  private final Map<String, Duration> phases = new LinkedHashMap<>();
  private final List<Process> processes = new ArrayList<>();
  private Instant phaseStart = Instant.now();

  /** -Dpi.arches=arm64 runs one (default: both). */
  static List<String> arches() {
    return List.of(System.getProperty("pi.arches", "arm64,armhf").split(","));
  }

  @ParameterizedTest
  @MethodSource("arches")
  void aFreshPiInstallsThePackageChecksItAndStreamsToTheHost(String arch) throws Exception {
    Instant started = Instant.now();
    AgentPackages.Built built = AgentPackages.get().get(arch);
    phase("packages built");
    Commands.Result fresh = Commands.run(List.of("bash", PI_ROOT.toString(), "fresh", arch), 1800);
    assertThat(fresh.exit()).as(fresh.out()).isZero();
    Path root = Path.of(fresh.out().strip().lines().reduce((a, b) -> b).orElseThrow());
    phase("fresh root (debootstrap when not cached, copy)");
    try {
      installWithApt(root, built);
      phase("apt-get install");
      theUserAndGroupsExist(root);
      everyNeededLibraryComesFromThePackageTheTableNames(root, built);
      phase("dpkg -S of every library the natives need");
      theUnitVerifies(root);
      phase("systemd-analyze verify");
      checkLoadsEveryNative(root);
      phase("rcdrive agent --check (twice)");
      agentStreamsToAProbeOnTheHost(root, "software");
      phase("agent + probe");
      installTheRecommendedGStreamer(root);
      phase("apt-get install GStreamer (the package's Recommends)");
      theHardwarePathLoadsItsNatives(root);
      // On armhf this stream ended in a JVM crash until the launcher chained signal handlers
      // (libx264's NEON probe, docs/emulated-pi.md): -Xint streamed, the JIT did not.
      agentStreamsToAProbeOnTheHost(root, "hardware");
      phase("hardware video path: --check, agent + probe");
    } finally {
      stopAll();
      Commands.Result release =
          Commands.run(List.of("bash", PI_ROOT.toString(), "release", arch), 60);
      assertThat(release.exit()).as(release.out()).isZero();
      record(arch, Duration.between(started, Instant.now()));
    }
  }

  /** apt-get install ./rcdrive-agent_…deb in the root: Depends resolved, maintainer scripts run. */
  private void installWithApt(Path root, AgentPackages.Built built) throws Exception {
    Path inRoot = root.resolve("tmp").resolve(built.deb().getFileName());
    Files.copy(built.deb(), inRoot, StandardCopyOption.REPLACE_EXISTING);
    Commands.Result install = aptInstall(root, "/tmp/" + inRoot.getFileName());
    assertThat(install.out())
        .contains("Setting up rcdrive-agent")
        .contains("rcdrive-agent: edit /etc/rcdrive/agent.json"); // postinst ran
    // postinst's class-data sharing archives, made by the Pi's own JVM: the agent's and the rest's
    assertThat(root.resolve("usr/share/rcdrive/cds/agent.jsa")).isNotEmptyFile();
    assertThat(root.resolve("usr/share/rcdrive/cds/rcdrive.jsa")).isNotEmptyFile();
  }

  /** postinst made the user and the groups a plain Debian lacks (the unit needs all three). */
  private void theUserAndGroupsExist(Path root) throws Exception {
    Commands.Result id = chroot(root, 120, "id", "rcdrive");
    Commands.Result stat =
        chroot(
            root,
            120,
            "stat",
            "-c",
            "%U:%G %a",
            "/etc/rcdrive/agent.json",
            "/etc/rcdrive/agent.env");

    assertThat(id.exit()).as(id.out()).isZero();
    assertThat(id.out()).contains("(video)").contains("(i2c)").contains("(gpio)");
    assertThat(stat.out().lines()).containsExactly("root:rcdrive 640", "root:rcdrive 640");
  }

  /**
   * The table reviewed against bookworm itself: every library a shipped native needs is installed
   * now (apt resolved Depends), and dpkg says it belongs to the package the table names.
   */
  private void everyNeededLibraryComesFromThePackageTheTableNames(
      Path root, AgentPackages.Built built) throws Exception {
    Set<String> shipped = new TreeSet<>();
    Set<String> needed = new TreeSet<>();
    for (AgentNativesIT.Native n : AgentNativesIT.natives(built)) {
      if (n.elf().soname() != null) {
        shipped.add(n.elf().soname());
      }
      needed.addAll(n.elf().needed());
    }
    needed.removeAll(shipped);
    List<String> command = new ArrayList<>(List.of("dpkg", "-S"));
    needed.forEach(soname -> command.add("*/" + soname));
    Commands.Result owners = chroot(root, 300, command.toArray(String[]::new));

    assertThat(owners.exit()).as("every needed library is installed\n" + owners.out()).isZero();
    Map<String, String> found = new TreeMap<>();
    for (String line : owners.out().lines().toList()) {
      // "libxfixes3:arm64: /usr/lib/aarch64-linux-gnu/libXfixes.so.3"
      Matcher m = Pattern.compile("^([^:]+)(?::[a-z0-9]+)?: (\\S+)$").matcher(line);
      if (m.matches()) {
        found.put(Path.of(m.group(2)).getFileName().toString(), m.group(1));
      }
    }
    for (String soname : needed) {
      assertThat(found.get(soname))
          .as(soname + ": its package on bookworm")
          .isEqualTo(NativeLoadFailure.debianPackage(soname).orElse("(no row in the table)"));
    }
  }

  /** systemd-analyze verify on the host, against the root: ExecStart, man page and all. */
  private void theUnitVerifies(Path root) throws Exception {
    Commands.Result verify =
        Commands.run(
            List.of(
                "systemd-analyze",
                "verify",
                "--root=" + root,
                "--man=no",
                "/lib/systemd/system/rcdrive-agent.service"),
            120);
    Commands.Result man =
        chroot(root, 120, "sh", "-c", "test -s /usr/share/man/man1/rcdrive.1.gz && echo present");

    assertThat(verify.out()).doesNotContain("Invalid environment assignment");
    assertThat(verify.exit()).as(verify.out()).isZero();
    assertThat(man.out()).contains("present");
  }

  /** --check as the rcdrive user, with the installed config (hardware swapped by flags). */
  private void checkLoadsEveryNative(Path root) throws Exception {
    Commands.Result sim =
        asAgentUser(
            root, 600, "rcdrive", "agent", "--check", "--camera", "test", "--actuator", "sim");
    Commands.Result pca9685 =
        asAgentUser(root, 600, "rcdrive", "agent", "--check", "--camera", "test");

    assertThat(sim.exit()).as(sim.out()).isZero();
    assertThat(sim.out())
        .contains("config     ok (/etc/rcdrive/agent.json)")
        .contains("webrtc     ok: native library loaded; a peer connection to itself opened in")
        .contains("battery    not configured")
        .contains("check: all good");
    // The shipped config's PCA9685: Pi4J's natives load; the board is absent here
    assertThat(pca9685.out())
        .contains("jna        ok: libjnidispatch loaded")
        .contains("pi4j i2c   ok: libpi4j-linuxfs loaded")
        .contains("pi4j gpio  ok: libgpiod, libpi4j-gpiod loaded")
        .contains("outputs    FAILED: /dev/i2c-1 does not exist");
  }

  /**
   * The hardware video path's GStreamer, as the package recommends it, and x264 to stand in for the
   * Pi's v4l2h264enc (GStreamer registers that only where the encoder device exists).
   */
  private void installTheRecommendedGStreamer(Path root) throws Exception {
    aptInstall(
        root,
        "gstreamer1.0-plugins-base",
        "gstreamer1.0-plugins-good",
        "gstreamer1.0-plugins-bad",
        "gstreamer1.0-nice",
        "gstreamer1.0-plugins-ugly");
  }

  /** apt-get install in the root, as a user would (no recommends: each test names its own). */
  private static Commands.Result aptInstall(Path root, String... packages) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                "env",
                "DEBIAN_FRONTEND=noninteractive",
                "apt-get",
                "install",
                "-y",
                "-q",
                "--no-install-recommends"));
    command.addAll(List.of(packages));
    Commands.Result install = chroot(root, 1800, command.toArray(String[]::new));
    assertThat(install.exit()).as(install.out()).isZero();
    return install;
  }

  /** GStreamer and every element of the hardware path load on this architecture (JNA, gst1). */
  private void theHardwarePathLoadsItsNatives(Path root) throws Exception {
    Commands.Result check =
        asAgentUser(
            root,
            600,
            "rcdrive",
            "agent",
            "--check",
            "--camera",
            "test",
            "--actuator",
            "sim",
            "--encoder",
            "hardware");
    assertThat(check.exit()).as(check.out()).isZero();
    assertThat(check.out())
        .contains("gstreamer  ok: GStreamer 1.22")
        .contains("H.264 by x264enc in software (no v4l2h264enc on this board)")
        .contains("check: all good");
  }

  /**
   * The agent in the root on the given video path, the signaling server and the probe on the host.
   */
  private void agentStreamsToAProbeOnTheHost(Path root, String encoder) throws Exception {
    Process signal = launch(List.of(LAUNCHER.toString(), "signal", "--demo", "--port", "0"));
    String server = await(signal, Pattern.compile("listening on (ws://\\S+)"), 60);
    assertThat(server).as("signaling server started").isNotNull();
    drain(signal);
    List<String> agent = new ArrayList<>(agentUserCommand(root));
    agent.addAll(
        List.of(
            "rcdrive",
            "agent",
            "--server",
            server,
            "--car",
            "demo",
            "--key",
            "demo-key",
            "--camera",
            "test",
            "--actuator",
            "sim",
            "--size",
            "320x240",
            "--fps",
            "15",
            "--encoder",
            encoder));
    Process car = launch(agent);
    assertThat(await(car, Pattern.compile("(signaling READY)"), 300))
        .as("the agent in the emulated Pi registered")
        .isNotNull();
    drain(car);

    Commands.Result probe =
        Commands.run(
            List.of(
                LAUNCHER.toString(),
                "probe",
                "--server",
                server,
                "--car",
                "demo",
                "--token",
                "demo-token",
                "--seconds",
                "10",
                "--codec",
                encoder.equals("hardware") ? "H264" : "VP8",
                "--json"),
            300);

    String json = probe.out().lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse("");
    assertThat(probe.exit()).as(probe.out()).isZero();
    JsonNode report = new ObjectMapper().readTree(json);
    assertThat(report.get("connected").asBoolean()).isTrue();
    assertThat(report.get("frames").asLong()).as("video frames").isPositive();
    assertThat(report.get("width").asInt()).isEqualTo(320);
    assertThat(report.get("codec").asText())
        .as("the video path's codec")
        .isEqualTo(encoder.equals("hardware") ? "H264" : "VP8");
    assertThat(report.get("carState").asText()).as("telemetry").isEqualTo("DISARMED");
    assertThat(report.get("rttMs").get("p50").asDouble())
        .as("control echoed in telemetry")
        .isPositive();
    System.out.println("emulated " + root.getFileName() + " probe, " + encoder + ": " + json);
    stopAll(); // the next run starts its own server and agent
  }

  // --- helpers
  // ------------------------------------------------------------------------------------

  private static Commands.Result chroot(Path root, long timeoutSeconds, String... command)
      throws IOException, InterruptedException {
    List<String> all = new ArrayList<>(List.of("chroot", root.toString()));
    all.addAll(List.of(command));
    return Commands.run(all, timeoutSeconds);
  }

  /** chroot as rcdrive:rcdrive with the unit's environment (its JAVA_OPTS, its working dir). */
  private static List<String> agentUserCommand(Path root) throws IOException {
    String javaOpts =
        Files.readString(UNIT)
            .lines()
            .filter(l -> l.startsWith("Environment=\"JAVA_OPTS="))
            .findFirst()
            .map(l -> l.substring("Environment=\"JAVA_OPTS=".length(), l.length() - 1))
            .orElseThrow();
    return List.of(
        "chroot",
        "--userspec=rcdrive:rcdrive",
        root.toString(),
        "env",
        "-i",
        "PATH=/usr/bin:/bin",
        "HOME=/var/lib/rcdrive",
        "JAVA_OPTS=" + javaOpts);
  }

  private static Commands.Result asAgentUser(Path root, long timeoutSeconds, String... command)
      throws IOException, InterruptedException {
    List<String> all = new ArrayList<>(agentUserCommand(root));
    all.addAll(List.of(command));
    return Commands.run(all, timeoutSeconds);
  }

  private Process launch(List<String> command) throws IOException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    processes.add(process);
    return process;
  }

  private void stopAll() throws InterruptedException {
    List<Process> running = new ArrayList<>(processes);
    processes.clear();
    for (Process process : running) {
      process.destroy(); // SIGTERM: the agent's shutdown hook puts its outputs to neutral
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    }
  }

  /** The first match of the pattern in the process's output, within the timeout; else null. */
  private static String await(Process process, Pattern pattern, long seconds) throws Exception {
    BufferedReader lines =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    CompletableFuture<String> match =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                  seen.append(line).append('\n');
                  Matcher matcher = pattern.matcher(line);
                  if (matcher.find()) {
                    return matcher.group(1);
                  }
                }
              } catch (IOException e) {
                // the process ended
              }
              return null;
            });
    try {
      return match.get(seconds, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      System.out.println("no '" + pattern + "' in " + seconds + " s; output so far:\n" + seen);
      return null;
    }
  }

  private static void drain(Process process) {
    CompletableFuture.runAsync(
        () -> {
          try {
            process.getInputStream().transferTo(System.out);
          } catch (IOException ignored) {
            // the process ended
          }
        });
  }

  private void phase(String name) {
    Instant now = Instant.now();
    phases.put(name, Duration.between(phaseStart, now));
    phaseStart = now;
  }

  /** target/pi-emulated/ARCH.txt: how long each phase took (emulated: says nothing of a Pi). */
  private void record(String arch, Duration total) throws IOException {
    StringBuilder text =
        new StringBuilder(
            "emulated " + arch + " (qemu user emulation: speeds say nothing about a real Pi)\n");
    phases.forEach(
        (name, d) -> text.append(String.format("%-48s %6.1f s%n", name, d.toMillis() / 1000.0)));
    text.append(String.format("%-48s %6.1f s%n", "total", total.toMillis() / 1000.0));
    Path out = Path.of("target", "pi-emulated", arch + ".txt");
    Files.createDirectories(out.getParent());
    Files.writeString(out, text);
    System.out.print(text);
  }
}
