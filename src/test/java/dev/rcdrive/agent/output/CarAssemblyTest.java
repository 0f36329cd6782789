package dev.rcdrive.agent.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rcdrive.agent.AgentConfig;
import dev.rcdrive.agent.CarAgent;
import dev.rcdrive.agent.CarParts;
import dev.rcdrive.agent.assembly.CarAssembly;
import dev.rcdrive.rtc.RtcEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CarAssembly} on fake devices: it opens what the config names (outputs at neutral), writes
 * the neutral step for exactly those outputs into the runtime directory, and wires the PCA9685's OE
 * heartbeat, which the control tick toggles while it runs and no longer once it stopped.
 */
class CarAssemblyTest {

  @TempDir Path dir;

  private AgentConfig config(Integer oeGpio) {
    return new AgentConfig(
        "ws://127.0.0.1:9",
        "assembled",
        "k",
        new AgentConfig.Camera(AgentConfig.CameraKind.TEST, 64, 64, 5),
        AgentConfig.ActuatorKind.PCA9685,
        250,
        null,
        null,
        false,
        new AgentConfig.Outputs(
            new AgentConfig.Pca9685(1, 0x40, 50, null, oeGpio), null, null, null, null),
        new AgentConfig.Telemetry(false, null));
  }

  @Test
  void opensTheConfiguredOutputsAndWritesTheirNeutralStep() throws Exception {
    FakeHardware hardware = new FakeHardware(dir.resolve("pwm"));
    FakeI2cDevice chip = hardware.addI2c(1, 0x40);
    Path runtime = Files.createDirectories(dir.resolve("run"));

    try (CarParts parts = new CarAssembly(hardware, camera -> null, runtime).open(config(null))) {
      assertThat(parts.actuator().toString()).contains("pca9685 i2c-1@0x40 ch0");
      assertThat(chip.offCounts(1)).isEqualTo(307); // neutral
      assertThat(parts.heartbeat()).isNull();
      assertThat(Files.readString(runtime.resolve(NeutralStep.FILE_NAME)))
          .isEqualTo(NeutralStep.script(config(null), dir.resolve("pwm")));
    }
    assertThat(hardware.closed).isTrue();
  }

  @Test
  void theTickTogglesTheOeHeartbeatOnlyWhileItRuns() throws Exception {
    FakeHardware hardware = new FakeHardware(dir.resolve("pwm"));
    hardware.addI2c(1, 0x40);
    CarParts parts = new CarAssembly(hardware, camera -> null, null).open(config(25));
    FakeGpioLine oe = hardware.gpio.get(25);
    assertThat(oe).isNotNull();

    try (RtcEngine engine = RtcEngine.create()) {
      CarAgent agent = CarAgent.start(config(25), engine, parts);
      try {
        await().atMost(Duration.ofSeconds(5)).until(() -> oe.levels.size() >= 20);
        List<Boolean> some;
        synchronized (oe.levels) {
          some = List.copyOf(oe.levels.subList(0, 20));
        }
        for (int i = 1; i < some.size(); i++) {
          assertThat(some.get(i)).as("level %d toggles", i).isNotEqualTo(some.get(i - 1));
        }
      } finally {
        agent.close();
      }
      int afterClose = oe.levels.size();
      long closedAt = System.nanoTime();
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> System.nanoTime() - closedAt > 200_000_000L); // twenty ticks' time
      assertThat(oe.levels).hasSize(afterClose);
      assertThat(oe.closed).isTrue();
    }
  }
}
