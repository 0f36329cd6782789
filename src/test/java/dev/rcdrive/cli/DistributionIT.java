package dev.rcdrive.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rcdrive.protocol.SignalCodec;
import dev.rcdrive.protocol.SignalMessage;
import dev.rcdrive.protocol.SignalMessage.Hello;
import dev.rcdrive.testing.ProcessLines;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Runs the packaged launcher, target/dist/bin/rcdrive, as a user would (after {@code package}), and
 * talks to the server it starts with the JDK's own WebSocket client.
 */
class DistributionIT {

  private static final Path LAUNCHER = Path.of("target", "dist", "bin", "rcdrive");

  private static Process launch(String... args) throws Exception {
    return launchWith("", args);
  }

  /** The launcher with {@code javaOpts} in JAVA_OPTS (none when empty). */
  private static Process launchWith(String javaOpts, String... args) throws Exception {
    String[] command = new String[args.length + 1];
    command[0] = LAUNCHER.toAbsolutePath().toString();
    System.arraycopy(args, 0, command, 1, args.length);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    if (!javaOpts.isEmpty()) {
      builder.environment().put("JAVA_OPTS", javaOpts);
    }
    return builder.start();
  }

  /** Runs the launcher to its end (30 s at most): its exit status and everything it printed. */
  private static String runToEnd(Process process) throws Exception {
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }

  @Test
  void launcherPrintsItsVersion() throws Exception {
    assertThat(Files.isExecutable(LAUNCHER)).as(LAUNCHER + " is executable").isTrue();
    assertThat(Files.exists(Path.of("target", "dist", "bin", "rcdrive.cmd"))).isTrue();
    String output = runToEnd(launch("--version"));

    assertThat(output).startsWith("rcdrive " + System.getProperty("project.version", ""));
  }

  @Test
  void launcherStartsWithTheClassDataArchiveTheBuildMade() throws Exception {
    assertThat(Path.of("target", "dist", "cds", "rcdrive.jsa")).exists();
    // -Xshare:on after the launcher's -Xshare:auto: the JVM refuses to start unless it maps the
    // archive, and the class-load log says where rcdrive's own main class came from.
    String output = runToEnd(launchWith("-Xshare:on -Xlog:class+load=info", "--version"));

    assertThat(output).contains("dev.rcdrive.cli.Main source: shared objects file");
  }

  @Test
  void theAgentStartsWithAnArchiveOfItsOwn() throws Exception {
    assertThat(Path.of("target", "dist", "cds", "agent.jsa")).exists();
    String output =
        runToEnd(launchWith("-Xshare:on -Xlog:cds=info -Xlog:class+load=info", "agent", "--help"));

    assertThat(output)
        .contains("agent.jsa")
        .doesNotContain("rcdrive.jsa")
        .contains("dev.rcdrive.cli.Main source: shared objects file");
  }

  @Test
  void theStationAloneGetsTheLaterSecondCompilerAndHugePages() throws Exception {
    Pattern tier4 = Pattern.compile("Tier4InvocationThreshold\\s+= (\\d+)");
    // Asked for on the command line; whether the kernel gives huge pages is the machine's matter.
    Pattern hugePages =
        Pattern.compile("UseTransparentHugePages\\s+= \\w+\\s+\\{product\\} \\{command line\\}");
    String station = runToEnd(launchWith("-XX:+PrintFlagsFinal", "station", "--help"));
    String agent = runToEnd(launchWith("-XX:+PrintFlagsFinal", "agent", "--help"));

    Matcher forStation = tier4.matcher(station);
    Matcher forAgent = tier4.matcher(agent);
    assertThat(forStation.find()).as(station).isTrue();
    assertThat(forAgent.find()).as(agent).isTrue();
    assertThat(forStation.group(1)).isEqualTo("80000"); // sixteen times the JDK's 5000
    assertThat(forAgent.group(1)).isEqualTo("5000");
    assertThat(hugePages.matcher(station).find()).as(station).isTrue();
    assertThat(hugePages.matcher(agent).find()).as(agent).isFalse();
  }

  /** The first group of the first matching line of the output, or null; 30 s at most. */
  private static String firstGroup(Process process, Pattern pattern) throws Exception {
    return ProcessLines.first(process, pattern, Duration.ofSeconds(30));
  }

