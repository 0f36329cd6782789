package dev.rcdrive.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Raspberry Pi packages, built once per test JVM by packaging/agent/build.sh (after {@code
 * package}) for every architecture, and each .deb unpacked with {@code dpkg-deb -x} for reading.
 */
final class AgentPackages {

  /** The architectures build.sh makes packages for. */
  static final List<String> ARCHES = List.of("arm64", "armhf");

  /** One architecture's outputs. */
  record Built(String arch, Path deb, Path tarball, Path unpacked) {
    /** The jars the .deb installs in /usr/share/rcdrive/lib. */
    List<Path> jars() throws IOException {
      try (var files = Files.list(unpacked.resolve("usr/share/rcdrive/lib"))) {
        return files.filter(f -> f.toString().endsWith(".jar")).sorted().toList();
      }
    }

    /** A control field of the .deb, e.g. "Depends". */
    String field(String name) throws IOException, InterruptedException {
      Commands.Result r = Commands.run(List.of("dpkg-deb", "-f", deb.toString(), name), 60);
      assertThat(r.exit()).as(r.out()).isZero();
      return r.out().trim();
    }
  }

  private static Map<String, Built> built;

  private AgentPackages() {}

  /** Builds (the first time) and returns the packages by architecture; skips without the tools. */
  static synchronized Map<String, Built> get() throws IOException, InterruptedException {
    assumeTrue(
        Commands.onPath("dpkg-deb"), "dpkg-deb is not installed (Debian: it comes with dpkg)");
    assumeTrue(Commands.onPath("zip") && Commands.onPath("unzip"), "zip/unzip are not installed");
    if (built == null) {
      Commands.Result run = Commands.run(List.of("bash", "packaging/agent/build.sh"), 300);
      assertThat(run.exit()).as(run.out()).isZero();
      List<String> lines = run.out().lines().toList();
      List<String> paths = lines.subList(lines.size() - 2 * ARCHES.size(), lines.size());
      Path scratch = Files.createTempDirectory("rcdrive-agent-packages");
      Map<String, Built> all = new LinkedHashMap<>();
      for (int i = 0; i < ARCHES.size(); i++) {
        String arch = ARCHES.get(i);
        Path deb = Path.of(paths.get(2 * i));
        Path tarball = Path.of(paths.get(2 * i + 1));
        assertThat(deb.getFileName().toString()).endsWith("_" + arch + ".deb");
        Path unpacked = scratch.resolve(arch);
        Commands.Result x =
            Commands.run(List.of("dpkg-deb", "-x", deb.toString(), unpacked.toString()), 120);
        assertThat(x.exit()).as(x.out()).isZero();
        all.put(arch, new Built(arch, deb, tarball, unpacked));
      }
      built = all;
    }
    return built;
  }

  /** The package names a Depends field allows (every alternative, without versions). */
  static List<String> dependsNames(String depends) {
    List<String> names = new ArrayList<>();
    for (String clause : depends.split(",")) {
      for (String alternative : clause.split("\\|")) {
        String name = alternative.trim().replaceAll("\\s*\\(.*\\)$", "").replaceAll(":.*$", "");
        if (!name.isEmpty()) {
          names.add(name);
        }
      }
    }
    return names;
  }
}
