package dev.rcdrive.cli;

import dev.rcdrive.agent.AgentConfig;
import dev.rcdrive.agent.CarAgent;
import dev.rcdrive.agent.assembly.CarAssembly;
import dev.rcdrive.rtc.RtcEngine;
import dev.rcdrive.signaling.SignalingConfig;
import dev.rcdrive.signaling.SignalingServer;
import dev.rcdrive.station.app.StationApp;
import dev.rcdrive.station.app.StationContext;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
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

  @Option(
      names = "--server",
      paramLabel = "URL",
      description = "Connect to this signaling server at start.")
  String server;

  @Option(names = "--token", paramLabel = "TOKEN", description = "Driver token (or env:NAME).")
  String token;

  @Option(names = "--car", paramLabel = "ID", description = "Drive this car at start.")
  String car;

  @Option(
      names = "--self-test",
      paramLabel = "FRAMES",
      description =
          "Close the window after FRAMES video frames were shown, print what was measured, exit 0"
              + " (1 if no video came within 60 s). For installers and CI.")
  int selfTestFrames;

  @Override
  public Integer call() throws Exception {
    dev.rcdrive.station.app.StationLog.toFile(); // started from a menu, there is no terminal
    // WebRTC's native library and the demo's server and car start while JavaFX does.
    java.util.concurrent.ExecutorService starter =
        java.util.concurrent.Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "station-startup");
              t.setDaemon(true);
              return t;
            });
    CompletableFuture<RtcEngine> engine = CompletableFuture.supplyAsync(RtcEngine::create, starter);
    if (server != null) {
      StationContext.Target target =
          new StationContext.Target(server, AgentCommand.resolveSecret(token), car, false);
      StationApp.launch(
          new StationContext(
              engine,
              engine.thenApply(ready -> target),
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
            () -> closeQuietly(engine, demo),
            selfTestFrames));
    starter.shutdown();
    return exitCode();
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
    private static final String CAR = "demo";
    private final SignalingServer server;
    private final CarAgent car;
    private final String token;

    private Demo(SignalingServer server, CarAgent car, String token) {
      this.server = server;
      this.car = car;
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
      CarAgent car =
          CarAssembly.start(
              new AgentConfig(
                  server.uri().toString(),
                  CAR,
                  key,
                  new AgentConfig.Camera(AgentConfig.CameraKind.SIM, 1280, 720, 30),
                  AgentConfig.ActuatorKind.SIM,
                  250,
                  null,
                  null),
              engine);
      return new Demo(server, car, token);
    }

    static Demo startUnchecked(RtcEngine engine) {
      try {
        return start(engine);
      } catch (Exception e) {
        throw new java.util.concurrent.CompletionException("the demo could not start", e);
      }
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
