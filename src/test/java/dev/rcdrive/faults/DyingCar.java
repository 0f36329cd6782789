package dev.rcdrive.faults;

import dev.rcdrive.agent.Actuator;
import dev.rcdrive.agent.AgentConfig;
import dev.rcdrive.agent.CarAgent;
import dev.rcdrive.agent.CarParts;
import dev.rcdrive.agent.Output;
import dev.rcdrive.agent.RenderedCamera;
import dev.rcdrive.agent.assembly.CarAssembly;
import dev.rcdrive.agent.host.I2cDevice;
import dev.rcdrive.agent.output.GpioLine;
import dev.rcdrive.agent.output.Hardware;
import dev.rcdrive.agent.service.SystemdService;
import dev.rcdrive.protocol.CarState;
import dev.rcdrive.rtc.LinkOptions;
import dev.rcdrive.rtc.RtcEngine;
import dev.rcdrive.signaling.SignalingConfig;
import dev.rcdrive.signaling.SignalingServer;
import dev.rcdrive.sim.TestPattern;
import dev.rcdrive.station.drive.DriveIntent;
import dev.rcdrive.station.link.DriverSession;
import dev.rcdrive.testing.FileI2cDevice;
import dev.rcdrive.testing.RegisterFile;
import dev.rcdrive.testing.ScriptedControl;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real car agent as a child process that is about to die: {@link CarAssembly} opens a PCA9685
 * whose registers are a file (they outlive the process, as a chip's do) and writes the neutral step
 * into {@code RUNTIME_DIRECTORY}; the agent tells systemd READY and pings its watchdog through
 * {@code NOTIFY_SOCKET}; a driver in the same process (the station's {@link DriverSession}, over
 * real WebRTC on loopback) arms it and holds half throttle. Prints {@code EVT <nanoTime> DRIVING}
 * once the throttle channel shows it.
 *
 * <p>Arguments: the register file, max seconds. Commands on stdin: {@code error} (the actuator
 * throws an Error on the next control tick), {@code oom} (a thread fills the heap), {@code quit}.
 */
public final class DyingCar {
  private DyingCar() {}

  static final String CAR = "dying";
  static final String KEY = "dying-key";
  static final String TOKEN = "dying-driver";

  public static void main(String[] args) throws Exception {
    RegisterFile registers = new RegisterFile(Path.of(args[0]));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[1]));
    SignalingServer server =
        SignalingServer.start(
            new SignalingConfig(
                "127.0.0.1",
                0,
                null,
                List.of(new SignalingConfig.Car(CAR, "Dying car", KEY)),
                List.of(new SignalingConfig.Driver("driver", TOKEN)),
                List.of(),
                null));
    AgentConfig config =
        new AgentConfig(
            server.uri().toString(),
            CAR,
            KEY,
            new AgentConfig.Camera(AgentConfig.CameraKind.TEST, 64, 64, 5),
            AgentConfig.ActuatorKind.PCA9685,
            250,
            null,
            null,
            false,
            new AgentConfig.Outputs(
                null,
                null,
                null,
                new AgentConfig.Servo(0, null, null, null, null, null, 0),
                new AgentConfig.Servo(1, null, null, null, null, null, 0)),
            null);
    String runtime = System.getenv("RUNTIME_DIRECTORY");
    CarAssembly assembly =
        new CarAssembly(
            new FileHardware(registers),
            camera -> new RenderedCamera("test", 64, 64, 5, TestPattern::render),
            runtime == null ? null : Path.of(runtime));
    CarParts opened = assembly.open(config);
    ErrorOnCommand actuator = new ErrorOnCommand(opened.actuator());
    CarParts parts =
        new CarParts(
            actuator, opened.camera(), opened.sensors(), opened.heartbeat(), opened.resources());
    RtcEngine carEngine = RtcEngine.create();
    CarAgent car = CarAgent.start(config, carEngine, parts);
    SystemdService service =
        SystemdService.announceReady(
            "dying car", car::lastTickNanos, System.getenv(), ProcessHandle.current().pid());
    Runtime.getRuntime().addShutdownHook(new Thread(car::close, "dying-car-shutdown"));
    RtcEngine driverEngine = RtcEngine.create();
    DriverSession session =
        DriverSession.open(driverEngine, server.uri(), TOKEN, LinkOptions.defaults(), null);
    session.ready().get(15, TimeUnit.SECONDS);
    session.drive(CAR).get(15, TimeUnit.SECONDS);
    ScriptedControl control = new ScriptedControl(session); // 50 Hz, changes at once
    Thread stdin = commands(actuator);
    boolean reported = false;
    long connectedAt = 0;
    while (stdin.isAlive() && System.nanoTime() < deadline) {
      long now = System.nanoTime();
      if (connectedAt == 0 && session.status().carState() != null) {
        connectedAt = now;
      }
      boolean arm = connectedAt != 0 && now - connectedAt > TimeUnit.MILLISECONDS.toNanos(300);
      control.set(arm ? new DriveIntent(0.3, 0.5, 0, true, false, 0) : DriveIntent.NEUTRAL);
      if (!reported
          && car.status().state() == CarState.ARMED
          && RegisterFile.pulseMicros(registers.read(), 1) > 1600) {
        System.out.println("EVT " + System.nanoTime() + " DRIVING");
        System.out.flush();
        reported = true;
      }
      Thread.sleep(20);
    }
    service.close();
    System.exit(0);
  }

  /** The real actuator; on command, throws an Error from the next apply (on the control tick). */
  static final class ErrorOnCommand implements Actuator {
    private final Actuator real;
    volatile boolean throwNext;

    ErrorOnCommand(Actuator real) {
      this.real = real;
    }

    @Override
    public void apply(Output output) throws Exception {
      if (throwNext && !output.isNeutral()) {
        throwNext = false;
        System.out.println("EVT " + System.nanoTime() + " ERROR thrown");
        System.out.flush();
        throw new StackOverflowError("simulated on the control tick");
      }
      real.apply(output);
    }

    @Override
    public void close() {
      real.close();
    }

    @Override
    public String toString() {
      return real.toString();
    }
  }

  private static Thread commands(ErrorOnCommand actuator) {
    Thread thread =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  switch (line) {
                    case "quit" -> {
                      return;
                    }
                    case "error" -> actuator.throwNext = true;
                    case "oom" -> fillTheHeap();
                    default -> {}
                  }
                }
              } catch (IOException e) {
                // the parent went away: stop
              }
            },
            "stdin");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /**
   * Holds on to ever more memory until the JVM runs out (and, with ExitOnOutOfMemoryError, ends).
   */
  private static void fillTheHeap() {
    Thread hog =
        new Thread(
            () -> {
              System.out.println("EVT " + System.nanoTime() + " OOM filling");
              System.out.flush();
              List<long[]> held = new ArrayList<>();
              while (true) {
                held.add(new long[1 << 18]);
              }
            },
            "heap-hog");
    hog.setDaemon(true);
    hog.start();
  }

  /** The PCA9685 at 1/0x40 is the register file; nothing else is there. */
  static final class FileHardware implements Hardware {
    private final RegisterFile registers;

    FileHardware(RegisterFile registers) {
      this.registers = registers;
    }

    @Override
    public I2cDevice i2c(int bus, int address) throws IOException {
      if (bus != 1 || address != 0x40) {
        throw new IOException("/dev/i2c-" + bus + ": no device at " + address);
      }
      return new FileI2cDevice(registers, "file i2c-1@0x40");
    }

    @Override
    public GpioLine gpio(int bcm) throws IOException {
      throw new IOException("no GPIO here");
    }

    @Override
    public Path pwmRoot() {
      return Path.of("/nonexistent/pwm");
    }

    @Override
    public void close() {}
  }
}
