package dev.rcdrive.agent.output;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rcdrive.agent.AgentConfig;
import dev.rcdrive.agent.CameraSource;
import dev.rcdrive.agent.RenderedCamera;
import dev.rcdrive.agent.assembly.HardwareCheck;
import dev.rcdrive.agent.assembly.NativeCheck;
import dev.rcdrive.agent.telemetry.Commands;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --check} on fake devices: what it reports, and that outputs are only set to neutral. */
class HardwareCheckTest {

  @TempDir Path dir;
  private final StringWriter text = new StringWriter();

  private AgentConfig config(String camera, AgentConfig.Ina219 ina) {
    return new AgentConfig(
        null,
        null,
        null,
        new AgentConfig.Camera(AgentConfig.CameraKind.of(camera), 64, 64, 30),
        AgentConfig.ActuatorKind.PCA9685,
        null,
        null,
        null,
        null,
        null,
        new AgentConfig.Telemetry(true, ina));
  }

  /** Native libraries that load: what --check reports of them is tested on its own below. */
  private List<NativeCheck> natives = List.of(new NativeCheck("webrtc", null, () -> "loaded"));

  private boolean check(FakeHardware hardware, AgentConfig config, CameraSource camera)
      throws Exception {
    Path zone = Files.createDirectories(dir.resolve("thermal/thermal_zone0"));
    Files.writeString(zone.resolve("type"), "cpu-thermal");
    Files.writeString(zone.resolve("temp"), "48000");
    Commands commands =
        command ->
            command.get(0).equals("vcgencmd") ? Optional.of("throttled=0x50005") : Optional.empty();
    return new HardwareCheck(
            c -> natives,
            hardware,
            cam -> camera,
            List::of,
            dir.resolve("thermal"),
            commands,
            new PrintWriter(text, true),
            Duration.ofSeconds(2))
        .run(config);
  }

  @Test
  void everythingPresentIsReportedAndTheOutputsStayNeutral() throws Exception {
    FakeHardware hardware = new FakeHardware(dir);
    FakeI2cDevice pca = hardware.addI2c(1, 0x40);
    FakeI2cDevice ina = hardware.addI2c(1, 0x41);
    ina.registers[2] = (1850 << 3) >> 8;
    ina.registers[3] = (1850 << 3) & 0xFF;
    CameraSource camera = new RenderedCamera("fake-rpicam", 64, 64, 30, (image, index) -> {});

    boolean ok = check(hardware, config("rpicam", new AgentConfig.Ina219(1, 0x41)), camera);

    assertThat(ok).as(text.toString()).isTrue();
    assertThat(text.toString())
        .contains("camera     ok: fake-rpicam 64x64@30, first frame after")
        .contains("outputs    ok: servo pca9685 i2c-1@0x40 ch0, esc pca9685 i2c-1@0x40 ch1")
        .contains("battery    7.40 V")
        .contains("cpu temp   48.0 °C")
        .contains(
            "throttled  0x50005: under-voltage NOW; under-voltage since boot;"
                + " throttled NOW; throttled since boot")
        .contains("modem      absent")
        .contains("check: all good");
    assertThat(pca.lastPulseCounts(0)).isEqualTo(307); // 1500 µs, never anything else
    assertThat(pca.lastPulseCounts(1)).isEqualTo(307);
    assertThat(pca.offCounts(1)).isEqualTo(-1); // then no pulses: fully off, chip asleep
    assertThat(pca.asleep()).isTrue();
  }

  @Test
  void aSilentBoardAndACameraWithoutFramesFail() throws Exception {
    FakeHardware hardware = new FakeHardware(dir);
    hardware.addI2c(1, 0x40).failForever = true;
    CameraSource silent =
        new CameraSource() {
          @Override
          public void start(FrameConsumer consumer) {}

          @Override
          public String describe() {
            return "silent camera";
          }

          @Override
          public void close() {}
        };

    boolean ok = check(hardware, config("rpicam", new AgentConfig.Ina219(1, 0x41)), silent);

    assertThat(ok).isFalse();
    assertThat(text.toString())
        .contains("camera     FAILED: silent camera gave no frame in 2 s")
        .contains("outputs    FAILED: PCA9685 at i2c-1@0x40 does not answer")
        .contains("battery    FAILED: INA219: /dev/i2c-1 does not exist")
        .contains("check: FAILED");
    assertThat(text.toString().lines().filter(l -> l.startsWith("battery"))).hasSize(1);
  }

  @Test
  void withoutAnIna219TheBatteryHasOneLineAndIsNoFailure() throws Exception {
    FakeHardware hardware = new FakeHardware(dir);
    hardware.addI2c(1, 0x40);
    CameraSource camera = new RenderedCamera("fake-rpicam", 64, 64, 30, (image, index) -> {});

    boolean ok = check(hardware, config("rpicam", null), camera);

    assertThat(ok).as(text.toString()).isTrue();
    assertThat(text.toString().lines().filter(l -> l.startsWith("battery")))
        .containsExactly("battery    not configured (telemetry.ina219 absent: no battery voltage)");
  }

  @Test
  void eachNativeLibraryHasALineAndOneThatDoesNotLoadFailsTheCheck() throws Exception {
    FakeHardware hardware = new FakeHardware(dir);
    hardware.addI2c(1, 0x40);
    CameraSource camera = new RenderedCamera("fake-rpicam", 64, 64, 30, (image, index) -> {});
    natives =
        List.of(
            new NativeCheck("webrtc", null, () -> "loaded; connected to itself"),
            new NativeCheck("jna", "actuator sim, no INA219", () -> "must not be called"),
            new NativeCheck(
                "pi4j gpio",
                null,
                () -> {
                  throw new IllegalStateException(
                      "cannot load libgpiod: libfoo.so.1 is missing: sudo apt-get install libfoo1");
                }));

    boolean ok = check(hardware, config("rpicam", null), camera);

    assertThat(ok).isFalse();
    assertThat(text.toString().lines())
        .contains(
            "webrtc     ok: loaded; connected to itself",
            "jna        not used (actuator sim, no INA219)",
            "pi4j gpio  FAILED: cannot load libgpiod: libfoo.so.1 is missing:"
                + " sudo apt-get install libfoo1")
        .noneMatch(l -> l.contains("must not be called"));
    assertThat(text.toString()).contains("camera     ok: fake-rpicam").contains("check: FAILED");
  }
}
