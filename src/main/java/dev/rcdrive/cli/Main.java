package dev.rcdrive.cli;

import dev.rcdrive.protocol.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code rcdrive}: one entry point for every part of rcdrive. */
@Command(
    name = "rcdrive",
    mixinStandardHelpOptions = true,
    versionProvider = Main.VersionProvider.class,
    description = {
      "Drive a real RC car over the internet with very little latency.",
      "Without a command it starts the driver station; with no car configured, the station"
          + " runs the built-in demo (an embedded signaling server and a simulated car)."
    },
    subcommands = {
      StationCommand.class,
      SignalCommand.class,
      AgentCommand.class,
      ProbeCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements java.util.concurrent.Callable<Integer> {

  public static void main(String[] args) {
    int exit = commandLine().execute(args);
    // webrtc-java's native library prints "VM attach current thread failed" to stdout when the
    // JVM exits once it was loaded; closing stdout first keeps `--json` output one JSON object.
    System.out.flush();
    System.out.close();
    System.exit(exit);
  }

  static CommandLine commandLine() {
    return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
  }

  @Override
  public Integer call() throws Exception {
    return commandLine().execute("station");
  }

  /** Prints the version from the jar manifest. */
  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
        "rcdrive " + Version.current(),
        "Java "
            + System.getProperty("java.version")
            + " ("
            + System.getProperty("java.vendor")
            + ")",
        "OS " + System.getProperty("os.name") + " " + System.getProperty("os.arch")
      };
    }
  }
}
