package dev.rcdrive.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds the Raspberry Pi packages with packaging/agent/build.sh (after {@code package}) and reads
 * them back with dpkg-deb and tar: arm64, the config a conffile, the service installed, no JavaFX,
 * no native code for any other platform, and the packaged launcher runs the agent's check.
 */
class AgentPackageIT {

  private static final Path OUT = Path.of("target", "packages");
  @TempDir static Path tmp;
  private static Path deb;
  private static Path tarball;

  /** The package tools, two minutes at most each. */
  static Commands.Result run(List<String> command) throws IOException, InterruptedException {
    return Commands.run(command, 120);
  }

  @BeforeAll
  static void build() throws Exception {
    assumeTrue(
        Commands.onPath("dpkg-deb"), "dpkg-deb is not installed (Debian: it comes with dpkg)");
    assumeTrue(Commands.onPath("zip") && Commands.onPath("unzip"), "zip/unzip are not installed");
    Commands.Result built = run(List.of("bash", "packaging/agent/build.sh"));
    assertThat(built.exit()).as(built.out()).isZero();
    List<String> lines = built.out().lines().toList();
    deb = Path.of(lines.get(lines.size() - 2));
    tarball = Path.of(lines.get(lines.size() - 1));
    assertThat(deb).exists().startsWith(OUT.toAbsolutePath());
  }

  @Test
  void debIsForArm64WithItsConfigAsAConffile() throws Exception {
    Commands.Result info = run(List.of("dpkg-deb", "-I", deb.toString()));
    Commands.Result conffiles = run(List.of("dpkg-deb", "-I", deb.toString(), "conffiles"));

    assertThat(info.out())
        .contains("Package: rcdrive-agent")
        .contains("Architecture: arm64")
        .containsPattern("Depends: .*openjdk-17-jre-headless")
        .containsPattern("Depends: .*libpulse0");
    assertThat(conffiles.out().lines())
        .contains("/etc/rcdrive/agent.json", "/etc/rcdrive/agent.env");
  }

  @Test
  void debHoldsTheJarTheServiceAndOnlyArm64Natives() throws Exception {
    List<String> files =
        run(List.of("dpkg-deb", "-c", deb.toString()))
            .out()
            .lines()
            .map(line -> line.substring(line.indexOf("./") + 1))
            .toList();

    assertThat(files)
        .anyMatch(f -> f.matches("/usr/share/rcdrive/lib/rcdrive-.*\\.jar"))
        .anyMatch(f -> f.equals("/usr/share/rcdrive/lib/webrtc-java-0.14.0-linux-aarch64.jar"))
        .anyMatch(f -> f.equals("/lib/systemd/system/rcdrive-agent.service"))
        .anyMatch(f -> f.startsWith("/usr/bin/rcdrive "))
        .anyMatch(f -> f.equals("/etc/rcdrive/agent.json"));
    assertThat(files)
        .noneMatch(f -> f.contains("javafx"))
        .noneMatch(f -> f.contains("jinput"))
        .noneMatch(f -> f.matches(".*webrtc-java-.*-(linux-x86_64|linux-aarch32|windows|macos).*"));
  }

  @Test
  void noNativeCodeForAnyOtherPlatform() throws Exception {
    Path dir = Files.createTempDirectory(tmp, "tar");
    assertThat(run(List.of("tar", "-C", dir.toString(), "-xzf", tarball.toString())).exit())
        .isZero();
    Path lib;
    try (var roots = Files.list(dir)) {
      lib = roots.findFirst().orElseThrow().resolve("lib");
    }
    try (var jars = Files.list(lib)) {
      for (Path jar : jars.toList()) {
        List<String> natives =
            run(List.of("unzip", "-Z1", jar.toString()))
                .out()
                .lines()
                .filter(e -> e.matches(".*\\.(so|dll|dylib|jnilib)$"))
                .toList();
        assertThat(natives)
            .as(jar.getFileName() + " natives")
            .allMatch(e -> e.contains("aarch64") || e.contains("arm64"), "are for arm64");
      }
    }
  }

  @Test
  void serviceRestartsAlwaysAsItsOwnUserWithSysNiceAndAWatchdog() throws Exception {
    String unit = Files.readString(Path.of("packaging", "agent", "rcdrive-agent.service"));

    assertThat(unit.lines())
        .contains(
            "Restart=always",
            "Type=notify",
            "NotifyAccess=main",
            "WatchdogSec=1s",
            "WatchdogSignal=SIGKILL",
            "RuntimeDirectory=rcdrive",
            "User=rcdrive",
            "SupplementaryGroups=video i2c gpio",
            "AmbientCapabilities=CAP_SYS_NICE",
            "NoNewPrivileges=yes",
            "ProtectSystem=strict",
            "ExecStart=/usr/bin/rcdrive agent --config /etc/rcdrive/agent.json",
            "ExecStopPost=/bin/sh -c '/run/rcdrive/neutral || exec /usr/bin/rcdrive agent"
                + " --neutral --config /etc/rcdrive/agent.json'");
    assertThat(unit)
        .containsPattern("(?m)^MemoryMax=\\d+M$")
        .contains("-XX:+ExitOnOutOfMemoryError");
  }

  @Test
  void packagedLauncherChecksAConfigWithoutJavaFx() throws Exception {
    Path dir = Files.createTempDirectory(tmp, "tar");
    run(List.of("tar", "-C", dir.toString(), "-xzf", tarball.toString()));
    Path root;
    try (var roots = Files.list(dir)) {
      root = roots.findFirst().orElseThrow();
    }
    Path config = dir.resolve("agent.json");
    Files.writeString(config, "{\"camera\": {\"type\": \"test\"}, \"actuator\": \"sim\"}");

    Commands.Result check =
        run(
            List.of(
                root.resolve("bin/rcdrive").toString(),
                "agent",
                "--check",
                "--config",
                config.toString()));
    Commands.Result example =
        run(
            List.of(
                root.resolve("bin/rcdrive").toString(),
                "agent",
                "--check",
                "--config",
                root.resolve("agent.example.json").toString()));

    assertThat(check.exit()).as(check.out()).isZero();
    assertThat(check.out()).contains("check: all good");
    // The example loads and validates; on this machine its PCA9685 and camera are absent.
    assertThat(example.out()).contains("config     ok").contains("outputs    FAILED: /dev/i2c-1");
  }
}
