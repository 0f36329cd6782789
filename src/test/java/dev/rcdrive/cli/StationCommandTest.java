package dev.rcdrive.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The station's command line read without picocli must mean what picocli would read. */
class StationCommandTest {

  static List<List<String>> plain() {
    return List.of(
        List.of("station"),
        List.of("station", "--self-test", "10"),
        List.of("station", "--self-test=3"),
        List.of("station", "--self-test", "0"),
        List.of("station", "--server", "wss://cars.example.org:8443", "--token", "t", "--car", "c"),
        List.of("station", "--server=ws://127.0.0.1:8080", "--token=a=b", "--car="),
        List.of("station", "--token", "env:RCDRIVE_TOKEN", "--server", "ws://h:1"),
        List.of("station", "--car", "demo car"));
  }

  @ParameterizedTest
  @MethodSource("plain")
  void aPlainCommandLineIsReadAsPicocliReadsIt(List<String> args) {
    StationCommand plain = StationCommand.readPlainly(args.toArray(String[]::new));
    StationCommand picocli = MainTest.readByPicocli(new StationCommand(), args);

    assertThat(plain).as("read without picocli").isNotNull();
    assertThat(List.of(plain.server + "", plain.token + "", plain.car + "", plain.selfTestFrames))
        .isEqualTo(
            List.of(
                picocli.server + "", picocli.token + "", picocli.car + "", picocli.selfTestFrames));
  }

  static List<List<String>> forPicocli() {
    return List.of(
        List.of(),
        List.of("agent", "--car", "demo"),
        List.of("help", "station"),
        List.of("--help"),
        List.of("station", "--help"),
        List.of("station", "-h"),
        List.of("station", "--version"),
        List.of("station", "-V"),
        List.of("station", "--server"),
        List.of("station", "--server", "ws://a:1", "--server", "ws://b:1"),
        List.of("station", "--server", "ws://a:1", "--server=ws://b:1"),
        List.of("station", "--self-test", "ten"),
        List.of("station", "--self-test", "-1"),
        List.of("station", "--self-test", "+5"),
        List.of("station", "--self-test", "0x10"),
        List.of("station", "--self-test", "٣"),
        List.of("station", "--self-test", "99999999999"),
        List.of("station", "--self-test="),
        List.of("station", "--car", "--server"),
        List.of("station", "--token", "-t"),
        List.of("station", "@args.txt"),
        List.of("station", "--token", "@secret.txt"),
        List.of("station", "--"),
        List.of("station", "extra"),
        List.of("station", "--bogus", "1"),
        List.of("station", "--Server", "ws://a:1"),
        List.of("Station"));
  }

  @ParameterizedTest
  @MethodSource("forPicocli")
  void anythingElseIsLeftToPicocliAndItsMessages(List<String> args) {
    assertThat(StationCommand.readPlainly(args.toArray(String[]::new))).isNull();
  }

  @Test
  void everyOptionOfTheStationIsReadPlainly() {
    List<OptionSpec> options =
        new CommandLine(new StationCommand())
            .getCommandSpec().options().stream()
                .filter(o -> !o.usageHelp() && !o.versionHelp())
                .toList();

    assertThat(options).hasSizeGreaterThanOrEqualTo(4);
    for (OptionSpec option : options) {
      String value = option.type() == int.class ? "7" : "ws://h:1";
      for (String name : option.names()) {
        assertThat(StationCommand.readPlainly("station", name, value))
            .as("%s read without picocli (else every launch models the command again)", name)
            .isNotNull();
      }
    }
  }

  @Test
  void mistakesReadPlainlyAreTheSameOneLineAsPicocliGives() {
    List<String[]> mistakes =
        List.of(
            new String[] {"station", "--token", "t"},
            new String[] {"station", "--car", "c"},
            new String[] {"station", "--server", "notaurl", "--token", "t"},
            new String[] {"station", "--server", "wss://example.org:8443"},
            new String[] {"station", "--server", "ws://h:1", "--token", "env:RCDRIVE_UNSET_VAR"});
    for (String[] args : mistakes) {
      StringWriter plainErr = new StringWriter();
      int plainExit = StationCommand.readPlainly(args).run(new PrintWriter(plainErr, true));
      MainTest.Run picocli = MainTest.run(args);

      assertThat(plainErr.toString()).as(Arrays.toString(args)).isEqualTo(picocli.err());
      assertThat(plainErr.toString()).startsWith("rcdrive station: ").hasLineCount(1);
      assertThat(plainExit).isEqualTo(picocli.exitCode()).isEqualTo(2);
    }
  }
}
