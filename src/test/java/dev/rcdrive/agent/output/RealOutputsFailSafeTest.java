package dev.rcdrive.agent.output;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rcdrive.agent.Actuator;
import dev.rcdrive.agent.AgentConfig;
import dev.rcdrive.agent.Drivetrain;
import dev.rcdrive.agent.Limits;
import dev.rcdrive.agent.SafetyGovernor;
import dev.rcdrive.protocol.CarState;
import dev.rcdrive.protocol.ControlFrame;
import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each real output, built from config by {@link Outputs} on fake devices, driven through the
 * agent's own {@link Drivetrain} and {@link SafetyGovernor}: failsafe, e-stop, shutdown and an
 * output error all end with the motor at neutral on the device itself.
 */
class RealOutputsFailSafeTest {

  private static final long MS = 1_000_000L;

  @TempDir Path root;

  /** One output type on its fake devices, and how to read the motor's state off them. */
  abstract static class Rig {
    FakeHardware hardware;
    Actuator actuator;

    abstract String actuatorType();

    abstract void prepare(FakeHardware hardware) throws IOException;

    /** Motor command as the device shows it: -1..1, 0 at neutral. */
    abstract double motor() throws IOException;

    /** Makes the next write to the motor fail, or every write when {@code forever}. */
    abstract void breakDevice(boolean forever) throws IOException;

    abstract void repairDevice() throws IOException;

    /** No pulse at all on the motor's and the steering's outputs (what a clean stop leaves). */
    abstract boolean silent() throws IOException;

    AgentConfig.Outputs outputs() {
      return new AgentConfig.Outputs(
          null,
          null,
          new AgentConfig.HBridge(AgentConfig.PwmKind.PCA9685, 23, 24, 2, false, 1.0),
          new AgentConfig.Servo(0, null, null, null, null, null, 0),
          new AgentConfig.Servo(1, null, null, null, null, null, 0));
    }

    @Override
    public String toString() {
      return actuatorType();
    }
  }

  static final class PcaRig extends Rig {
    FakeI2cDevice chip;

    @Override
    String actuatorType() {
      return "pca9685";
    }

    @Override
    void prepare(FakeHardware hardware) {
      chip = hardware.addI2c(1, 0x40);
    }

    @Override
    double motor() {
      double micros = chip.offCounts(1) * 122 / 25.0; // counts → µs at prescale 121
      return Math.round((micros - 1500) / 5) / 100.0;
    }

    @Override
    void breakDevice(boolean forever) {
      chip.failWrites = 1;
      chip.failForever = forever;
    }

    @Override
    void repairDevice() {
      chip.failForever = false;
      chip.failWrites = 0;
    }

    @Override
    boolean silent() {
      return chip.asleep() || chip.offCounts(0) == -1 && chip.offCounts(1) == -1;
    }
  }

  static final class SysfsRig extends Rig {
    FakeSysfs sysfs;

    @Override
    String actuatorType() {
      return "sysfs-pwm";
    }

    @Override
    void prepare(FakeHardware hardware) throws IOException {
      sysfs = new FakeSysfs(hardware.pwmRoot(), 0, 2);
      sysfs.createChannel(0);
      sysfs.createChannel(1);
    }

    @Override
    double motor() throws IOException {
      return (sysfs.read(1, "duty_cycle") / 1000.0 - 1500) / 500;
    }

    @Override
    void breakDevice(boolean forever) throws IOException {
      // a write that fails; the directory stays until repaired, so "once" is "until repaired"
      sysfs.breakAttribute(1, "duty_cycle", true);
    }

    @Override
    void repairDevice() throws IOException {
      sysfs.breakAttribute(1, "duty_cycle", false);
    }

    @Override
    boolean silent() throws IOException {
      return sysfs.read(0, "enable") == 0 && sysfs.read(1, "enable") == 0;
    }
  }

  static final class HBridgeRig extends Rig {
    FakeI2cDevice chip;

    @Override
    String actuatorType() {
      return "hbridge";
    }

    @Override
    void prepare(FakeHardware hardware) {
      chip = hardware.addI2c(1, 0x40);
    }

    @Override
    double motor() {
      boolean in1 = hardware.gpio.get(23).high;
      boolean in2 = hardware.gpio.get(24).high;
      int counts = Math.max(0, chip.offCounts(2));
      double duty = counts / 4096.0;
      return in1 && !in2 ? duty : in2 && !in1 ? -duty : 0;
    }

    @Override
    void breakDevice(boolean forever) {
      hardware.gpio.get(23).fail = forever;
      chip.failWrites = 1;
      chip.failForever = forever;
    }

    @Override
    void repairDevice() {
      hardware.gpio.get(23).fail = false;
      chip.failForever = false;
      chip.failWrites = 0;
    }

