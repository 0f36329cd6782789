package dev.rcdrive.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rcdrive.testing.ProcessLines;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code rcdrive probe --json} against a car agent in a process of its own, all three started
 * through the packaged launcher as a user would.
 */
class ProbeIT {

  private static final Path LAUNCHER = Path.of("target", "dist", "bin", "rcdrive").toAbsolutePath();
  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (Process process : processes) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  private Process launch(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(LAUNCHER.toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    processes.add(process);
    return process;
  }

  /** The first match of the pattern in the process's output, within the timeout. */
  private static String await(Process process, Pattern pattern) throws Exception {
    return ProcessLines.first(process, pattern, Duration.ofSeconds(60));
  }

  /** The probe's whole stdout once it ended (60 s at most; @AfterEach kills it otherwise). */
  private String output(Process probe) throws Exception {
    processes.add(probe);
    String out =
        CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return new String(
                        probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                  } catch (java.io.IOException e) {
                    return "";
                  }
                })
            .get(60, TimeUnit.SECONDS);
    assertThat(probe.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return out.strip();
  }

  private static void drain(Process process) {
    CompletableFuture.runAsync(
        () -> {
          try {
            process.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
          } catch (java.io.IOException ignored) {
            // the process ended
          }
        });
  }

  @Test
  void probeReportsTheLinkToAnAgentInAnotherProcess() throws Exception {
    Process signal = launch("signal", "--demo", "--port", "0");
    String server = await(signal, Pattern.compile("listening on (ws://\\S+)"));
    assertThat(server).isNotNull();
    drain(signal);
    Process agent =
        launch(
            "agent", "--server", server, "--car", "demo", "--key", "demo-key", "--size", "640x360");
    assertThat(await(agent, Pattern.compile("(signaling READY)"))).isNotNull();
    drain(agent);

    Process probe =
        new ProcessBuilder(
                LAUNCHER.toString(),
                "probe",
                "--server",
                server,
                "--car",
                "demo",
                "--token",
                "demo-token",
                "--seconds",
                "3",
                "--json")
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String out = output(probe);

    assertThat(probe.exitValue()).as(out).isZero();
    assertThat(out.lines().count()).as("exactly one JSON object").isEqualTo(1);
    JsonNode report = new ObjectMapper().readTree(out);
    assertThat(report.get("connected").asBoolean()).isTrue();
    assertThat(report.get("candidateType").asText()).isIn("host", "srflx", "prflx");
    assertThat(report.get("connectMs").asDouble()).isBetween(1.0, 15_000.0);
    assertThat(report.get("frames").asLong()).isGreaterThan(30);
    assertThat(report.get("fps").asDouble()).isBetween(15.0, 35.0);
    assertThat(report.get("width").asInt()).isEqualTo(640);
    assertThat(report.get("height").asInt()).isEqualTo(360);
    assertThat(report.get("codec").asText())
        .as("the default codec, as negotiated")
        .isEqualTo("VP8");
    assertThat(report.get("rttMs").get("p50").asDouble()).isPositive();
    assertThat(report.get("rttMs").get("p99").asDouble())
        .isGreaterThanOrEqualTo(report.get("rttMs").get("p50").asDouble());
    assertThat(report.get("glassToGlassMs").get("p50").asDouble()).isBetween(0.0, 1000.0);
    assertThat(report.get("lossPct").asDouble()).isBetween(0.0, 100.0);
    assertStagesArePlausible(report.get("stages"));
    assertThat(report.get("error").isNull()).isTrue();
    assertThat(report.get("carState").asText()).isEqualTo("DISARMED"); // probing never arms
  }

  /**
   * Every stage measured and not negative, and their sum close to the end-to-end mean it breaks
   * down: within 3 ms + 25 % above it (a stage cannot be longer than the whole) and not below half
   * of it minus 3 ms (the hand-offs between libwebrtc's threads, which no counter covers, are
   * normally under a millisecond; a busy machine stretches them).
   */
  private static void assertStagesArePlausible(JsonNode stages) {
    assertThat(stages).as("stages").isNotNull();
    for (String stage :
        List.of(
            "captureToEncoderMs",
            "encodeMs",
            "pacerMs",
            "networkMs",
            "jitterBufferMs",
            "decodeMs")) {
      assertThat(stages.get(stage).isNumber()).as(stage + " in " + stages).isTrue();
      assertThat(stages.get(stage).asDouble()).as(stage).isBetween(0.0, 1000.0);
    }
    assertThat(stages.get("encodeMs").asDouble()).as("encode").isPositive();
    assertThat(stages.get("decodeMs").asDouble()).as("decode").isPositive();
    double sum = stages.get("sumMs").asDouble();
    double endToEnd = stages.get("endToEndMs").asDouble();
    assertThat(endToEnd).as("end to end").isPositive();
    assertThat(sum)
        .as("sum of the stages vs end to end " + endToEnd + " in " + stages)
        .isBetween(endToEnd * 0.5 - 3, endToEnd * 1.25 + 3);
    assertThat(stages.get("unaccountedMs").asDouble()).isCloseTo(endToEnd - sum, within(0.02));
  }

  @Test
  void probeExitsWithTheReasonWhenTheCarIsOffline() throws Exception {
    Process signal = launch("signal", "--demo", "--port", "0");
    String server = await(signal, Pattern.compile("listening on (ws://\\S+)"));
    drain(signal);

    Process probe =
        new ProcessBuilder(
                LAUNCHER.toString(),
                "probe",
                "--server",
                server,
                "--car",
                "demo",
                "--token",
                "demo-token",
                "--seconds",
                "1",
                "--json")
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String out = output(probe);

    assertThat(probe.exitValue()).isEqualTo(4);
    JsonNode report = new ObjectMapper().readTree(out);
    assertThat(report.get("connected").asBoolean()).isFalse();
    assertThat(report.get("error").asText()).contains("offline");
  }
}
