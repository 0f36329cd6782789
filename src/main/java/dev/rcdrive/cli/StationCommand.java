package dev.rcdrive.cli;

import dev.rcdrive.agent.AgentConfig;
import dev.rcdrive.agent.CarAgent;
import dev.rcdrive.agent.CarParts;
import dev.rcdrive.agent.RenderedCamera;
import dev.rcdrive.agent.assembly.CarAssembly;
import dev.rcdrive.rtc.RtcEngine;
import dev.rcdrive.signaling.SignalingConfig;
import dev.rcdrive.signaling.SignalingServer;
import dev.rcdrive.station.app.StationApp;
import dev.rcdrive.station.app.StationContext;
import java.io.PrintWriter;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rcdrive station} (the default): the driver station. Without a server it starts the demo:
 * an embedded signaling server on a free loopback port and a simulated car in this process,
 * connected over real WebRTC, drivable at once.
 */
@Command(
    name = "station",
    mixinStandardHelpOptions = true,
    versionProvider = Main.VersionProvider.class,
    description = {
      "The driver station. With no --server it starts the built-in demo: an embedded signaling"
          + " server and a simulated car, drivable with the keyboard at once."
    },
    sortOptions = false)
final class StationCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  private static final String SERVER = "--server";
  private static final String TOKEN = "--token";
  private static final String CAR = "--car";
  private static final String SELF_TEST = "--self-test";

  @Option(
      names = SERVER,
      paramLabel = "URL",
      description = "Connect to this signaling server at start.")
  String server;

  @Option(names = TOKEN, paramLabel = "TOKEN", description = "Driver token (or env:NAME).")
  String token;

  @Option(names = CAR, paramLabel = "ID", description = "Drive this car at start.")
  String car;

  @Option(
      names = SELF_TEST,
      paramLabel = "FRAMES",
      description =
          "Close the window after FRAMES video frames were shown, print what was measured, exit 0"
              + " (1 if no video came within 60 s). For installers and CI.")
  int selfTestFrames;

  /**
   * {@code station} and its own options in their plain forms ({@code --server URL}, {@code
   * --server=URL}, each once, a whole number of frames), read without picocli: every launch takes
   * this path (the menu's, the README's), and picocli's model of the command, built from its
   * annotations, held it ~75 ms before JavaFX could begin (docs/benchmarks.md, "Start-up, a
   * thirteenth time"). Null for anything else, help, version, a mistake, an argument file: picocli
   * reads those, with its messages.
   */
  static StationCommand readPlainly(String... args) {
    if (args.length == 0 || !args[0].equals("station")) {
      return null;
    }
    StationCommand command = new StationCommand();
    Set<String> given = new HashSet<>();
    for (int i = 1; i < args.length; i++) {
      int equals = args[i].indexOf('=');
      String name = equals > 0 ? args[i].substring(0, equals) : args[i];
      String value;
      if (equals > 0) {
        value = args[i].substring(equals + 1);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        return null;
      }
      if (!given.add(name) || value.startsWith("-") || value.startsWith("@")) {
        return null;
      }
      switch (name) {
        case SERVER -> command.server = value;
        case TOKEN -> command.token = value;
        case CAR -> command.car = value;
        case SELF_TEST -> {
          if (!isPlainCount(value)) {
            return null;
          }
          command.selfTestFrames = Integer.parseInt(value);
        }
        default -> {
          return null;
        }
      }
    }
    return command;
  }

  private static boolean isPlainCount(String value) {
    if (value.isEmpty() || value.length() > 9) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      if (value.charAt(i) < '0' || value.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  @Override
  public Integer call() {
    return run(spec.commandLine().getErr());
  }

  /** Runs the station until its window closes; a mistake on the command line is one line on err. */
  int run(PrintWriter err) {
    String problem = commandLineProblem(System.getenv());
    if (problem != null) {
      err.println("rcdrive station: " + problem);
      return 2;
    }
    // started from a menu, there is no terminal
    dev.rcdrive.station.app.StationLog.toFile(new LogLineEncoder(true));
    // WebRTC's native library and the demo's server and car start while JavaFX does.
    java.util.concurrent.ExecutorService starter =
        java.util.concurrent.Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "station-startup");
              t.setDaemon(true);
              return t;
            });
    CompletableFuture<RtcEngine> engine = CompletableFuture.supplyAsync(RtcEngine::create, starter);
    java.io.PrintStream stderr = StartupNoise.quiet();
    try {
      return launch(engine, starter);
    } finally {
      StartupNoise.restore(stderr);
    }
  }

  private int launch(
      CompletableFuture<RtcEngine> engine, java.util.concurrent.ExecutorService starter) {
    if (server != null) {
      StationContext.Target target =
          new StationContext.Target(server, AgentCommand.resolveSecret(token), car, false);
      StationApp.launch(
          new StationContext(
              engine,
              engine.thenApply(ready -> target),
              () -> {},
              () -> closeQuietly(engine, null),
              selfTestFrames));
      starter.shutdown();
      return exitCode();
    }
    CompletableFuture<Demo> demo = engine.thenApplyAsync(Demo::startUnchecked, starter);
    StationApp.launch(
        new StationContext(
            engine,
            demo.thenApply(Demo::target),
            () -> demo.thenAccept(Demo::windowShown),
            () -> closeQuietly(engine, demo),
            selfTestFrames));
    starter.shutdown();
    return exitCode();
  }

  /**
   * What keeps the station from starting, in one line, before any window: a flag without the flag
   * it belongs to, a malformed URL, no display. Null when it can start.
   */
  String commandLineProblem(java.util.Map<String, String> env) {
    if (server == null && token != null) {
      return "--token needs --server (the token belongs to a server)";
    }
    if (server == null && car != null) {
      return "--car needs --server (and --token): without them the station runs the demo";
    }
    if (server != null) {
      String urlProblem = dev.rcdrive.station.app.StationViewModel.serverUrlProblem(server);
      if (urlProblem != null) {
        return "--server " + server + ": " + urlProblem;
      }
      if (token == null || token.isBlank()) {
        return "--server needs --token (your driver token, or env:NAME)";
      }
      String secret = AgentCommand.resolveSecret(token);
      if (secret == null || secret.isBlank()) {
        return "--token "
            + token
            + ": the environment variable "
            + token.substring(4)
            + " is not set";
      }
    }
    if (selfTestFrames < 0) {
      return "--self-test: FRAMES must be 1 or more";
    }
    return displayProblem(
        env, System.getProperty("os.name", ""), System.getProperty("glass.platform"));
  }

  /** On Linux a window needs an X or Wayland display; JavaFX otherwise fails with a stack trace. */
  static String displayProblem(java.util.Map<String, String> env, String osName, String glass) {
    boolean linux = osName.toLowerCase(java.util.Locale.ROOT).contains("linux");
    if (!linux || "Monocle".equalsIgnoreCase(glass)) {
      return null; // macOS and Windows always have one; Monocle draws headless
    }
    boolean display =
        !env.getOrDefault("DISPLAY", "").isBlank()
            || !env.getOrDefault("WAYLAND_DISPLAY", "").isBlank();
    return display
        ? null
        : "no display (DISPLAY is not set): start it from a desktop session, or for a test under"
            + " xvfb-run";
  }

  /** On exit: the demo (if it started), then the engine (if it loaded). */
  private static void closeQuietly(
      CompletableFuture<RtcEngine> engine, CompletableFuture<Demo> demo) {
    if (demo != null) {
      demo.thenAccept(Demo::close).exceptionally(failure -> null).join();
    }
    engine.thenAccept(RtcEngine::close).exceptionally(failure -> null).join();
  }

  private int exitCode() {
    return selfTestFrames > 0 && !StationApp.selfTestPassed() ? 1 : 0;
  }

  /** The built-in demo: a signaling server on a free loopback port and a simulated car. */
  static final class Demo implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Demo.class);
    private static final String CAR = "demo";

    /** How long the demo waits for its car to be welcomed by its server (~20 ms when idle). */
    static final java.time.Duration DEMO_CAR_REGISTERS = java.time.Duration.ofSeconds(10);

    /** The demo car's camera rate. */
    static final int FPS = 30;

    /**
     * Its rate until the station's window is on screen: the car runs in the station's process, and
     * its pictures (720p, drawn and encoded: ~13 ms of CPU each) came out of the window's start on
     * two cores while nobody could see them; a few keep the video warm, so that a picture is there
     * when the window is (docs/benchmarks.md, "Start-up, a fourteenth time").
     */
    static final int FPS_WHILE_THE_WINDOW_OPENS = 5;

    private final SignalingServer server;
    private final CarAgent car;
    private final RenderedCamera camera;
    private final String token;

    private Demo(SignalingServer server, CarAgent car, RenderedCamera camera, String token) {
      this.server = server;
      this.car = car;
      this.camera = camera;
      this.token = token;
    }

    static Demo start(RtcEngine engine) throws Exception {
      // Fresh secrets each run: the demo server listens on loopback, but nothing else may drive.
      String key = java.util.UUID.randomUUID().toString();
      String token = java.util.UUID.randomUUID().toString();
      SignalingServer server =
          SignalingServer.start(
              new SignalingConfig(
                  "127.0.0.1",
                  0,
                  null,
                  List.of(new SignalingConfig.Car(CAR, "Demo car", key)),
                  List.of(new SignalingConfig.Driver("you", token)),
                  List.of(),
                  null));
      AgentConfig config =
          new AgentConfig(
              server.uri().toString(),
              CAR,
              key,
              new AgentConfig.Camera(AgentConfig.CameraKind.SIM, 1280, 720, FPS),
              AgentConfig.ActuatorKind.SIM,
              250,
              null,
              null);
      CarParts parts = CarAssembly.system().open(config);
      RenderedCamera camera = (RenderedCamera) parts.camera(); // a simulated car's is drawn
      camera.drawOneIn(FPS / FPS_WHILE_THE_WINDOW_OPENS);
      CarAgent car = CarAssembly.startOn(parts, config, engine);
      // The station asks for the car as soon as this returns: the car must be known to the server
      // by then, or the demo starts with "Demo car is offline" (it did, under load).
      try {
        car.registered().get(DEMO_CAR_REGISTERS.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        log.warn(
            "the demo car is not registered after {} s: connecting anyway",
            DEMO_CAR_REGISTERS.toSeconds());
      } catch (ExecutionException e) {
        log.warn(
            "the demo car was not registered ({}): connecting anyway", e.getCause().getMessage());
      } catch (InterruptedException e) { // the station is closing: nothing left running
        car.close();
        server.close();
        throw e;
      }
      return new Demo(server, car, camera, token);
    }

    static Demo startUnchecked(RtcEngine engine) {
      try {
        return start(engine);
      } catch (Exception e) {
        throw new java.util.concurrent.CompletionException("the demo could not start", e);
      }
    }

    /** The station's window is on screen: the car's camera at its full rate. */
    void windowShown() {
      camera.drawOneIn(1);
    }

    /** The car's camera's rate now, in frames a second. */
    int cameraFps() {
      return FPS / camera.drawsOneIn();
    }

    StationContext.Target target() {
      return new StationContext.Target(server.uri().toString(), token, CAR, true);
    }

    @Override
    public void close() {
      car.close();
      server.close();
    }
  }
}