    @Override
    boolean silent() {
      return chip.asleep() || chip.offCounts(0) == -1 && chip.offCounts(2) == -1;
    }
  }

  static Stream<Rig> rigs() {
    return Stream.of(new PcaRig(), new SysfsRig(), new HBridgeRig());
  }

  private long now = 10_000 * MS;
  private long seq;
  private Drivetrain drivetrain;

  private Rig start(Rig rig) throws IOException {
    rig.hardware = new FakeHardware(root);
    rig.prepare(rig.hardware);
    AgentConfig config =
        new AgentConfig(
            null,
            null,
            null,
            null,
            AgentConfig.ActuatorKind.of(rig.actuatorType()),
            null,
            null,
            null,
            null,
            rig.outputs(),
            null);
    rig.actuator = Outputs.open(config, rig.hardware, () -> now);
    drivetrain =
        new Drivetrain(
            new SafetyGovernor(new Limits(1, 1, 0, 1, 1000, 1000), 250 * MS, now), rig.actuator);
    return rig;
  }

  private void send(double throttle, boolean armed, boolean estop) {
    now += 20 * MS;
    drivetrain.accept(new ControlFrame(++seq, now / 1000, 0, throttle, 0, armed, estop, 0), now);
  }

  private void driveAtHalfThrottle(Rig rig) throws IOException {
    send(0, false, false);
    send(0, true, false);
    send(0.5, true, false);
    assertThat(drivetrain.governor().state()).isEqualTo(CarState.ARMED);
    assertThat(rig.motor()).isEqualTo(0.5, org.assertj.core.data.Offset.offset(0.01));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rigs")
  void startsAtNeutral(Rig rig) throws IOException {
    start(rig);

    assertThat(rig.motor()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rigs")
  void watchdogFailsafePutsTheDeviceToNeutral(Rig rig) throws IOException {
    driveAtHalfThrottle(start(rig));

    now += 300 * MS;
    drivetrain.tick(now);

    assertThat(drivetrain.governor().state()).isEqualTo(CarState.FAILSAFE);
    assertThat(rig.motor()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rigs")
  void estopPutsTheDeviceToNeutral(Rig rig) throws IOException {
    driveAtHalfThrottle(start(rig));

    send(0.5, true, true);

    assertThat(drivetrain.governor().state()).isEqualTo(CarState.ESTOP);
    assertThat(rig.motor()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rigs")
  void shutdownPutsTheDeviceToNeutralThenStopsItsPulses(Rig rig) throws IOException {
    driveAtHalfThrottle(start(rig));

    drivetrain.failsafe("agent shutting down");
    assertThat(rig.motor()).isZero();
    drivetrain.shutdown("agent shutting down");

    assertThat(rig.silent()).as("no pulses after the neutral hold").isTrue();
    assertThat(drivetrain.governor().state()).isEqualTo(CarState.FAILSAFE);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rigs")
  void anOutputErrorFailsSafeAndTheNextWriteIsNeutral(Rig rig) throws IOException {
    driveAtHalfThrottle(start(rig));

    rig.breakDevice(false);
    send(0.8, true, false);
    rig.repairDevice();
    drivetrain.tick(now += 10 * MS);

    assertThat(drivetrain.governor().state()).isEqualTo(CarState.FAILSAFE);
    assertThat(drivetrain.governor().reason()).startsWith("actuator error");
    assertThat(drivetrain.actuatorErrors()).isPositive();
    assertThat(rig.motor()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rigs")
  void aDeviceThatRecoversStaysNeutralUntilTheDriverRearms(Rig rig) throws IOException {
    driveAtHalfThrottle(start(rig));

    rig.breakDevice(true);
    send(0.8, true, false);
    send(0.8, true, false);
    rig.repairDevice();
    send(0.8, true, false); // the station still says "armed": not enough

    assertThat(rig.motor()).isZero();
    send(0, false, false);
    send(0, true, false);
    send(0.3, true, false);
    assertThat(rig.motor()).isEqualTo(0.3, org.assertj.core.data.Offset.offset(0.01));
  }

  @org.junit.jupiter.api.Test
  void aSteeringChannelThatFailsForGoodStillLeavesTheMotorAtNeutral() throws IOException {
    SysfsRig rig = (SysfsRig) start(new SysfsRig());
    driveAtHalfThrottle(rig);

    rig.sysfs.breakAttribute(0, "duty_cycle", true); // the servo's channel, for good
    send(0.8, true, false);
    drivetrain.tick(now += 10 * MS);

    assertThat(drivetrain.governor().state()).isEqualTo(CarState.FAILSAFE);
    assertThat(rig.motor()).as("the ESC got neutral although steering cannot be written").isZero();
  }
}
