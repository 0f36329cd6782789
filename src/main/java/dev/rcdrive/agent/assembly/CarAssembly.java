package dev.rcdrive.agent.assembly;

import dev.rcdrive.agent.Actuator;
import dev.rcdrive.agent.AgentConfig;
import dev.rcdrive.agent.CameraSource;
import dev.rcdrive.agent.CarAgent;
import dev.rcdrive.agent.CarParts;
import dev.rcdrive.agent.MediaPath;
import dev.rcdrive.agent.RenderedCamera;
import dev.rcdrive.agent.SimActuator;
import dev.rcdrive.agent.camera.Cameras;
import dev.rcdrive.agent.output.GpioLine;
import dev.rcdrive.agent.output.Hardware;
import dev.rcdrive.agent.output.NeutralStep;
import dev.rcdrive.agent.output.Outputs;
import dev.rcdrive.agent.output.Pi4jHardware;
import dev.rcdrive.agent.telemetry.Commands;
import dev.rcdrive.agent.telemetry.PiSensors;
import dev.rcdrive.rtc.RtcEngine;
import dev.rcdrive.sim.ArenaRenderer;
import dev.rcdrive.sim.CarModel;
import dev.rcdrive.sim.TestPattern;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses and opens the car's parts from its config — the simulator's actuator and camera, or the
 * Pi's outputs, camera and sensors — so {@link CarAgent} only drives what it is given. With a
 * runtime directory (systemd's {@code RUNTIME_DIRECTORY}, {@code /run/rcdrive}) it also writes the
 * {@link NeutralStep} for exactly the outputs it opened, before anything can move.
 */
public final class CarAssembly {

  private static final Logger log = LoggerFactory.getLogger(CarAssembly.class);

  private final Hardware hardware;
  private final Function<AgentConfig.Camera, CameraSource> realCameras;
  private final Path runtimeDir;

  /**
   * @param runtimeDir where the neutral step goes; null writes none (a run outside the service)
   */
  public CarAssembly(
      Hardware hardware, Function<AgentConfig.Camera, CameraSource> realCameras, Path runtimeDir) {
    this.hardware = hardware;
    this.realCameras = realCameras;
    this.runtimeDir = runtimeDir;
  }

  /** The Pi's buses and cameras, and the service's runtime directory when there is one. */
  public static CarAssembly system() {
    String dir = System.getenv("RUNTIME_DIRECTORY");
    return new CarAssembly(
        new Pi4jHardware(),
        Cameras::open,
        dir == null || dir.isBlank() ? null : Path.of(dir.split(":")[0]));
  }

  /** Opens the parts and starts a car on them; the parts are closed again if it cannot start. */
  public static CarAgent start(AgentConfig config, RtcEngine engine) {
    return system().startCar(config, engine);
  }

  public CarAgent startCar(AgentConfig config, RtcEngine engine) {
    return startOn(open(config), config, engine);
  }

  /** Starts a car on parts already opened ({@link #open}); they are closed if it cannot start. */
  public static CarAgent startOn(CarParts parts, AgentConfig config, RtcEngine engine) {
    try {
      return CarAgent.start(config, engine, parts);
    } catch (RuntimeException | Error e) {
      parts.close();
      throw e;
    }
  }

  /**
   * Opens the configured parts, outputs at neutral. Throws with a clear message when hardware
   * cannot be opened; whatever was opened by then is put to neutral and released.
   */
  public CarParts open(AgentConfig config) {
    if (!config.problems().isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", config.problems()));
    }
    CarModel model = new CarModel(CarModel.Spec.buggy());
    List<AutoCloseable> opened = new ArrayList<>();
    try {
      Actuator actuator =
          config.actuator() == AgentConfig.ActuatorKind.SIM
              ? new SimActuator(model)
              : Outputs.open(config, hardware, System::nanoTime);
      opened.add(actuator);
      writeNeutralStep(config);
      CarParts.Heartbeat heartbeat = heartbeat(config);
      if (heartbeat != null) {
        opened.add(heartbeat);
      }
      CameraSource camera = camera(config.camera(), model);
      opened.add(camera);
      AgentConfig.Ina219 ina = config.telemetry().ina219();
      PiSensors sensors =
          new PiSensors(
              PiSensors.THERMAL,
              Commands.system(),
              config.telemetry().pi(),
              ina == null ? null : hardware.i2c(ina.bus(), ina.address()));
      return new CarParts(actuator, camera, sensors, heartbeat, List.of(hardware));
    } catch (IOException | RuntimeException e) {
      for (AutoCloseable part : opened) {
        closeQuietly(part); // the actuator first: neutral, then released
      }
      hardware.close();
      if (e instanceof IOException io) {
        throw new IllegalStateException(io.getMessage(), io);
      }
      throw (RuntimeException) e;
    }
  }

  /**
   * Written once the outputs are open, so it names exactly what was opened. A car that cannot write
   * it still runs: the service then falls back to {@code rcdrive agent --neutral}, which takes a
   * JVM's start (seconds) instead of milliseconds; the log says so.
   */
  private void writeNeutralStep(AgentConfig config) {
    if (runtimeDir == null) {
      log.debug("no runtime directory: no neutral step written");
      return;
    }
    try {
      Path file = NeutralStep.write(runtimeDir, NeutralStep.script(config, hardware.pwmRoot()));
      log.info("neutral step for these outputs: {}", file);
    } catch (IOException | RuntimeException e) {
      log.error(
          "could not write the neutral step in {} ({}): after a crash the outputs go neutral"
              + " only through the slower 'rcdrive agent --neutral'",
          runtimeDir,
          e.toString());
    }
  }

  /** The PCA9685's OE heartbeat line, when one is configured. */
  private CarParts.Heartbeat heartbeat(AgentConfig config) throws IOException {
    Integer oe = config.outputs().pca9685().oeGpio();
    if (oe == null || config.pwmKind() != AgentConfig.PwmKind.PCA9685) {
      return null;
    }
    GpioLine line = hardware.gpio(oe);
    return new CarParts.Heartbeat() {
      private boolean high;

      @Override
      public void toggle() throws IOException {
        high = !high;
        line.set(high);
      }

      @Override
      public void close() {
        line.close();
      }

      @Override
      public String toString() {
        return "OE heartbeat on " + line.describe();
      }
    };
  }

  /** The configured camera: rendered for sim/test, else the real one. */
  CameraSource camera(AgentConfig.Camera cam, CarModel model) {
    if (MediaPath.pipelineReadsTheCamera(cam)) {
      return new PipelineCamera(cam.gstSource());
    }
    RenderedCamera.Painter painter;
    switch (cam.type()) {
      case TEST -> painter = TestPattern::render;
      case SIM -> {
        ArenaRenderer renderer = new ArenaRenderer(model.spec().arenaHalfSizeM());
        painter = (image, index) -> renderer.render(model.pose(), image);
      }
      default -> {
        return realCameras.apply(cam);
      }
    }
    return new RenderedCamera(cam.type().word(), cam.width(), cam.height(), cam.fps(), painter);
  }

  private static void closeQuietly(AutoCloseable part) {
    try {
      part.close();
    } catch (Exception e) {
      log.warn("closing {}: {}", part, e.toString());
    }
  }
}
