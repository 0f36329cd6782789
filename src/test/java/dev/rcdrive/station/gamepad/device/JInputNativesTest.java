package dev.rcdrive.station.gamepad.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import net.java.games.input.Controller;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JInput's natives come from the class path into a cache folder, and JInput then really loads. */
class JInputNativesTest {

  @TempDir Path cache;

  @Test
  void extractsEachLibraryOnceAndLeavesAnIdenticalCopyAlone() throws Exception {
    List<String> names =
        List.of("libjinput-linux64.so", "jinput-dx8_64.dll", "libjinput-osx.jnilib");

    Path dir = JInputNatives.extract(cache.resolve("jinput"), names);

    assertThat(dir).isEqualTo(cache.resolve("jinput"));
    for (String name : names) {
      try (InputStream in = getClass().getResourceAsStream("/" + name)) {
        assertThat(dir.resolve(name)).hasBinaryContent(in.readAllBytes());
      }
    }
    assertThat(dir.resolve("libjinput-osx.dylib")).exists(); // what macOS JDKs ask for
    Path linux = dir.resolve("libjinput-linux64.so");
    FileTime old = FileTime.fromMillis(1_000_000_000_000L);
    Files.setLastModifiedTime(linux, old);

    JInputNatives.extract(cache.resolve("jinput"), names);

    assertThat(Files.getLastModifiedTime(linux)).isEqualTo(old);
  }

  @Test
  void aDamagedCopyIsReplaced() throws Exception {
    Path dir = cache.resolve("jinput");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("libjinput-linux64.so"), "truncated");

    JInputNatives.extract(dir, List.of("libjinput-linux64.so"));

    assertThat(Files.size(dir.resolve("libjinput-linux64.so"))).isGreaterThan(10_000);
  }

  @Test
  void nothingOnTheClassPathMeansNoFolder() {
    assertThat(JInputNatives.extract(cache, List.of("libjinput-solaris.so"))).isNull();
  }

  @Test
  void theRealScannerLoadsJInputFromTheCacheAndFindsNoPadsHere() throws Exception {
    // This machine has no /dev/input: the real JInput, loaded from the extracted library, finds
    // nothing and says nothing alarming.
    String before = System.getProperty(JInputNatives.PROPERTY);
    System.setProperty("rcdrive.cacheDir", cache.toString());
    try {
      List<Controller> found = new JInputScanner().scan();
      Path dir = Path.of(System.getProperty(JInputNatives.PROPERTY));
      if (before == null) {
        assertThat(dir).isEqualTo(cache.resolve(JInputNatives.VERSION));
      }
      if (System.getProperty("os.name").startsWith("Linux")) {
        assertThat(dir.resolve("libjinput-linux64.so")).exists();
        // The plugin's static initializer loaded the library from there (else unsupported).
        Class<?> plugin = Class.forName("net.java.games.input.LinuxEnvironmentPlugin");
        Object instance = plugin.getConstructor().newInstance();
        assertThat(plugin.getMethod("isSupported").invoke(instance)).isEqualTo(true);
      }
      assertThat(found.stream().filter(JInputGamepads::isGamepad)).isEmpty();
    } finally {
      System.clearProperty("rcdrive.cacheDir");
    }
  }
}
