package dev.rcdrive.agent.assembly;

import dev.rcdrive.agent.Actuator;
import dev.rcdrive.agent.AgentConfig;
import dev.rcdrive.agent.CameraSource;
import dev.rcdrive.agent.host.I2cDevice;
import dev.rcdrive.agent.output.Hardware;
import dev.rcdrive.agent.output.Outputs;
import dev.rcdrive.agent.telemetry.Commands;
import dev.rcdrive.agent.telemetry.PiSensors;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code rcdrive agent --check}: loads every native library the agent will use and opens the
 * configured hardware without connecting anywhere — the camera delivers a frame, the outputs open
 * (and stay at neutral), the sensors answer — and says for each, on a line of its own, what it
 * found. Outputs are only ever set to neutral here.
 */
public final class HardwareCheck {

  private final Hardware hardware;
  private final Function<AgentConfig.Camera, CameraSource> cameras;
  private final Supplier<List<String>> usbCameras;
  private final Path thermal;
  private final Commands commands;
  private final PrintWriter out;
  private final Duration cameraTimeout;
  private final Function<AgentConfig, List<NativeCheck>> natives;

  public HardwareCheck(
      Function<AgentConfig, List<NativeCheck>> natives,
      Hardware hardware,
      Function<AgentConfig.Camera, CameraSource> cameras,
      Supplier<List<String>> usbCameras,
      Path thermal,
      Commands commands,
      PrintWriter out,
      Duration cameraTimeout) {
    this.hardware = hardware;
    this.cameras = cameras;
    this.usbCameras = usbCameras;
    this.thermal = thermal;
    this.commands = commands;
    this.out = out;
    this.cameraTimeout = cameraTimeout;
    this.natives = natives;
  }

  /** Checks everything; true when every configured part works. */
  public boolean run(AgentConfig config) {
    boolean ok = natives(config);
    ok &= camera(config.camera());
    ok &= outputs(config);
    ok &= sensors(config.telemetry());
    out.println(ok ? "check: all good" : "check: FAILED (see above)");
    out.flush();
    return ok;
  }

  private boolean natives(AgentConfig config) {
    boolean ok = true;
    for (NativeCheck check : natives.apply(config)) {
      if (check.unusedBecause() != null) {
        line(check.name(), "not used (" + check.unusedBecause() + ")");
        continue;
      }
      try {
        line(check.name(), "ok: " + check.load().call());
      } catch (Exception e) {
        line(check.name(), "FAILED: " + e.getMessage());
        ok = false;
      }
      out.flush();
    }
    return ok;
  }

  private boolean camera(AgentConfig.Camera cam) {
    switch (cam.type()) {
      case SIM, TEST -> {
        line("camera", "ok: " + cam.type() + " (rendered, no hardware)");
        return true;
      }
      case USB -> {
        List<String> found;
        try {
          found = usbCameras.get();
        } catch (RuntimeException e) {
          line("camera", "FAILED: " + e.getMessage());
          return false;
        }
        boolean match =
            found.stream()
                .anyMatch(
                    c ->
                        c.startsWith(cam.device() + ": ")
                            || c.lines().findFirst().orElse("").contains(cam.device()));
        line(
            "camera",
            (match ? "ok: " : "FAILED: no camera matches '" + cam.device() + "'; ")
                + (found.isEmpty() ? "no USB cameras found" : String.join("; ", found)));
        return match;
      }
      default -> {
        CameraSource camera;
        try {
          camera = cameras.apply(cam);
        } catch (RuntimeException e) {
          line("camera", "FAILED: " + e.getMessage());
          return false;
        }
        CountDownLatch first = new CountDownLatch(1);
        long started = System.nanoTime();
        try {
          camera.start((image, nanos) -> first.countDown());
          if (!first.await(cameraTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
            line(
                "camera",
                "FAILED: "
                    + camera.describe()
                    + " gave no frame in "
                    + cameraTimeout.toSeconds()
                    + " s (is the ribbon cable seated? rpicam-hello --list-cameras)");
            return false;
          }
          line(
              "camera",
              "ok: "
                  + camera.describe()
                  + ", first frame after "
                  + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)
                  + " ms");
          return true;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        } finally {
          camera.close();
        }
      }
    }
  }

  private boolean outputs(AgentConfig config) {
    if (config.actuator() == AgentConfig.ActuatorKind.SIM) {
      line("outputs", "ok: sim (no hardware)");
      return true;
    }
    try (Actuator actuator = Outputs.open(config, hardware, System::nanoTime)) {
      line("outputs", "ok: " + actuator + " (at neutral)");
      return true;
    } catch (Exception e) {
      line("outputs", "FAILED: " + e.getMessage());
      return false;
    }
  }

  private boolean sensors(AgentConfig.Telemetry telemetry) {
    boolean ok = true;
    I2cDevice ina = null;
    if (telemetry.ina219() == null) {
      line("battery", "not configured (telemetry.ina219 absent: no battery voltage)");
    } else {
      try {
        ina = hardware.i2c(telemetry.ina219().bus(), telemetry.ina219().address());
      } catch (Exception e) {
        line("battery", "FAILED: INA219: " + e.getMessage());
        ok = false;
      }
    }
    try (PiSensors sensors = new PiSensors(thermal, commands, telemetry.pi(), ina)) {
      PiSensors.Reading r = sensors.read();
      if (ina != null) {
        boolean answered = !Double.isNaN(r.batteryVolts());
        line(
            "battery",
            answered
                ? String.format("%.2f V (INA219 %s)", r.batteryVolts(), ina.describe())
                : "FAILED: the INA219 at " + ina.describe() + " does not answer");
        ok &= answered;
      }
      if (!telemetry.pi()) {
        line("pi", "off (telemetry.pi is false)");
        return ok;
      }
      line(
          "cpu temp",
          Double.isNaN(r.cpuTempC()) ? "absent" : String.format("%.1f °C", r.cpuTempC()));
      line("throttled", r.throttled() < 0 ? "absent (no vcgencmd)" : throttled(r.throttled()));
      line(
          "modem",
          r.signalPercent() < 0
              ? "absent (no mmcli or no modem)"
              : r.signalPercent() + " % signal");
    }
    return ok;
  }

  /** vcgencmd's bits in words. */
  static String throttled(long bits) {
    if (bits == 0) {
      return "0x0 (never under-voltage or throttled since boot)";
    }
    StringBuilder words = new StringBuilder(String.format("0x%x:", bits));
    String[] now = {"under-voltage", "frequency capped", "throttled", "soft temperature limit"};
    for (int i = 0; i < 4; i++) {
      if ((bits & (1L << i)) != 0) {
        words.append(' ').append(now[i]).append(" NOW;");
      }
      if ((bits & (1L << (16 + i))) != 0) {
        words.append(' ').append(now[i]).append(" since boot;");
      }
    }
    return words.substring(0, words.length() - 1);
  }

  private void line(String what, String result) {
    out.printf("%-10s %s%n", what, result);
  }
}
