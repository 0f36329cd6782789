package dev.rcdrive.station.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The station in a JVM of its own (headless, on Monocle): the demo connects, frames are shown, the
 * window closes the way a user closes it, WebRTC is torn down, and the JVM exits by itself with
 * status 0 — no crash (a bad disposal order kills the JVM with SIGSEGV), no hang (an undisposed
 * native thread keeps it alive).
 */
@Tag("ui")
class StationExitTest {

  @TempDir Path config;

  @Test
  void closingTheWindowEndsTheProcessCleanly() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process station =
        new ProcessBuilder(
                List.of(
                    java.toString(),
                    "-Xmx512m",
                    "-Dglass.platform=Monocle",
                    "-Dmonocle.platform=Headless",
                    "-Dprism.order=sw",
                    "-Dprism.text=t2k",
                    "-Djava.awt.headless=true",
                    "-Drcdrive.configDir=" + config,
                    "-Drcdrive.logDir=" + config.resolve("logs"),
                    "-cp",
                    System.getProperty("java.class.path"),
                    "dev.rcdrive.cli.Main",
                    "station",
                    "--self-test",
                    "60"))
            .redirectErrorStream(true)
            .start();
    // Read on another thread: a station that never exits must fail the test, not hang it.
    var read =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return new String(station.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
              } catch (IOException e) {
                return "";
              }
            });
    boolean exited = station.waitFor(90, TimeUnit.SECONDS);
    if (!exited) {
      station.destroyForcibly();
    }
    String output = read.get(10, TimeUnit.SECONDS);

    assertThat(exited).as("the JVM exits by itself\n" + output).isTrue();
    assertThat(station.exitValue()).as(output).isZero();
    assertThat(output).contains("self-test passed: 60 frames shown");
    assertThat(output).doesNotContain("SIGSEGV").doesNotContain("Exception");
    assertThat(config.resolve("window.json")).as("window state remembered").exists();
  }
}
