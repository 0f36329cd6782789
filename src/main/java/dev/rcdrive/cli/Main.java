package dev.rcdrive.cli;

import dev.rcdrive.protocol.Version;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
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
    })
public final class Main implements Callable<Integer> {

  /** The commands, by name, in the order help lists them. */
  private static final Map<String, Supplier<Object>> COMMANDS = new LinkedHashMap<>();

  static {
    COMMANDS.put("station", StationCommand::new);
    COMMANDS.put("signal", SignalCommand::new);
    COMMANDS.put("agent", AgentCommand::new);
    COMMANDS.put("probe", ProbeCommand::new);
    // a lambda, not a method reference: picocli's help command is a Java 5 class, which the
    // class-data archive cannot hold once linked, and a reference links it at Main's start
    COMMANDS.put("help", () -> new CommandLine.HelpCommand());
  }

  public static void main(String[] given) {
    String[] args = withCommand(given);
    if (AgentCommand.isRun(args)) {
      AgentCommand.startAhead();
    }
    Callable<Integer> plain = readPlainly(args);
    int exit = plain != null ? run(plain) : commandLine(args).execute(args);
    // webrtc-java's native library prints "VM attach current thread failed" to stdout when the
    // JVM exits once it was loaded; closing stdout first keeps `--json` output one JSON object.
    System.out.flush();
    System.out.close();
    System.exit(exit);
  }

  /**
   * The two command lines that start the product, read without picocli: the station's (every launch
   * of it) and the car's service's. Null for any other: picocli reads it.
   */
  static Callable<Integer> readPlainly(String... args) {
    StationCommand station = StationCommand.readPlainly(args);
    if (station != null) {
      return () -> station.run(new PrintWriter(System.err, true));
    }
    AgentCommand agent = AgentCommand.readPlainly(args);
    if (agent != null) {
      return () -> agent.run(new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    }
    return null;
  }

  /** As picocli's {@code execute} would: a failure nobody foresaw is its trace and exit code 1. */
  private static int run(Callable<Integer> command) {
    try {
      return command.call();
    } catch (Exception e) {
      e.printStackTrace();
      return 1;
    }
  }

  /**
   * No arguments are the station's: {@code rcdrive} and the station package's menu entry run it as
   * {@code rcdrive station}, which {@link StationCommand#readPlainly} reads without picocli
   * (picocli modelling every command cost ~80 ms before JavaFX began, the station's command alone
   * ~40).
   */
  static String[] withCommand(String... args) {
    return args.length == 0 ? new String[] {"station"} : args;
  }

  /** Every command. */
  static CommandLine commandLine() {
    return commandLine(new String[0]);
  }

  /**
   * For {@code args}: when they start with a command's name (help's aside), only that command is
   * modelled. picocli reflects over every option of every command it is given, ~100 ms of a start
   * that the agent's restart after a fault waits for; `rcdrive`, `rcdrive --help`, `rcdrive help X`
   * and a mistyped command get every command, so help and picocli's suggestions are complete.
   */
  static CommandLine commandLine(String... args) {
    String first = args.length > 0 ? args[0] : "";
    boolean one = COMMANDS.containsKey(first) && !first.equals("help");
    CommandLine cli = new CommandLine(new Main());
    COMMANDS.forEach(
        (name, command) -> {
          if (!one || name.equals(first)) {
            cli.addSubcommand(name, command.get());
          }
        });
    return cli.setCaseInsensitiveEnumValuesAllowed(true);
  }

  @Override
  public Integer call() throws Exception {
    return commandLine("station").execute("station");
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