  /**
   * The car agent's JVM runs with the JDK's signal-chaining library (bin/rcdrive preloads it: on
   * 32-bit ARM a native library's signal() took the JVM's SIGILL handler apart), read from the
   * running JVM's own memory map; the server's JVM without it.
   */
  @Test
  void theAgentAloneRunsWithTheJdksSignalChaining() throws Exception {
    // No server at that address: the car starts and keeps retrying, which is all this needs.
    Process agent =
        launch(
            "agent",
            "--server",
            "ws://127.0.0.1:9",
            "--car",
            "chained",
            "--key",
            "k",
            "--camera",
            "test",
            "--actuator",
            "sim");
    Process server = launch("signal", "--demo", "--port", "0");
    try {
      assertThat(firstGroup(agent, Pattern.compile("(car chained started)"))).isNotNull();
      assertThat(firstGroup(server, Pattern.compile("(listening on)"))).isNotNull();

      // The launcher execs the JVM: the process is the JVM.
      assertThat(Files.readString(Path.of("/proc", String.valueOf(agent.pid()), "maps")))
          .contains("/lib/libjsig.so");
      assertThat(Files.readString(Path.of("/proc", String.valueOf(server.pid()), "maps")))
          .doesNotContain("libjsig");
    } finally {
      agent.destroy();
      server.destroy();
      assertThat(agent.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(server.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void launcherRunsTheDemoSignalingServerThatAcceptsTheDemoCar() throws Exception {
    Process process = launch("signal", "--demo", "--port", "0");
    try {
      String address = firstGroup(process, Pattern.compile("listening on (ws://\\S+)"));
      assertThat(address).as("the server printed its address").isNotNull();
      URI uri = URI.create(address);

      CompletableFuture<String> reply = new CompletableFuture<>();
      WebSocket socket =
          HttpClient.newHttpClient()
              .newWebSocketBuilder()
              .buildAsync(
                  uri,
                  new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(
                        WebSocket ws, CharSequence data, boolean last) {
                      reply.complete(data.toString());
                      return null;
                    }
                  })
              .get(10, TimeUnit.SECONDS);
      socket.sendText(SignalCodec.encode(Hello.car("demo", "demo-key", "it")), true);

      SignalMessage welcome = SignalCodec.decode(reply.get(10, TimeUnit.SECONDS)).orElseThrow();
      assertThat(welcome).isInstanceOf(SignalMessage.Welcome.class);
      socket.abort();
    } finally {
      process.destroy();
      assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
    }
  }

  /**
   * {@code systemctl reload} sends SIGHUP: the server re-reads its config, here a driver token kept
   * in a file the server does not watch, so only the signal can make it notice. The session that
   * logged in with the old token is closed with REVOKED, and the old token is refused after it.
   */
  @Test
  void sighupReloadsAndRevokesASessionWhoseTokenChanged() throws Exception {
    Path dir = Files.createTempDirectory("rcdrive-hup");
    Path token = Files.writeString(dir.resolve("alice.token"), "old-token\n");
    Path config =
        Files.writeString(
            dir.resolve("signal.json"),
            "{\"host\":\"127.0.0.1\",\"port\":0,\"web\":{\"enabled\":false},"
                + "\"cars\":[{\"id\":\"buggy\",\"key\":\"k\"}],"
                + "\"drivers\":[{\"name\":\"alice\",\"token\":\"file:"
                + token
                + "\"}]}");
    // A process started with SIGHUP ignored (under nohup, as CI harnesses may be) passes that on,
    // and a JVM leaves an ignored SIGHUP ignored: give the server the default, as systemd does.
    Process process =
        new ProcessBuilder(
                "env",
                "--default-signal=HUP",
                LAUNCHER.toAbsolutePath().toString(),
                "signal",
                "--config",
                config.toString())
            .redirectErrorStream(true)
            .start();
    try {
      String address = firstGroup(process, Pattern.compile("listening on (ws://\\S+)"));
      assertThat(address).isNotNull();
      URI uri = URI.create(address);
      CompletableFuture.runAsync(
          () -> {
            try {
              process.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            } catch (java.io.IOException ended) {
              // the process ended
            }
          });
      java.util.concurrent.BlockingQueue<String> before = driver(uri, "old-token");
      assertThat(before.poll(10, TimeUnit.SECONDS)).contains("\"welcome\"");

      Files.writeString(token, "new-token\n");
      assertThat(
              new ProcessBuilder("kill", "-HUP", String.valueOf(process.pid())).start().waitFor())
          .isZero();

      assertThat(nextOtherThanCars(before)).contains("REVOKED");
      assertThat(driver(uri, "old-token").poll(10, TimeUnit.SECONDS)).contains("AUTH_FAILED");
      assertThat(driver(uri, "new-token").poll(10, TimeUnit.SECONDS)).contains("\"welcome\"");
      assertThat(process.isAlive()).as("SIGHUP reloads; it does not stop the server").isTrue();
    } finally {
      process.destroy();
      assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
    }
  }

  private static String nextOtherThanCars(java.util.concurrent.BlockingQueue<String> messages)
      throws InterruptedException {
    for (String message = messages.poll(10, TimeUnit.SECONDS);
        message != null;
        message = messages.poll(10, TimeUnit.SECONDS)) {
      if (!message.contains("\"cars\"")) {
        return message;
      }
    }
    return "nothing within 10 s";
  }

  /** A driver's hello; every text frame the server sends, and "closed CODE" at the end. */
  private static java.util.concurrent.BlockingQueue<String> driver(URI uri, String token)
      throws Exception {
    java.util.concurrent.BlockingQueue<String> messages =
        new java.util.concurrent.LinkedBlockingQueue<>();
    WebSocket socket =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .buildAsync(
                uri,
                new WebSocket.Listener() {
                  @Override
                  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                    messages.add(data.toString());
                    ws.request(1);
                    return null;
                  }

                  @Override
                  public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
                    messages.add("closed " + code + " " + reason);
                    return null;
                  }
                })
            .get(10, TimeUnit.SECONDS);
    socket.sendText(SignalCodec.encode(Hello.driver(token, "it")), true);
    return messages;
  }
}
