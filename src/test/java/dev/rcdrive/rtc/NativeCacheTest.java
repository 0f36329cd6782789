package dev.rcdrive.rtc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * webrtc-java's library comes from the kept copy, written once and reused; a cache that cannot be
 * used leaves webrtc-java to load it its own way. Each case in a JVM of its own (a library loads
 * once per process), which reports where the library was mapped from.
 */
class NativeCacheTest {

  @TempDir Path dir;

  private static List<String> probe(Path cache, String... mode) throws Exception {
    String cp = System.getProperty("surefire.test.class.path");
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Drcdrive.nativeCache=" + cache,
                "-Drcdrive.log=warn",
                "-cp",
                cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path"),
                NativeCacheProbe.class.getName()));
    command.addAll(List.of(mode));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(out).isZero();
    assertThat(out).as("the factory works").contains("factory true");
    return out.lines().filter(l -> l.startsWith("mapped ") || l.startsWith("loaded ")).toList();
  }

  @Test
  void theLibraryIsCopiedOnceAndLoadedFromTheCopyAfterwards() throws Exception {
    Path cache = dir.resolve("native");

    List<String> first = probe(cache);
    List<Path> copies;
    try (Stream<Path> files = Files.list(cache)) {
      copies = files.toList();
    }
    assertThat(copies).hasSize(1);
    Path copy = copies.get(0);
    assertThat(copy.getFileName().toString())
        .matches("libwebrtc-java-linux-.+-[0-9a-f]{8}-\\d+\\.so");
    assertThat(first).containsExactly("mapped " + copy.toRealPath());
    FileTime written = Files.getLastModifiedTime(copy);

    List<String> second = probe(cache);
    assertThat(second).containsExactly("mapped " + copy.toRealPath());
    assertThat(Files.getLastModifiedTime(copy)).as("not written again").isEqualTo(written);
  }

  @Test
  void aCacheThatCannotBeMadeLeavesTheLoadingToWebrtcJava() throws Exception {
    Path notAFolder = Files.writeString(dir.resolve("file"), "in the way");

    List<String> mapped = probe(notAFolder.resolve("native"));

    assertThat(mapped).hasSize(1);
    assertThat(mapped.get(0)).doesNotContain(dir.toString()).contains("libwebrtc-java-linux");
  }

  @Test
  void theAgentsHeadStartLoadsTheKeptCopyOnItsOwnThread() throws Exception {
    Path cache = dir.resolve("native");
    probe(cache); // the copy, written once

    List<String> ahead = probe(cache, "ahead");

    assertThat(ahead).hasSize(2);
    assertThat(ahead.get(0)).isEqualTo("loaded ahead true");
    assertThat(ahead.get(1)).startsWith("mapped " + cache.toRealPath());
  }

  @Test
  void anEngineMadeWhileTheHeadStartStillLoadsWaitsForItAndLoadsOnce() throws Exception {
    Path cache = dir.resolve("native");

    List<String> raced = probe(cache, "race");

    assertThat(raced).hasSize(1);
    assertThat(raced.get(0)).startsWith("mapped " + cache.toRealPath());
  }

  @Test
  void aHeadStartWithAnUnusableCacheLeavesTheLoadingToWebrtcJava() throws Exception {
    Path notAFolder = Files.writeString(dir.resolve("file"), "in the way");

    List<String> ahead = probe(notAFolder.resolve("native"), "ahead");

    assertThat(ahead).hasSize(2);
    assertThat(ahead.get(0)).isEqualTo("loaded ahead false");
    assertThat(ahead.get(1)).doesNotContain(dir.toString()).contains("libwebrtc-java-linux");
  }
}
