package dev.rcdrive.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

class MainTest {

  @TempDir Path dir;

  record Run(int exitCode, String out, String err) {}

  static Run run(String... args) {
    CommandLine cli = Main.commandLine(args); // as main builds it
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  /**
   * {@code command} with {@code args} (a command's name first, as on the command line) read by
   * picocli, for comparing with a reading without it.
   */
  static <T> T readByPicocli(T command, List<String> args) {
    new CommandLine(command).parseArgs(args.subList(1, args.size()).toArray(String[]::new));
    return command;
  }

  @Test
  void versionNamesTheProductAndJava() {
    Run run = run("--version");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .startsWith("rcdrive ")
        .contains("Java " + System.getProperty("java.version"));
  }

  @Test
  void aCommandNamedFirstIsTheOnlyOneModelled() {
    assertThat(Main.commandLine("agent", "--car", "demo").getSubcommands().keySet())
        .containsExactly("agent");
    assertThat(Main.commandLine("signal").getSubcommands().get("signal").getSubcommands())
        .as("its own commands")
        .containsKeys("init", "add-car");
    List<String> all = List.of("station", "signal", "agent", "probe", "help");
    assertThat(Main.commandLine().getSubcommands().keySet()).containsExactlyElementsOf(all);
    assertThat(Main.commandLine("--help").getSubcommands().keySet()).containsExactlyElementsOf(all);
    assertThat(Main.commandLine("help", "agent").getSubcommands().keySet())
        .containsExactlyElementsOf(all);
  }

  @Test
  void noArgumentsRunTheStationModelledAlone() {
    String[] args = Main.withCommand();

    assertThat(args).containsExactly("station");
    assertThat(Main.commandLine(args).getSubcommands().keySet()).containsExactly("station");
    assertThat(Main.withCommand("probe", "--json")).containsExactly("probe", "--json");
  }

  @Test
  void aCommandModelledAloneHelpsAsPartOfRcdrive() {
    Run agent = run("agent", "--help");
    Run help = run("help", "agent");

    assertThat(agent.exitCode()).isZero();
    assertThat(agent.out()).startsWith("Usage: rcdrive agent ").isEqualTo(help.out());
  }

  @Test
  void aMistypedCommandIsAnsweredWithTheOneMeant() {
    Run run = run("agnet", "--car", "demo");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("agnet").contains("agent");
  }

  @Test
  void signalHelpDocumentsEveryOption() {
    Run run = run("signal", "--help");
    CommandLine signal = Main.commandLine().getSubcommands().get("signal");
    List<OptionSpec> options = signal.getCommandSpec().options();

    assertThat(run.exitCode()).isZero();
    assertThat(options).hasSizeGreaterThan(10);
    for (OptionSpec option : options) {
      assertThat(run.out()).contains(option.longestName());
      assertThat(option.description()).as(option.longestName()).isNotEmpty();
    }
  }

  @Test
  void signalWithoutCarsSaysWhatToGive() {
    Run run = run("signal", "--port", "0", "--driver-token", "t");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("no cars configured").contains("--car ID=KEY");
  }

  @Test
  void malformedCarFlagIsRefusedWithoutEchoingTheKey() {
    Run run = run("signal", "--car", "buggy", "--driver-token", "t");
    Run withEmptyKey = run("signal", "--car", "buggy=", "--driver-token", "t");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--car: expected ID=KEY");
    assertThat(withEmptyKey.err()).contains("--car: expected ID=KEY");
  }

  @Test
  void invalidConfigFileIsReportedFieldByField() throws Exception {
    Path config = dir.resolve("signal.json");
    Files.writeString(config, "{\"cars\":[{\"id\":\"x\",\"key\":\"env:RCDRIVE_TEST_UNSET_VAR\"}]}");

    Run run = run("signal", "--config", config.toString(), "--driver-token", "t", "--port", "0");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .contains("cars[0].key: environment variable RCDRIVE_TEST_UNSET_VAR is not set");
  }

  @Test
  void turnNeedsItsSecret() {
    Run run = run("signal", "--car", "c=k", "--driver-token", "t", "--turn", "turn:127.0.0.1:3478");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--turn needs --turn-secret");
  }

  @Test
  void plainWsOnTheNetworkIsRefusedUnlessTheUserSaysInsecure() {
    Run run = run("signal", "--car", "c=k", "--driver-token", "t", "--port", "0");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .contains("refusing plain ws:// on 0.0.0.0")
        .contains("--insecure")
        .doesNotContain("Exception");
  }

  @Test
  void theListeningLineNamesTheAddressReallyBound() {
    assertThat(SignalCommand.listening("127.0.0.1", 8443, false)).isEqualTo("ws://127.0.0.1:8443");
    assertThat(SignalCommand.listening("::1", 8443, true)).isEqualTo("wss://[::1]:8443");
    assertThat(SignalCommand.listening("0.0.0.0", 9000, false))
        .startsWith("0.0.0.0:9000 (all interfaces")
        .contains("ws://127.0.0.1:9000")
        .doesNotContain("[");
  }

  @Test
  void demoTokenCannotBeAddedToARealServer() {
    Run withCar = run("signal", "--demo", "--car", "x=y");
    Run public_ = run("signal", "--demo", "--host", "0.0.0.0");

    assertThat(withCar.exitCode()).isEqualTo(2);
    assertThat(withCar.err()).contains("cannot be combined");
    assertThat(public_.exitCode()).isEqualTo(2);
    assertThat(public_.err()).contains("loopback only");
  }

  @Test
  void aBadDriverPagePortIsRefusedBeforeAnythingStarts() {
    Run run = run("signal", "--demo", "--port", "0", "--web-port", "70000");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("web.port: must be 0-65535");
  }

  @Test
  void aPortInUseIsOneLineSayingWhatToDo() throws Exception {
    try (java.net.ServerSocket taken =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();

      Run run = run("signal", "--demo", "--port", String.valueOf(port), "--no-web");

      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.err().strip())
          .isEqualTo(
              "rcdrive signal: port "
                  + port
                  + " on 127.0.0.1 is in use: stop the program that holds it (ss -ltnp 'sport = :"
                  + port
                  + "') or give another --port");
    }
  }

