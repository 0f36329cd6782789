package dev.rcdrive.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Builds the Raspberry Pi packages with packaging/agent/build.sh (after {@code package}), for arm64
 * and armhf, and reads them back with dpkg-deb and tar: the architecture, the config a conffile,
 * the service and the man page installed, no JavaFX, and the packaged launcher runs the agent's
 * check. Their native code and Depends: {@link AgentNativesIT}. Installed with apt on an emulated
 * Pi: EmulatedPiIT (./mvnw -Ppi-emulated verify).
 */
class AgentPackageIT {

  private static final Path OUT = Path.of("target", "packages");
  @TempDir static Path tmp;

  /** The package tools, two minutes at most each. */
  static Commands.Result run(List<String> command) throws IOException, InterruptedException {
    return Commands.run(command, 120);
  }

  @ParameterizedTest
  @ValueSource(strings = {"arm64", "armhf"})
  void debIsForItsArchitectureWithItsConfigAsAConffile(String arch) throws Exception {
    Path deb = AgentPackages.get().get(arch).deb();
    Commands.Result info = run(List.of("dpkg-deb", "-I", deb.toString()));
    Commands.Result conffiles = run(List.of("dpkg-deb", "-I", deb.toString(), "conffiles"));

    assertThat(deb).exists().startsWith(OUT.toAbsolutePath());
    assertThat(info.out())
        .contains("Package: rcdrive-agent")
        .contains("Architecture: " + arch)
        .containsPattern("Depends: .*openjdk-17-jre-headless")
        // the hardware H.264 path (camera.encoder: hardware | auto): recommended, not required,
        // since the software path runs without it
        .containsPattern(
            "Recommends: .*gstreamer1.0-plugins-bad.*gstreamer1.0-nice.*gstreamer1.0-libcamera")
        .contains("ARMv6 boards (Pi 1, Zero, Zero W) are not supported");
    assertThat(conffiles.out().lines())
        .contains("/etc/rcdrive/agent.json", "/etc/rcdrive/agent.env");
  }

  @ParameterizedTest
  @CsvSource(
      textBlock =
          """
      arm64, linux-aarch64
      armhf, linux-aarch32
      """)
  void debHoldsTheJarTheServiceTheManPageAndItsOwnWebRtcNatives(String arch, String webrtc)
      throws Exception {
    Path deb = AgentPackages.get().get(arch).deb();
    List<String> files =
        run(List.of("dpkg-deb", "-c", deb.toString()))
            .out()
            .lines()
            .map(line -> line.substring(line.indexOf("./") + 1))
            .toList();

    assertThat(files)
        .anyMatch(f -> f.matches("/usr/share/rcdrive/lib/rcdrive-.*\\.jar"))
        .anyMatch(f -> f.equals("/usr/share/rcdrive/lib/webrtc-java-0.14.0-" + webrtc + ".jar"))
        .anyMatch(f -> f.equals("/lib/systemd/system/rcdrive-agent.service"))
        .anyMatch(f -> f.equals("/usr/share/man/man1/rcdrive.1.gz"))
        .anyMatch(f -> f.startsWith("/usr/bin/rcdrive "))
        .anyMatch(f -> f.equals("/etc/rcdrive/agent.json"))
        // the class list for the class-data sharing archive postinst makes with the Pi's own JVM
        .anyMatch(f -> f.equals("/usr/share/rcdrive/bin/rcdrive-cds"))
        .anyMatch(f -> f.equals("/usr/share/rcdrive/cds/rcdrive.classlist"))
        .anyMatch(f -> f.equals("/usr/share/rcdrive/cds/agent.classlist"))
        .noneMatch(f -> f.endsWith(".jsa")); // a build machine's archive would not fit the Pi
    assertThat(files)
        .noneMatch(f -> f.contains("javafx"))
        .noneMatch(f -> f.contains("jinput"))
        .filteredOn(f -> f.contains("webrtc-java-0.14.0-"))
        .hasSize(1);
  }

  @Test
  void theInstalledConfigIsTheExampleWithNoBatterySensor() throws Exception {
    Path installed = AgentPackages.get().get("arm64").unpacked().resolve("etc/rcdrive/agent.json");
    String json = Files.readString(installed);

    assertThat(json).isEqualTo(Files.readString(Path.of("packaging/agent/agent.example.json")));
    assertThat(json).contains("\"actuator\": \"pca9685\"").doesNotContain("\"ina219\": {");
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
                + " --neutral --config /etc/rcdrive/agent.json'")
        .anyMatch(l -> l.matches("Environment=\"JAVA_OPTS=[^\"]*-XX:\\+UseSerialGC[^\"]*\""))
        .anyMatch(l -> l.startsWith("Documentation=man:rcdrive(1) "));
    assertThat(unit)
        .containsPattern("(?m)^MemoryMax=\\d+M$")
        .contains("-XX:+ExitOnOutOfMemoryError");
  }

  @Test
  void packagedLauncherChecksAConfigWithoutJavaFx() throws Exception {
    Path dir = Files.createTempDirectory(tmp, "tar");
    Path tarball = AgentPackages.get().get("arm64").tarball();
    run(List.of("tar", "-C", dir.toString(), "-xzf", tarball.toString()));
    Path root;
    try (var roots = Files.list(dir)) {
      root = roots.findFirst().orElseThrow();
    }
    Path config = dir.resolve("agent.json");
    Files.writeString(config, "{\"camera\": {\"type\": \"test\"}, \"actuator\": \"sim\"}");
    List<String> check =
        List.of(root.resolve("bin/rcdrive").toString(), "agent", "--check", "--config", "");

    if (!System.getProperty("os.arch").equals("aarch64")) {
      // the Pi's WebRTC natives cannot load here: --check says so
      Commands.Result piOnly = run(withConfig(check, config));
      assertThat(piOnly.exit()).as(piOnly.out()).isEqualTo(1);
      assertThat(piOnly.out())
          .contains("webrtc     FAILED: cannot load the WebRTC native library")
          .contains("check: FAILED");
    }
    // With this machine's WebRTC natives beside them, the packaged jars run the whole check
    try (var hostNatives = Files.list(Path.of("target", "dist", "lib"))) {
      for (Path jar :
          hostNatives
              .filter(j -> j.getFileName().toString().matches("webrtc-java-.*-.*\\.jar"))
              .toList()) {
        Files.copy(jar, root.resolve("lib").resolve(jar.getFileName()));
      }
    }
    Commands.Result ok = run(withConfig(check, config));
    Commands.Result example = run(withConfig(check, root.resolve("agent.example.json")));

    assertThat(ok.exit()).as(ok.out()).isZero();
    assertThat(ok.out())
        .contains("webrtc     ok: native library loaded; a peer connection to itself opened in")
        .contains("jna        not used (actuator sim, no INA219)")
        .contains("battery    not configured")
        .contains("check: all good");
    // The example loads and validates; on this machine its PCA9685 and camera are absent.
    assertThat(example.out()).contains("config     ok").contains("outputs    FAILED: /dev/i2c-1");
    assertThat(example.out().lines().filter(l -> l.startsWith("battery ")))
        .containsExactly("battery    not configured (telemetry.ina219 absent: no battery voltage)");
  }

  private static List<String> withConfig(List<String> command, Path config) {
    List<String> all = new java.util.ArrayList<>(command);
    all.set(all.size() - 1, config.toString());
    return all;
  }
}
