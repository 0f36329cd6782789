package dev.rcdrive.cli;

import dev.rcdrive.agent.AgentConfig;
import dev.rcdrive.agent.CarAgent;
import dev.rcdrive.agent.assembly.CarAssembly;
import dev.rcdrive.agent.assembly.HardwareCheck;
import dev.rcdrive.agent.assembly.NativeCheck;
import dev.rcdrive.agent.camera.CameraProgram;
import dev.rcdrive.agent.camera.Cameras;
import dev.rcdrive.agent.output.Calibrator;
import dev.rcdrive.agent.output.Hardware;
import dev.rcdrive.agent.output.Outputs;
import dev.rcdrive.agent.output.Pi4jHardware;
import dev.rcdrive.agent.service.SystemdService;
import dev.rcdrive.agent.telemetry.Commands;
import dev.rcdrive.agent.telemetry.PiSensors;
import dev.rcdrive.rtc.NativeLoadFailure;
import dev.rcdrive.rtc.RtcEngine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import java.util.function.Supplier;
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

  private static final String CONFIG = "--config";
  private static final String NEUTRAL = "--neutral";

  @Option(
      names = CONFIG,
      paramLabel = "FILE",
      description =
          "agent.json (default /etc/rcdrive/agent.json when it exists; see packaging/agent/).")
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
      paramLabel = "TYPE",
      description =
          "sim: the simulator's view; test: a test pattern; rpicam: the Pi camera; usb: a webcam"
              + " (camera.device in the config).")
  String camera;

  @Option(
      names = "--size",
      paramLabel = "WxH",
      description = "Camera resolution (default 1280x720).")
  String size;

  @Option(names = "--fps", paramLabel = "FPS", description = "Camera frame rate (default 30).")
  Integer fps;

  @Option(
      names = "--encoder",
      paramLabel = "PATH",
      description =
          "Video path: software (webrtc-java), hardware (GStreamer with the board's H.264"
              + " encoder) or auto (camera.encoder in the config).")
  String encoder;

  @Option(
      names = "--actuator",
      paramLabel = "TYPE",
      description = "Outputs: sim, pca9685, sysfs-pwm or hbridge (details in the config file).")
  String actuator;

  @Option(
      names = "--failsafe-ms",
      paramLabel = "MS",
      description = "Neutral after this long without a valid control frame (default 250).")
  Integer failsafeMs;

  @Option(
      names = "--check",
      description =
          "Check the config, the native libraries (WebRTC connects to itself; GStreamer and its"
              + " elements on the hardware video path; Pi4J's when I2C or GPIO is used) and the hardware (camera gives a frame, outputs open at neutral,"
              + " sensors answer) without connecting to a server, then exit: 0 all good, 1 a part"
              + " failed, 2 bad config.")
  boolean check;

  @Option(
      names = "--calibrate",
      paramLabel = "steering|throttle",
      description =
          "Step that output's pulse width from the terminal to find its end points and neutral;"
              + " prints the values for agent.json. Lift the wheels off the ground first.")
  String calibrate;

  @Option(
      names = NEUTRAL,
      description =
          "Put the configured outputs to neutral and exit (the service runs it after the agent"
              + " stopped for any reason, a crash included: a PCA9685 or a PWM channel keeps its"
              + " last pulse when the process that set it dies).")
  boolean neutral;

  @Option(
      names = "--list-cameras",
      description = "List the USB (V4L2) cameras and their modes, and the Pi camera program.")
  boolean listCameras;

  /** Where --calibrate reads its commands; tests replace it. */
  InputStream in = System.in;

  /** The Pi's buses; tests replace it with fakes. */
  Supplier<Hardware> hardware = Pi4jHardware::new;

  /** The native libraries --check loads (WebRTC's loopback is slow under emulation: 60 s). */
  Function<AgentConfig, List<NativeCheck>> natives =
      config -> NativeCheck.forConfig(config, Duration.ofSeconds(60));

  /** The installed config, read when {@code --config} is not given (tests point it elsewhere). */
  Path defaultConfig = AgentConfig.DEFAULT_PATH;

  /**
   * The service's own command lines, read without picocli: {@code agent --config FILE} (every start
   * and restart of the car) and {@code agent --neutral --config FILE} (its stop step's fallback,
   * which puts the outputs to neutral when the step without a JVM could not), each also with {@code
   * --config=FILE}. picocli's model of this command, built from its annotations on the main thread,
   * was part of the wait for signaling READY and of the fallback's way to neutral
   * (docs/benchmarks.md, "Start-up, a thirteenth time"). Null for any other command line: picocli
   * reads it, with its messages.
   */
  static AgentCommand readPlainly(String... args) {
    if (args.length < 2 || !args[0].equals("agent")) {
      return null;
    }
    boolean neutral = args[1].equals(NEUTRAL);
    int at = neutral ? 2 : 1;
    String file = null;
    if (args.length == at + 2 && args[at].equals(CONFIG)) {
      file = args[at + 1];
    } else if (args.length == at + 1 && args[at].startsWith(CONFIG + "=")) {
      file = args[at].substring(CONFIG.length() + 1);
    }
    if (file == null || file.isEmpty() || file.startsWith("-") || file.startsWith("@")) {
      return null;
    }
    AgentCommand command = new AgentCommand();
    try {
      command.config = Path.of(file);
    } catch (java.nio.file.InvalidPathException e) {
      return null; // picocli says what is wrong with it
    }
    command.neutral = neutral;
    return command;
  }

  @Override
  public Integer call() throws Exception {
    return run(spec.commandLine().getOut(), spec.commandLine().getErr());
  }

  /** Runs the command; what it reports goes to out, mistakes and failures to err. */
  int run(PrintWriter out, PrintWriter err) throws Exception {
    if (listCameras) {
      return listCameras(out);
    }
    Path file = config;
    if (file == null && Files.isRegularFile(defaultConfig)) {
      file = defaultConfig;
    }
    if (check && file == null && camera == null && actuator == null) {
      // the defaults are a test picture and a simulated car: "all good" would be a false comfort
      err.println(
          "rcdrive agent: --check: nothing to check: no --config given and "
              + defaultConfig
              + " does not exist; give --config FILE (or --camera and --actuator)");
      return 2;
    }
    AgentConfig base;
    try {
      base =
          file == null
              ? new AgentConfig(null, null, null, null, null, null, null, null)
              : AgentConfig.load(file);
    } catch (AgentConfig.InvalidConfigException e) {
      e.problems().forEach(p -> err.println("rcdrive agent: " + p));
      return 2;
    } catch (java.nio.file.NoSuchFileException e) {
      err.println("rcdrive agent: " + file + ": not found");
      return 2;
    } catch (java.nio.file.AccessDeniedException e) {
      err.println("rcdrive agent: " + file + ": permission denied");
      return 2;
    } catch (IOException e) {
      String why = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
      err.println(
          "rcdrive agent: "
              + file
              + ": "
              + (why.isEmpty() || why.equals(String.valueOf(file))
                  ? "cannot read (" + e.getClass().getSimpleName() + ")"
                  : why));
      return 2;
    } catch (IllegalArgumentException e) {
      err.println("rcdrive agent: " + file + ": " + e.getMessage());
      return 2;
    }
    AgentConfig.Camera cam = base.camera();
    int width = cam.width();
    int height = cam.height();
    if (size != null) {
      String[] parts = size.toLowerCase(java.util.Locale.ROOT).split("x");
      try {
        if (parts.length != 2) {
          throw new NumberFormatException();
        }
        width = Integer.parseInt(parts[0]);
        height = Integer.parseInt(parts[1]);
      } catch (NumberFormatException e) {
        err.println("rcdrive agent: --size: expected WxH, e.g. 1280x720, got " + size);
        return 2;
      }
    }
    AgentConfig.CameraKind cameraKind;
    AgentConfig.ActuatorKind actuatorKind;
    try {
      cameraKind = camera != null ? AgentConfig.CameraKind.of(camera) : cam.type();
    } catch (IllegalArgumentException e) {
      err.println("rcdrive agent: --camera: " + e.getMessage());
      return 2;
    }
    AgentConfig.Encoder encoderKind;
    try {
      encoderKind = encoder != null ? AgentConfig.Encoder.of(encoder) : cam.encoder();
    } catch (IllegalArgumentException e) {
      err.println("rcdrive agent: --encoder: " + e.getMessage());
      return 2;
    }
    try {
      actuatorKind = actuator != null ? AgentConfig.ActuatorKind.of(actuator) : base.actuator();
    } catch (IllegalArgumentException e) {
      err.println("rcdrive agent: --actuator: " + e.getMessage());
      return 2;
    }
    AgentConfig merged =
        base.with(
            server != null ? server : base.server(),
            carId != null ? carId : base.carId(),
            resolveSecret(key != null ? key : base.key()),
            new AgentConfig.Camera(
                cameraKind,
                width,
                height,
                fps != null ? fps : cam.fps(),
                cam.rotation(),
                cam.hflip(),
                cam.vflip(),
                cam.exposure(),
                cam.awb(),
                cam.command(),
                cam.device(),
                cam.extraArgs(),
                cam.stamp(),
                encoderKind,
                cam.gstSource()),
            actuatorKind,
            failsafeMs != null ? failsafeMs : base.failsafeMs());
    if (calibrate != null) {
      return calibrate(merged, out, err);
    }
    if (neutral) {
      return neutral(merged, out, err);
    }
    List<String> problems = check ? merged.hardwareProblems() : merged.problems();
    if (check) {
      // --check needs no server: only the parts it checks must be right, the rest is reported
      List<String> all = merged.problems();
      all.removeAll(problems);
      all.forEach(p -> out.println("note: " + p));
    }
    if (!problems.isEmpty()) {
      problems.forEach(p -> err.println("rcdrive agent: " + p));
      return 2;
    }
    if (check) {
      out.println("config     ok" + (file == null ? " (flags only)" : " (" + file + ")"));
      try (Hardware hw = hardware.get()) {
        boolean ok =
            new HardwareCheck(
                    natives,
                    hw,
                    Cameras::open,
                    AgentCommand::usbCameras,
                    PiSensors.THERMAL,
                    Commands.system(),
                    out,
                    Duration.ofSeconds(10))
                .run(merged);
        return ok ? 0 : 1;
      }
    }
    RtcEngine engine;
    try {
      engine = RtcEngine.create();
    } catch (IllegalStateException e) {
      err.println("rcdrive agent: " + e.getMessage());
      return 1;
    }
    CarAgent agent;
    try {
      agent = CarAssembly.system().startCar(merged, engine);
    } catch (RuntimeException e) {
      engine.close();
      err.println("rcdrive agent: " + e.getMessage());
      return 1;
    }
    SystemdService service = notifyReady(agent, err);
    CountDownLatch stop = new CountDownLatch(1);
    // Neutral first on any exit: the shutdown hook closes the agent before anything else.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  agent.close();
                  if (service != null) {
                    service.close();
                  }
                  engine.close();
                  stop.countDown();
                },
                "agent-shutdown"));
    out.println("rcdrive agent: car '" + merged.carId() + "' on " + merged.server());
    out.flush();
    stop.await();
    return 0;
  }

  /** Options after which the agent does not connect: nothing to start ahead for them. */
  private static final List<String> ONE_SHOT_OPTIONS =
      List.of(
          "--check",
          "--calibrate",
          "--neutral",
          "--list-cameras",
          "-h",
          "--help",
          "-V",
          "--version");

  /**
   * Whether {@code args} (the whole command line) run the agent until stopped. Read before the
   * command line is parsed, for {@link #startAhead}; a wrong guess only wastes or skips the head
   * start, the command itself is parsed as always.
   */
  static boolean isRun(String[] args) {
    if (args.length == 0 || !args[0].equals("agent")) {
      return false;
    }
    for (int i = 1; i < args.length; i++) {
      String arg = args[i];
      if (ONE_SHOT_OPTIONS.stream().anyMatch(o -> arg.equals(o) || arg.startsWith(o + "="))) {
        return false;
      }
    }
    return true;
  }

  /**
   * First uses that a run waits for, started on threads of their own before the command line is
   * parsed: the WebRTC library's load (~150 ms), and for the first connection to signaling Jackson
   * (encoding the hello, decoding the welcome) and the JDK's SecureRandom (the WebSocket
   * handshake's key), ~200 ms. They overlap picocli, the config and the logging's setup
   * (docs/benchmarks.md, "Start-up, a fourth time" and "a fifth time"). Nothing here touches the
   * car; the one-shot commands (--neutral above all) do not wait for any of it.
   */
  static void startAhead() {
    dev.rcdrive.rtc.NativeCache.preloadInBackground();
    Thread warmUp =
        new Thread(
            () -> {
              try {
                dev.rcdrive.protocol.SignalCodec.warmUp();
                new java.security.SecureRandom().nextBytes(new byte[16]);
              } catch (RuntimeException e) {
                // Only a head start: the connection makes these first uses itself if need be.
              }
            },
            "agent-warm-up");
    warmUp.setDaemon(true);
    warmUp.start();
  }

  /**
   * Under systemd ({@code Type=notify}): READY=1 now that the outputs are open at neutral and the
   * control tick runs, then watchdog pings while the tick keeps running. Null without systemd.
   */
  private SystemdService notifyReady(CarAgent agent, PrintWriter err) {
    try {
      return SystemdService.announceReady(
          "car '" + agent.carId() + "' running",
          agent::lastTickNanos,
          System.getenv(),
          ProcessHandle.current().pid());
    } catch (IOException | RuntimeException | LinkageError e) {
      err.println("rcdrive agent: cannot notify systemd: " + NativeLoadFailure.explain(e));
      return null;
    }
  }

  private int listCameras(PrintWriter out) {
    List<String> usb;
    boolean ok = true;
    try {
      usb = RtcEngine.cameras();
    } catch (LinkageError | RuntimeException e) {
      out.println("USB cameras: cannot load the WebRTC library: " + NativeLoadFailure.explain(e));
      usb = List.of();
      ok = false;
    }
    out.println(usb.isEmpty() ? "USB cameras: none found" : "USB cameras (camera.device):");
    usb.forEach(line -> out.println("  " + line));
    out.println(
        CameraProgram.find(null, CameraProgram.systemPath())
            .map(p -> "Pi camera: " + p + " (its sensors: " + p + " --list-cameras)")
            .orElse("Pi camera: rpicam-vid not installed (apt install rpicam-apps)"));
    out.flush();
    return ok ? 0 : 1;
  }

  private int neutral(AgentConfig merged, PrintWriter out, PrintWriter err) {
    if (merged.actuator() == AgentConfig.ActuatorKind.SIM) {
      out.println("rcdrive agent: actuator is sim; nothing to put to neutral");
      return 0;
    }
    // Only the outputs' fields matter here: a bad camera field must not keep the motor running.
    List<String> problems = merged.outputProblems();
    if (!problems.isEmpty()) {
      problems.forEach(p -> err.println("rcdrive agent: " + p));
      return 2;
    }
    // Opening the outputs writes neutral; closing holds it, then stops the pulses.
    try (Hardware hw = hardware.get();
        dev.rcdrive.agent.Actuator actuator = Outputs.open(merged, hw, System::nanoTime)) {
      out.println("rcdrive agent: " + actuator + " at neutral, then no pulses");
      return 0;
    } catch (Exception e) {
      err.println("rcdrive agent: could not put the outputs to neutral: " + e.getMessage());
      return 1;
    }
  }

  /** For --check: the USB cameras, or the reason they cannot be listed. */
  private static List<String> usbCameras() {
    try {
      return RtcEngine.cameras();
    } catch (LinkageError | RuntimeException e) {
      throw new IllegalStateException(
          "cannot load the WebRTC library: " + NativeLoadFailure.explain(e), e);
    }
  }

  private int calibrate(AgentConfig merged, PrintWriter out, PrintWriter err) throws IOException {
    List<String> problems = merged.outputProblems();
    if (!problems.isEmpty()) {
      problems.forEach(p -> err.println("rcdrive agent: " + p));
      return 2;
    }
    try (Hardware hw = hardware.get()) {
      Outputs.Channel channel;
      try {
        Outputs.calibrationTarget(merged, calibrate);
        // Every output to neutral first: the one not being calibrated may still hold the last
        // pulse of an agent that died (a PCA9685 keeps it).
        Outputs.open(merged, hw, System::nanoTime).close();
        channel = Outputs.openChannel(merged, hw, calibrate);
      } catch (IllegalArgumentException | IOException e) {
        err.println("rcdrive agent: " + e.getMessage());
        return e instanceof IOException ? 1 : 2;
      }
      out.println(
          "calibrating "
              + calibrate
              + " on "
              + channel.pwm().describe()
              + (calibrate.equals("throttle")
                  ? " — WHEELS OFF THE GROUND: the motor may spin"
                  : ""));
      try {
        new Calibrator(
                channel.pwm(),
                channel.servo().neutralUs(),
                new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)),
                out)
            .run();
      } finally {
        try {
          channel.device().close();
        } catch (Exception e) {
          err.println("rcdrive agent: closing: " + e.getMessage());
        }
      }
    }
    return 0;
  }

  static String resolveSecret(String value) {
    if (value != null && value.startsWith("env:")) {
      return System.getenv(value.substring(4));
    }
    return value;
  }
}
