package dev.rcdrive.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds the station's Linux installer with packaging/station/build-linux.sh (after {@code
 * package}), unpacks the .deb into a scratch root with {@code dpkg -x} as a user's machine would
 * install it, and runs the packaged station there: headless under Xvfb, in demo mode, until video
 * frames render ({@code --self-test}), then a clean exit. A missing native library, module or
 * resource fails it.
 */
class StationPackageIT {

  private static final Path OUT = Path.of("target", "installer");
  private static final String NAME = "rcdrive-station";
  @TempDir static Path root;
  @TempDir static Path home;
  private static Path deb;
  private static Path app;

  @BeforeAll
  static void buildAndUnpack() throws Exception {
    assumeTrue(
        Commands.onPath("jpackage") && Commands.onPath("jlink"),
        "jpackage/jlink not on the PATH (a JDK has them)");
    assumeTrue(
        Commands.onPath("dpkg-deb") && Commands.onPath("fakeroot"),
        "the .deb needs dpkg-deb and fakeroot");
    assumeTrue(Commands.onPath("zip") && Commands.onPath("unzip"), "zip/unzip are not installed");
    Commands.Result built = Commands.run(List.of("bash", "packaging/station/build-linux.sh"), 300);
    assertThat(built.exit()).as(built.out()).isZero();
    List<String> lines = built.out().lines().toList();
    deb = Path.of(lines.get(lines.size() - 1));
    assertThat(deb).exists().startsWith(OUT.toAbsolutePath());

    Commands.Result unpacked =
        Commands.run(List.of("dpkg-deb", "-x", deb.toString(), root.toString()), 60);
    assertThat(unpacked.exit()).as(unpacked.out()).isZero();
    app = root.resolve("opt").resolve(NAME);
  }

  private static String field(String name) throws Exception {
    return Commands.run(List.of("dpkg-deb", "-f", deb.toString(), name), 10).out().strip();
  }

  @Test
  void theDebNamesItsVersionItsArchitectureAndWhatTheWindowNeeds() throws Exception {
    assertThat(field("Package")).isEqualTo(NAME);
    assertThat(field("Version")).matches("\\d+\\.\\d+\\.\\d+(-\\d+)?").doesNotContain("SNAPSHOT");
    assertThat(field("Architecture")).isIn("amd64", "arm64");
    assertThat(field("Depends")).contains("libgtk-3-0", "libpulse0");
  }

  @Test
  void theInstallHasALauncherADesktopEntryAnIconAndItsOwnJavaRuntime() throws Exception {
    assertThat(app.resolve("bin").resolve(NAME)).isExecutable();
    Path desktop = app.resolve("lib").resolve(NAME + "-" + NAME + ".desktop");
    assertThat(Files.readString(desktop))
        .contains("Exec=/opt/" + NAME + "/bin/" + NAME)
        .contains("Icon=/opt/" + NAME + "/lib/" + NAME + ".png")
        .contains("Categories=Game");
    assertThat(app.resolve("lib").resolve(NAME + ".png")).isNotEmptyFile();
    String release = Files.readString(app.resolve("lib").resolve("runtime").resolve("release"));
    assertThat(release)
        .contains("java.base", "java.desktop", "jdk.crypto.ec", "jdk.unsupported")
        .doesNotContain("jdk.compiler", "jdk.jshell"); // a jlinked runtime, not a whole JDK
  }

  @Test
  void theJarsCarryNativeCodeForThisSystemOnly() throws Exception {
    Pattern foreign =
        Pattern.compile(
            "\\.(dll|dylib|jnilib|a)$|(aarch64|arm|ppc|s390|mips|riscv|loongarch|sparc|"
                + "freebsd|openbsd|sunos|darwin|win32|linux-x86/).*\\.so$");
    List<String> found = new ArrayList<>();
    List<String> natives = new ArrayList<>();
    try (Stream<Path> jars = Files.list(app.resolve("lib").resolve("app"))) {
      for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
          zip.stream()
              .map(entry -> entry.getName())
              .filter(n -> n.matches(".*\\.(so|dll|dylib|jnilib|a)$"))
              .forEach(
                  n -> {
                    natives.add(jar.getFileName() + "!" + n);
                    if (foreign.matcher(n).find()) {
                      found.add(jar.getFileName() + "!" + n);
                    }
                  });
        }
      }
    }
    assertThat(found).as("native code for another system").isEmpty();
    assertThat(natives)
        .as("this system's: webrtc-java, JInput and JavaFX")
        .anyMatch(n -> n.startsWith("webrtc-java-") && n.endsWith(".so"))
        .anyMatch(n -> n.contains("libjinput-linux"))
        .anyMatch(n -> n.contains("libglass"));
  }

  @Test
  void thePackagedStationShowsTheDemoCarsVideoAndExitsCleanly() throws Exception {
    assumeTrue(
        Commands.onPath("xvfb-run"), "xvfb-run is not installed (apt-get install xvfb xauth)");
    Commands.Result version =
        Commands.run(List.of(app.resolve("bin").resolve(NAME).toString(), "--version"), 60);
    assertThat(version.exit()).as(version.out()).isZero();

    Commands.Result selfTest =
        Commands.run(
            List.of(
                "xvfb-run",
                "-a",
                "-s",
                "-screen 0 1280x800x24",
                app.resolve("bin").resolve(NAME).toString(),
                "station",
                "--self-test",
                "30"),
            120,
            // A user of its own: settings, logs and unpacked natives land in this test's folder.
            "JAVA_TOOL_OPTIONS",
            "-Duser.home=" + home + " -Drcdrive.configDir=" + home.resolve("config"));

    assertThat(selfTest.exit()).as(selfTest.out()).isZero();
    assertThat(selfTest.out()).contains("self-test passed: 30 frames shown");
    assertThat(selfTest.out()).doesNotContain("Exception", "UnsatisfiedLinkError");
    assertThat(home.resolve(".local/share/rcdrive/logs/station.log"))
        .as("the log file a desktop user can find")
        .isNotEmptyFile();
  }
}
