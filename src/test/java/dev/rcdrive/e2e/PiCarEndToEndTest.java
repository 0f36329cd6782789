package dev.rcdrive.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rcdrive.agent.AgentConfig;
import dev.rcdrive.agent.CarAgent;
import dev.rcdrive.agent.CarParts;
import dev.rcdrive.agent.camera.RpicamCamera;
import dev.rcdrive.agent.host.I2cDevice;
import dev.rcdrive.agent.output.Calibration;
import dev.rcdrive.agent.output.Pca9685;
import dev.rcdrive.agent.output.ServoEscActuator;
import dev.rcdrive.agent.telemetry.PiSensors;
import dev.rcdrive.protocol.CarState;
import dev.rcdrive.protocol.HealthFrame;
import dev.rcdrive.rtc.LinkOptions;
import dev.rcdrive.rtc.RtcEngine;
import dev.rcdrive.signaling.SignalingServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Pi's code paths end to end, over real WebRTC: the rpicam camera (a fake rpicam-vid writing
 * I420 frames, which then crashes), a PCA9685 on a register-level fake bus, and Pi sensors from a
 * temp thermal tree and canned command output. The driver sees the video, the Pi's health and
 * "camera restarting"; a vanished driver and the agent's shutdown leave the ESC at neutral on the
 * chip.
 */
@Tag("slow")
class PiCarEndToEndTest {

  private static final int W = 160;
  private static final int H = 120;
  private static RtcEngine engine;
  private static SignalingServer server;

  @TempDir Path dir;

  @BeforeAll
  static void startServer() throws Exception {
    engine = RtcEngine.create();
    server = SimWorld.server();
  }

  @AfterAll
  static void stopServer() {
    server.close();
    engine.close();
  }

  /** Registers of a PCA9685 as our driver writes them (auto-increment assumed). */
  static final class Registers implements I2cDevice {
    final int[] values = new int[256];

    @Override
    public synchronized void write(int register, int value) {
      values[register] = value & 0xFF;
    }

    @Override
    public synchronized void write(int register, byte[] bytes) {
      for (int i = 0; i < bytes.length; i++) {
        values[register + i] = bytes[i] & 0xFF;
      }
    }

    @Override
    public synchronized int read(int register) {
      return values[register];
    }

    @Override
    public void read(int register, byte[] into) {}

    /** Channel's pulse in µs at 50 Hz (prescale 121). */
    synchronized double micros(int channel) {
      int base = 0x06 + 4 * channel;
      return (values[base + 2] | (values[base + 3] & 0x0F) << 8) * 122 / 25.0;
    }

    @Override
    public String describe() {
      return "registers";
    }

    @Override
    public void close() {}
  }

  /** 2 s of frames at ~30 fps, then "crashes"; restarted with a 1.5 s backoff by the camera. */
  private Path fakeRpicam() throws Exception {
    int frame = W * H * 3 / 2;
    Path file = dir.resolve("rpicam-vid");
    Files.writeString(
        file,
        "#!/bin/bash\n"
            + "for i in $(seq 1 60); do\n"
            + "  head -c "
            + frame
            + " /dev/zero | tr '\\0' '\\200'\n"
            + "  sleep 0.033\n"
            + "done\n"
            + "exit 1\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }

  @Test
  void rpicamVideoPiHealthAndNeutralOnThePca9685() throws Exception {
    AgentConfig.Camera cameraConfig =
        new AgentConfig.Camera(
            AgentConfig.CameraKind.RPICAM,
            W,
            H,
            30,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            true,
            null,
            null);
    fakeRpicam();
    RpicamCamera camera =
        new RpicamCamera(
            cameraConfig, List.of(dir), new RpicamCamera.Backoff(1500, 3000, 60_000), true);
    Registers chip = new Registers();
    Pca9685 pca = new Pca9685(chip, 50, 25_000_000);
    ServoEscActuator actuator =
        new ServoEscActuator(
            pca.channel(0),
            Calibration.standard(0),
            pca.channel(1),
            Calibration.standard(0),
            System::nanoTime,
            pca);
    Path thermal = Files.createDirectories(dir.resolve("thermal/thermal_zone0"));
    Files.writeString(thermal.resolve("type"), "cpu-thermal\n");
    Files.writeString(thermal.resolve("temp"), "58400\n");
    Map<String, String> outputs =
        Map.of(
            "vcgencmd get_throttled", "throttled=0x50000\n",
            "mmcli --list-modems", "/org/freedesktop/ModemManager1/Modem/0 [x] y\n",
            "mmcli --modem 0 --output-keyvalue", "modem.generic.signal-quality.value : 81\n");
    PiSensors sensors =
        new PiSensors(
            dir.resolve("thermal"),
            command -> Optional.ofNullable(outputs.get(String.join(" ", command))),
            true,
            null);
    AgentConfig config = SimWorld.car(server, cameraConfig, null, false);
    CarAgent agent =
        CarAgent.start(config, engine, new CarParts(actuator, camera, sensors, null, List.of()));
    try (TestDriver driver =
        new TestDriver(engine, server.uri(), "alice-token", LinkOptions.defaults())) {
      await().atMost(Duration.ofSeconds(5)).until(() -> server.stats().onlineCars() == 1);
      driver.drive(SimWorld.CAR);
      driver.awaitOpen();

      await().atMost(Duration.ofSeconds(10)).until(() -> driver.frames.get() > 10);
      assertThat(driver.stamps).isNotEmpty(); // the rpicam path stamps its frames
      await().atMost(Duration.ofSeconds(5)).until(() -> !driver.health.isEmpty());
      HealthFrame health = driver.health.peek();
      assertThat(health.cpuTempC()).isEqualTo(58.4);
      assertThat(health.throttled()).isEqualTo(0x50000);
      assertThat(health.signalPercent()).isEqualTo(81);

      driver.hold(0, 0, false, 100);
      driver.hold(0, 0.5, true, 300);
      assertThat(agent.status().state()).isEqualTo(CarState.ARMED);
      assertThat(chip.micros(1)).isGreaterThan(1700);

      driver.vanish();
      await().atMost(Duration.ofSeconds(2)).until(() -> Math.abs(chip.micros(1) - 1500) < 5);
      assertThat(agent.status().state()).isEqualTo(CarState.FAILSAFE);
    }
    try (TestDriver driver =
        new TestDriver(engine, server.uri(), "bob-token", LinkOptions.defaults())) {
      driver.drive(SimWorld.CAR);
      driver.awaitOpen();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  driver.health.stream()
                      .anyMatch(h -> h.camera() == HealthFrame.Camera.RESTARTING));
      assertThat(agent.status().camera())
          .isIn(
              dev.rcdrive.agent.CameraSource.Health.RESTARTING,
              dev.rcdrive.agent.CameraSource.Health.RUNNING);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  driver.health.stream()
                      .anyMatch(
                          h ->
                              h.camera() == HealthFrame.Camera.RUNNING && h.cameraRestarts() >= 1));
    } finally {
      agent.close();
    }
    // Neutral held, then no pulses: FULL_OFF with the neutral width kept, and the chip asleep.
    assertThat(chip.micros(1)).isCloseTo(1500, org.assertj.core.data.Offset.offset(5.0));
    assertThat(chip.values[0x06 + 4 + 3] & 0x10).isEqualTo(0x10);
    assertThat(chip.values[0] & 0x10).as("MODE1 SLEEP").isEqualTo(0x10);
  }
}
