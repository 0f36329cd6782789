package dev.rcdrive.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The car service's command line read without picocli ({@link AgentCommand#readPlainly}) must mean
 * what picocli reads, and must be the one the service really runs. The station's: {@link
 * StationCommandTest}.
 */
class PlainCommandLinesTest {

  @TempDir Path dir;

  /** The agent's systemd unit's first line that starts with {@code key}. */
  private static String unitLine(String key) throws Exception {
    return Files.readString(Path.of("packaging", "agent", "rcdrive-agent.service"))
        .lines()
        .filter(l -> l.startsWith(key))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void theServicesCommandLineIsReadPlainly() throws Exception {
    String execStart = unitLine("ExecStart=");
    List<String> words = Arrays.asList(execStart.substring("ExecStart=".length()).split(" "));

    assertThat(words.get(0)).isEqualTo("/usr/bin/rcdrive");
    String[] args = words.subList(1, words.size()).toArray(String[]::new);
    assertThat(AgentCommand.readPlainly(args))
        .as("%s read without picocli (else every start of the car models the command)", execStart)
        .isNotNull();
    assertThat(Main.readPlainly(args)).isNotNull();
  }

  @Test
  void theStopStepsFallbackIsReadPlainly() throws Exception {
    String stopPost = unitLine("ExecStopPost=");
    java.util.regex.Matcher fallback =
        java.util.regex.Pattern.compile("exec /usr/bin/rcdrive ([^']+)'").matcher(stopPost);

    assertThat(fallback.find()).as(stopPost).isTrue();
    String[] args = fallback.group(1).split(" ");
    AgentCommand plain = AgentCommand.readPlainly(args);
    assertThat(plain).as("%s read without picocli", fallback.group(1)).isNotNull();
    assertThat(plain.neutral).isTrue();
  }

  @ParameterizedTest
  @MethodSource("plain")
  void aPlainAgentCommandLineIsReadAsPicocliReadsIt(List<String> args) {
    AgentCommand plain = AgentCommand.readPlainly(args.toArray(String[]::new));
    AgentCommand picocli = MainTest.readByPicocli(new AgentCommand(), args);

    assertThat(plain).as("read without picocli").isNotNull();
    assertThat(plain.config).isEqualTo(picocli.config).isNotNull();
    assertThat(
            Arrays.asList(
                plain.server,
                plain.carId,
                plain.key,
                plain.camera,
                plain.size,
                plain.fps,
                plain.encoder,
                plain.actuator,
                plain.failsafeMs,
                plain.calibrate))
        .containsOnlyNulls();
    assertThat(List.of(plain.check, plain.neutral, plain.listCameras))
        .isEqualTo(List.of(picocli.check, picocli.neutral, picocli.listCameras));
    assertThat(plain.neutral).isEqualTo(args.contains("--neutral"));
    assertThat(plain.check || plain.listCameras).isFalse();
  }

  static List<List<String>> plain() {
    return List.of(
        List.of("agent", "--config", "/etc/rcdrive/agent.json"),
        List.of("agent", "--config=/etc/rcdrive/agent.json"),
        List.of("agent", "--config", "my car.json"),
        List.of("agent", "--config", "a=b.json"),
        List.of("agent", "--neutral", "--config", "/etc/rcdrive/agent.json"),
        List.of("agent", "--neutral", "--config=/etc/rcdrive/agent.json"));
  }

  static List<List<String>> forPicocli() {
    return List.of(
        List.of("agent"),
        List.of("agent", "--config"),
        List.of("agent", "--config="),
        List.of("agent", "--config", ""),
        List.of("agent", "--config", "--check"),
        List.of("agent", "--config", "-"),
        List.of("agent", "--config", "@args.txt"),
        List.of("agent", "--config", "a.json", "--check"),
        List.of("agent", "--check", "--config", "a.json"),
        List.of("agent", "--config", "a.json", "--neutral"),
        List.of("agent", "--neutral"),
        List.of("agent", "--neutral", "--neutral", "--config", "a.json"),
        List.of("agent", "--neutral=true", "--config", "a.json"),
        List.of("agent", "--config", "a.json", "--config", "b.json"),
        List.of("agent", "--config", "nul\0.json"),
        List.of("agent", "--help"),
        List.of("agent", "--server", "ws://h:1"),
        List.of("Agent", "--config", "a.json"),
        List.of("probe", "--config", "a.json"),
        List.of("station", "--config", "a.json"));
  }

  @ParameterizedTest
  @MethodSource("forPicocli")
  void anyOtherAgentCommandLineIsLeftToPicocli(List<String> args) {
    assertThat(AgentCommand.readPlainly(args.toArray(String[]::new))).isNull();
  }

  @Test
  void aConfigMistakeReadPlainlyIsTheSameOneLineAsThroughPicocli() throws Exception {
    Path missing = dir.resolve("nope.json");
    Path broken = Files.writeString(dir.resolve("broken.json"), "{\"camera\": {\"fps\": 29.97}}");
    Path notJson = Files.writeString(dir.resolve("agent.json"), "{ camera: ");
    List<String[]> commandLines = new java.util.ArrayList<>();
    for (Path file : List.of(missing, broken, notJson)) {
      commandLines.add(new String[] {"agent", "--config", file.toString()});
      commandLines.add(new String[] {"agent", "--neutral", "--config", file.toString()});
    }
    for (String[] args : commandLines) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int plainExit =
          AgentCommand.readPlainly(args)
              .run(new PrintWriter(out, true), new PrintWriter(err, true));
      MainTest.Run picocli = MainTest.run(args);

      assertThat(err.toString()).as(Arrays.toString(args)).isEqualTo(picocli.err()).isNotBlank();
      assertThat(err.toString()).startsWith("rcdrive agent: ");
      assertThat(out.toString()).isEqualTo(picocli.out());
      assertThat(plainExit).isEqualTo(picocli.exitCode()).isEqualTo(2);
    }
  }
}
