package dev.rcdrive.cli;

import dev.rcdrive.agent.AgentConfig;
import dev.rcdrive.agent.CarAgent;
import dev.rcdrive.rtc.RtcEngine;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rcdrive agent}: the car. Runs until interrupted; goes neutral on the way out. */
@Command(
    name = "agent",
    mixinStandardHelpOptions = true,
    versionProvider = Main.VersionProvider.class,
    description = {
      "Run the car: register with the signaling server, stream the camera to the driver, apply"
          + " control frames within the car's limits (see docs/protocol.md).",
      "Flags override the config file. Secrets may be written as env:NAME."
    },
    sortOptions = false)
final class AgentCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "agent.json (see packaging/agent/).")
  Path config;

  @Option(
      names = "--server",
      paramLabel = "URL",
      description = "Signaling server, ws:// or wss://.")
  String server;

  @Option(names = "--car", paramLabel = "ID", description = "This car's id on the server.")
  String carId;

  @Option(names = "--key", paramLabel = "KEY", description = "This car's key (or env:NAME).")
  String key;

  @Option(
      names = "--camera",
      paramLabel = "sim|test",
      description = "sim: the simulator's view; test: a test pattern.")
  String camera;

  @Option(
      names = "--size",
      paramLabel = "WxH",
      description = "Camera resolution (default 1280x720).")
  String size;

  @Option(names = "--fps", paramLabel = "FPS", description = "Camera frame rate (default 30).")
  Integer fps;

  @Option(
      names = "--actuator",
      paramLabel = "sim",
      description = "Outputs: sim (the simulated car).")
  String actuator;

  @Option(
      names = "--failsafe-ms",
      paramLabel = "MS",
      description = "Neutral after this long without a valid control frame (default 250).")
  Integer failsafeMs;

  @Override
  public Integer call() throws Exception {
    AgentConfig base;
    try {
      base =
          config == null
              ? new AgentConfig(null, null, null, null, null, null, null, null)
              : AgentConfig.load(config);
    } catch (java.io.IOException e) {
      spec.commandLine()
          .getErr()
          .println(
              "rcdrive agent: " + config + ": " + e.getMessage().lines().findFirst().orElse(""));
      return 2;
    }
    AgentConfig.Camera cam = base.camera();
    int width = cam.width();
    int height = cam.height();
    if (size != null) {
      String[] parts = size.toLowerCase(java.util.Locale.ROOT).split("x");
      if (parts.length != 2) {
        spec.commandLine().getErr().println("rcdrive agent: --size: expected WxH, e.g. 1280x720");
        return 2;
      }
      width = Integer.parseInt(parts[0]);
      height = Integer.parseInt(parts[1]);
    }
    AgentConfig merged =
        new AgentConfig(
            server != null ? server : base.server(),
            carId != null ? carId : base.carId(),
            resolveSecret(key != null ? key : base.key()),
            new AgentConfig.Camera(
                camera != null ? camera : cam.type(), width, height, fps != null ? fps : cam.fps()),
            actuator != null ? actuator : base.actuator(),
            failsafeMs != null ? failsafeMs : base.failsafeMs(),
            base.limits(),
            base.video());
    List<String> problems = merged.problems();
    if (!problems.isEmpty()) {
      problems.forEach(p -> spec.commandLine().getErr().println("rcdrive agent: " + p));
      return 2;
    }
    RtcEngine engine = RtcEngine.create();
    CarAgent agent = CarAgent.start(merged, engine);
    CountDownLatch stop = new CountDownLatch(1);
    // Neutral first on any exit: the shutdown hook closes the agent before anything else.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  agent.close();
                  engine.close();
                  stop.countDown();
                },
                "agent-shutdown"));
    spec.commandLine()
        .getOut()
        .println("rcdrive agent: car '" + merged.carId() + "' on " + merged.server());
    spec.commandLine().getOut().flush();
    stop.await();
    return 0;
  }

  static String resolveSecret(String value) {
    if (value != null && value.startsWith("env:")) {
      return System.getenv(value.substring(4));
    }
    return value;
  }
}
