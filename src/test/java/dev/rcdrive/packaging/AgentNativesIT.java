package dev.rcdrive.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rcdrive.rtc.NativeLoadFailure;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The agent packages' Depends, derived from their native code: every native library in every jar of
 * each .deb is read ({@link Elf}), and what it needs must be provided on Debian bookworm by a
 * package the .deb depends on, through the checked-in table soname → package
 * (src/main/resources/dev/rcdrive/rtc/debian-libraries.properties), which this test reviews: no row
 * missing, no row needed by nothing, no library package in Depends that nothing needs. A new jar
 * with natives is covered without a change here.
 */
// Downloads Debian packages for three architectures on a cold cache.
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class AgentNativesIT {

  private static final Pattern NATIVE =
      Pattern.compile(".*\\.(so(\\.[0-9]+)*|dll|dylib|jnilib|a)$");

  /** Depends that are not there for a native library. */
  /**
   * Depends that are not libraries: the JVM, the maintainer scripts' adduser, and the tools the
   * agent's stop step runs without a JVM (i2cset, gpioset: docs/decisions/0006).
   */
  private static final Set<String> NOT_FOR_NATIVES =
      Set.of("openjdk-17-jre-headless", "java17-runtime-headless", "adduser", "i2c-tools", "gpiod");

  /**
   * The newest symbol version of each versioned library family on bookworm (glibc 2.36, GCC 12's
   * libstdc++): a native that needs a newer one does not load there, whatever is installed.
   */
  private static final Map<String, String> BOOKWORM_NEWEST =
      Map.of("GLIBC", "2.36", "GLIBCXX", "3.4.30", "CXXABI", "1.3.13");

  /** One native library in a jar of a package. */
  record Native(String where, Elf elf) {}

  static List<Native> natives(AgentPackages.Built built) throws IOException {
    List<Native> all = new ArrayList<>();
    for (Path jar : built.jars()) {
      try (ZipFile zip = new ZipFile(jar.toFile())) {
        for (ZipEntry entry : Collections.list(zip.entries())) {
          if (entry.isDirectory() || !NATIVE.matcher(entry.getName()).matches()) {
            continue;
          }
          try (InputStream in = zip.getInputStream(entry)) {
            String where = jar.getFileName() + "!" + entry.getName();
            Elf elf;
            try {
              elf = Elf.read(in.readAllBytes());
            } catch (IllegalArgumentException e) {
              throw new AssertionError(where + " is not an ELF shared object: " + e.getMessage());
            }
            all.add(new Native(where, elf));
          }
        }
      }
    }
    return all;
  }

  @Test
  void everyNativeIsForThePackagesArchitecture() throws Exception {
    for (AgentPackages.Built built : AgentPackages.get().values()) {
      List<Native> natives = natives(built);

      assertThat(natives)
          .as(built.arch() + ": webrtc-java, JNA and Pi4J ship natives")
          .anyMatch(n -> n.where().startsWith("webrtc-java-"))
          .anyMatch(n -> n.where().startsWith("jna-"))
          .anyMatch(n -> n.where().contains("pi4j-gpiod"))
          .anyMatch(n -> n.where().contains("pi4j-linuxfs"));
      for (Native n : natives) {
        assertThat(n.elf().debianArch())
            .as(built.arch() + ": " + n.where())
            .isEqualTo(built.arch());
      }
    }
  }

  @Test
  void everyLibraryANativeNeedsIsInTheDependsOfItsPackage() throws Exception {
    Map<String, String> table = NativeLoadFailure.table();
    List<String> problems = new ArrayList<>();
    Set<String> rowsUsed = new TreeSet<>();
    for (AgentPackages.Built built : AgentPackages.get().values()) {
      List<Native> natives = natives(built);
      Set<String> shipped = new TreeSet<>();
      natives.stream().map(n -> n.elf().soname()).filter(Objects::nonNull).forEach(shipped::add);
      List<String> depends = AgentPackages.dependsNames(built.field("Depends"));
      Set<String> packagesNeeded = new TreeSet<>();
      for (Native n : natives) {
        for (String soname : n.elf().needed()) {
          if (shipped.contains(soname)) {
            continue; // loaded from the same jar first (Pi4J's libgpiod)
          }
          String pkg = table.get(soname);
          if (pkg == null) {
            problems.add(
                built.arch()
                    + ": "
                    + n.where()
                    + " needs "
                    + soname
                    + ", which has no row in debian-libraries.properties");
            continue;
          }
          rowsUsed.add(soname);
          packagesNeeded.add(pkg);
          if (!depends.contains(pkg)) {
            problems.add(
                built.arch()
                    + ": "
                    + n.where()
                    + " needs "
                    + soname
                    + " from "
                    + pkg
                    + ", which Depends does not name");
          }
        }
      }
      for (String pkg : depends) {
        if (!NOT_FOR_NATIVES.contains(pkg) && !packagesNeeded.contains(pkg)) {
          problems.add(built.arch() + ": Depends names " + pkg + ", which no native needs");
        }
      }
    }
    for (String soname : table.keySet()) {
      if (!rowsUsed.contains(soname)) {
        problems.add("debian-libraries.properties: no shipped native needs " + soname);
      }
    }

    assertThat(problems).isEmpty();
  }

  @Test
  void noNativeNeedsASymbolVersionNewerThanBookwormHas() throws Exception {
    List<String> problems = new ArrayList<>();
    Pattern versioned = Pattern.compile("([A-Z]+)_([0-9.]+)");
    for (AgentPackages.Built built : AgentPackages.get().values()) {
      for (Native n : natives(built)) {
        for (Map.Entry<String, List<String>> lib : n.elf().versions().entrySet()) {
          for (String version : lib.getValue()) {
            Matcher m = versioned.matcher(version);
            String newest = m.matches() ? BOOKWORM_NEWEST.get(m.group(1)) : null;
            if (newest != null && compare(m.group(2), newest) > 0) {
              problems.add(
                  n.where()
                      + " needs "
                      + version
                      + " from "
                      + lib.getKey()
                      + "; bookworm has "
                      + m.group(1)
                      + "_"
                      + newest);
            }
          }
        }
      }
    }

    assertThat(problems).isEmpty();
  }

  static int compare(String a, String b) {
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    for (int i = 0; i < Math.max(x.length, y.length); i++) {
      int p = i < x.length ? Integer.parseInt(x[i]) : 0;
      int q = i < y.length ? Integer.parseInt(y[i]) : 0;
      if (p != q) {
        return Integer.compare(p, q);
      }
    }
    return 0;
  }
}