  @Test
  void unknownCommandIsAnError() {
    Run run = run("fly");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Unmatched argument");
  }

  @Test
  void stationCommandLineMistakesAreOneLineBeforeAnyWindow() {
    Run tokenAlone = run("station", "--token", "t");
    Run badUrl = run("station", "--server", "notaurl", "--token", "t");
    Run noToken = run("station", "--server", "wss://example.org:8443");
    Run unsetToken =
        run("station", "--server", "ws://h:1", "--token", "env:RCDRIVE_TEST_UNSET_VAR");

    assertThat(tokenAlone.exitCode()).isEqualTo(2);
    assertThat(tokenAlone.err())
        .isEqualTo(
            "rcdrive station: --token needs --server (the token belongs to a server)"
                + System.lineSeparator());
    assertThat(badUrl.exitCode()).isEqualTo(2);
    assertThat(badUrl.err())
        .startsWith(
            "rcdrive station: --server notaurl: The server URL must look like wss://host:port")
        .hasLineCount(1);
    assertThat(noToken.err()).contains("--server needs --token").hasLineCount(1);
    assertThat(unsetToken.err()).contains("RCDRIVE_TEST_UNSET_VAR is not set").hasLineCount(1);
  }

  @Test
  void withoutADisplayTheStationSaysSoInOneLine() {
    assertThat(StationCommand.displayProblem(java.util.Map.of(), "Linux", null))
        .startsWith("no display (DISPLAY is not set)");
    assertThat(StationCommand.displayProblem(java.util.Map.of("DISPLAY", ":0"), "Linux", null))
        .isNull();
    assertThat(
            StationCommand.displayProblem(java.util.Map.of("WAYLAND_DISPLAY", "w"), "Linux", null))
        .isNull();
    assertThat(StationCommand.displayProblem(java.util.Map.of(), "Linux", "Monocle")).isNull();
    assertThat(StationCommand.displayProblem(java.util.Map.of(), "Windows 11", null)).isNull();
  }

  @Test
  void anAgentConfigThatIsNotThereSaysNotFound() {
    Path missing = dir.resolve("nope.json");

    Run run = run("agent", "--config", missing.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip()).isEqualTo("rcdrive agent: " + missing + ": not found");
  }
}
