package dev.rcdrive.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds the station's Linux installer with packaging/station/build-linux.sh (after {@code
 * package}) and checks what is inside (unpacked with {@code dpkg -x}). As root (CI is) it then
 * installs the .deb on this machine the way a user does, {@code apt-get install ./….deb} with its
 * maintainer scripts, runs the installed station under Xvfb in demo mode until video frames render
 * ({@code --self-test}) and it exits cleanly, removes and purges the package and checks nothing is
 * left. This machine has no desktop environment (no /usr/share/desktop-directories), the very case
 * that broke jpackage's own package. Not root: the unpacked copy is run instead.
 */
// apt installs the package and its dependencies on a clean machine.
@Timeout(value = 10, unit = TimeUnit.MINUTES)
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
    assertThat(field("Depends"))
        .as("GTK for the window; what webrtc-java's library links (found by dpkg-shlibdeps)")
        .contains("libgtk-3-0", "libpulse0", "libxfixes3", "libxrandr2", "libxcomposite1")
        .doesNotContain("xdg-utils");
  }

  @Test
  void theDebRegistersItsMenuEntryItselfAndItsScriptsOnlyMakeTheClassDataArchive()
      throws Exception {
    Commands.Result control = Commands.run(List.of("dpkg-deb", "-I", deb.toString()), 10);
    assertThat(control.out())
        .as("every file is dpkg's own; the scripts make and remove the CDS archive only")
        .contains("postinst", "prerm")
        .doesNotContain("postrm", "preinst");
    String postinst = Commands.run(List.of("dpkg-deb", "-I", deb.toString(), "postinst"), 10).out();
    String prerm = Commands.run(List.of("dpkg-deb", "-I", deb.toString(), "prerm"), 10).out();
    assertThat(postinst).contains("/opt/" + NAME + "/lib/rcdrive-cds").doesNotContain("xdg");
    assertThat(prerm).contains("rm -f /opt/" + NAME + "/lib/rcdrive.jsa").doesNotContain("xdg");
    assertThat(root.resolve("opt").resolve(NAME).resolve("lib/rcdrive.jsa"))
        .as("an archive made for the build's paths would not fit the installed jars")
        .doesNotExist();
    Path entry = root.resolve("usr/share/applications").resolve(NAME + ".desktop");
    assertThat(Files.readString(entry))
        .contains("Name=rcdrive Station")
        .contains("Exec=/opt/" + NAME + "/bin/" + NAME)
        .contains("Icon=" + NAME + "\n")
        .contains("Categories=Game;");
    assertThat(root.resolve("usr/share/icons/hicolor/256x256/apps").resolve(NAME + ".png"))
        .isNotEmptyFile();
    assertThat(Files.readSymbolicLink(root.resolve("usr/bin").resolve(NAME)))
        .hasToString("/opt/" + NAME + "/bin/" + NAME);
  }

  @Test
  void theInstallHasALauncherAndItsOwnJavaRuntime() throws Exception {
    assertThat(app.resolve("bin").resolve(NAME)).isExecutable();
    String release = Files.readString(app.resolve("lib").resolve("runtime").resolve("release"));
    assertThat(release)
        .contains("java.base", "java.desktop", "jdk.crypto.ec", "jdk.unsupported")
        .doesNotContain("jdk.compiler", "jdk.jshell"); // a jlinked runtime, not a whole JDK
  }

  @Test
  void theStationsJvmHasBinRcdrivesStartFlags() throws Exception {
    // The unpacked package's own launcher and runtime; the JVM prints its flags, then the version.
    assertThat(version(app, "JAVA_TOOL_OPTIONS", "-XX:+PrintFlagsFinal"))
        .containsPattern("Tier4InvocationThreshold\\s+= 80000\\s")
        .containsPattern("Tier4BackEdgeThreshold\\s+= 640000\\s")
        .containsPattern("UseTransparentHugePages\\s+= \\w+\\s+\\{product\\} \\{command line\\}");
  }

  @Test
  void theLauncherStartsJavaWithoutAskingThePackageManager() throws Exception {
    // jpackage's own launcher ran `rpm -qf` and `dpkg -S` through sh at every start (0.3–0.5 s):
    // stand-ins first on the PATH write down any such question.
    Path fakes = Files.createTempDirectory(home, "package-managers");
    Path asked = fakes.resolve("asked");
    for (String tool : List.of("dpkg", "rpm", "dpkg-query")) {
      Path fake = fakes.resolve(tool);
      Files.writeString(fake, "#!/bin/sh\necho \"$0 $*\" >> '" + asked + "'\nexit 1\n");
      assertThat(fake.toFile().setExecutable(true)).isTrue();
    }
    String version = version(app, "PATH", fakes + ":" + System.getenv("PATH"));

    assertThat(version).startsWith("rcdrive ");
    assertThat(asked).doesNotExist();
    assertThat(app.resolve("lib").resolve("libapplauncher.so")).doesNotExist();
  }

  @Test
  void theAppImageLauncherMapsTheClassDataArchiveMadeForIt() throws Exception {
    // -Xshare:on: the JVM refuses to start unless the archive maps, which needs the launcher's
    // class path to be exactly the one lib/rcdrive-cds wrote it for.
    Path appImage = OUT.resolve(NAME).toAbsolutePath();
    assertThat(appImage.resolve("lib").resolve("rcdrive.jsa")).isNotEmptyFile();
    String loaded = version(appImage, "JAVA_TOOL_OPTIONS", "-Xshare:on -Xlog:class+load=info");

    assertThat(loaded).contains("dev.rcdrive.cli.Main source: shared objects file");
  }

  /** {@code bin/rcdrive-station --version} of the app in {@code root} with one variable set. */
  private static String version(Path root, String variable, String value) throws Exception {
    Commands.Result run =
        Commands.run(
            List.of(root.resolve("bin").resolve(NAME).toString(), "--version"),
            60,
            variable,
            value);
    assertThat(run.exit()).as(run.out()).isZero();
    return run.out();
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
  void aptInstallsItTheInstalledStationDrivesTheDemoAndRemoveAndPurgeLeaveNothing()
      throws Exception {
    assumeTrue(canInstall(), "installing a package needs root, apt-get and xvfb-run");
    assumeTrue(
        installedStatus().isEmpty(),
        NAME + " is installed on this machine already: not touched by a test");
    try {
      Commands.Result install = apt("install", "./" + deb.getFileName());
      assertThat(install.exit()).as(install.out()).isZero();
      assertThat(installedStatus()).isEqualTo("install ok installed");
      // postinst made the class-data sharing archive, and the installed launcher maps it.
      assertThat(Path.of("/opt", NAME, "lib", "rcdrive.jsa")).isNotEmptyFile();
      Commands.Result mapped =
          Commands.run(
              List.of("/usr/bin/" + NAME, "--version"),
              60,
              "JAVA_TOOL_OPTIONS",
              "-Xlog:class+load=info");
      assertThat(mapped.out()).contains("dev.rcdrive.cli.Main source: shared objects file");

      assertDrivesTheDemo(Path.of("/usr/bin").resolve(NAME));
      assertFitsTheScreenUnderAWindowManager(Path.of("/usr/bin").resolve(NAME));

      Commands.Result remove = apt("remove", NAME);
      assertThat(remove.exit()).as(remove.out()).isZero();
      assertThat(Path.of("/opt").resolve(NAME)).doesNotExist();
      assertThat(Path.of("/usr/share/applications").resolve(NAME + ".desktop")).doesNotExist();

      // With no configuration files, remove leaves dpkg nothing to purge; apt then knows no
      // package of that name to purge (exit 100). Purge only what dpkg still holds.
      if (!installedStatus().isEmpty()) {
        Commands.Result purge = apt("purge", NAME);
        assertThat(purge.exit()).as(purge.out()).isZero();
      }
      assertThat(installedStatus()).as("removed and purged: dpkg no longer knows it").isEmpty();
      List<String> left = new ArrayList<>();
      for (String line :
          Commands.run(List.of("dpkg-deb", "-c", deb.toString()), 30).out().lines().toList()) {
        String path = line.substring(line.indexOf("./") + 1).replaceAll(" -> .*$", "");
        if (!line.startsWith("d") && Files.exists(Path.of(path), LinkOption.NOFOLLOW_LINKS)) {
          left.add(path);
        }
      }
      assertThat(left).as("files of the package left after purge").isEmpty();
    } finally {
      if (!installedStatus().isEmpty()) {
        apt("purge", NAME); // a failed step above must not leave the package on the machine
      }
    }
  }

  @Test
  void withoutRootTheUnpackedStationDrivesTheDemo() throws Exception {
    assumeFalse(canInstall(), "as root the installed package is run instead");
    assumeTrue(
        Commands.onPath("xvfb-run"), "xvfb-run is not installed (apt-get install xvfb xauth)");
    assertDrivesTheDemo(app.resolve("bin").resolve(NAME));
  }

  private static boolean canInstall() throws Exception {
    return "root".equals(System.getProperty("user.name"))
        && Commands.onPath("apt-get")
        && Commands.onPath("xvfb-run");
  }

  /** dpkg's status line for the package ("install ok installed"), empty when it is unknown. */
  private static String installedStatus() throws Exception {
    Commands.Result status = Commands.run(List.of("dpkg-query", "-W", "-f=${Status}", NAME), 30);
    return status.exit() == 0 ? status.out().strip() : "";
  }

  /** apt-get, waiting for the package database when another apt or dpkg holds it. */
  private static Commands.Result apt(String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                "apt-get", "-y", "-q", "--no-install-recommends", "-o", "DPkg::Lock::Timeout=300"));
    command.addAll(List.of(args));
    return Commands.runIn(OUT, command, 900, "DEBIAN_FRONTEND", "noninteractive");
  }

  /**
   * Under openbox on a 1280×720 screen the window opens at about 90 % of it, wholly on it (openbox
   * once mapped it at its minimum size whatever the station asked before showing it).
   */
  private static void assertFitsTheScreenUnderAWindowManager(Path launcher) throws Exception {
    assumeTrue(Commands.onPath("openbox"), "openbox is not installed (apt-get install openbox)");
    // openbox first; the station once openbox owns the screen (it sets this root property).
    String script =
        "openbox & for i in $(seq 100); do"
            + " xprop -root _NET_SUPPORTING_WM_CHECK 2>/dev/null | grep -q 'window id' && break;"
            + " sleep 0.1; done; exec \"$0\" station --self-test 10";
    Commands.Result run =
        Commands.run(
            List.of(
                "xvfb-run",
                "-a",
                "-s",
                "-screen 0 1280x720x24",
                "sh",
                "-c",
                script,
                launcher.toString()),
            120,
            "JAVA_TOOL_OPTIONS",
            "-Duser.home=" + home + " -Drcdrive.configDir=" + home.resolve("config-openbox"));

    assertThat(run.exit()).as(run.out()).isZero();
    java.util.regex.Matcher window =
        java.util.regex.Pattern.compile(
                "self-test window: (\\d+)x(\\d+) at (-?\\d+),(-?\\d+) on a 1280x720 screen")
            .matcher(run.out());
    assertThat(window.find()).as(run.out()).isTrue();
    int w = Integer.parseInt(window.group(1));
    int h = Integer.parseInt(window.group(2));
    int x = Integer.parseInt(window.group(3));
    int y = Integer.parseInt(window.group(4));
    assertThat(w).as("width").isBetween(1000, 1280);
    assertThat(h).as("height").isBetween(560, 720);
    assertThat(x).isNotNegative();
    assertThat(y).isNotNegative();
    assertThat(x + w).isLessThanOrEqualTo(1280);
    assertThat(y + h).isLessThanOrEqualTo(720);
  }

  private static void assertDrivesTheDemo(Path launcher) throws Exception {
    Commands.Result version = Commands.run(List.of(launcher.toString(), "--version"), 60);
    assertThat(version.exit()).as(version.out()).isZero();

    Commands.Result selfTest =
        Commands.run(
            List.of(
                "xvfb-run",
                "-a",
                "-s",
                "-screen 0 1280x800x24",
                launcher.toString(),
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
