package dev.rcdrive.agent.output;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rcdrive.agent.Output;
import org.junit.jupiter.api.Test;

class ServoEscActuatorTest {

  private final HBridgeActuatorTest.RecordingPwm steering = new HBridgeActuatorTest.RecordingPwm();
  private final HBridgeActuatorTest.RecordingPwm esc = new HBridgeActuatorTest.RecordingPwm();
  private long now = 5_000_000_000L;

  private ServoEscActuator actuator(int armMs) throws Exception {
    return new ServoEscActuator(
        steering,
        new Calibration(1000, 1500, 2000, true, 30, 0),
        esc,
        new Calibration(1100, 1500, 1900, false, 0, armMs),
        () -> now,
        null);
  }

  @Test
  void escHoldsNeutralForItsArmingTimeWhateverItIsTold() throws Exception {
    ServoEscActuator actuator = actuator(2000);

    now += 1_999_000_000L;
    actuator.apply(new Output(0, 1, 0));
    assertThat(esc.last()).isEqualTo(1_500_000);
    assertThat(actuator.arming()).isTrue();

    now += 1_000_000L;
    actuator.apply(new Output(0, 1, 0));
    assertThat(esc.last()).isEqualTo(1_900_000);
    assertThat(actuator.arming()).isFalse();
  }

  @Test
  void startsAtNeutralWithTrimAndFollowsEachCalibration() throws Exception {
    ServoEscActuator actuator = actuator(0);
    assertThat(steering.highs).containsExactly(1_530_000L);
    assertThat(esc.highs).containsExactly(1_500_000L);

    actuator.apply(new Output(1, -1, 0));

    assertThat(steering.last()).isEqualTo(1_000_000); // reversed
    assertThat(esc.last()).isEqualTo(1_100_000);
  }

  @Test
  void brakeIsNeutralNotReverse() throws Exception {
    ServoEscActuator actuator = actuator(0);

    actuator.apply(new Output(0, 0.5, 1));

    assertThat(esc.last()).isEqualTo(1_500_000);
  }

  @Test
  void closeHoldsNeutralThenStopsPulsingAndIgnoresLaterCommands() throws Exception {
    ServoEscActuator actuator = actuator(0);
    actuator.apply(new Output(0.7, 0.7, 0));

    actuator.close();
    actuator.apply(new Output(0.7, 0.7, 0));

    // Neutral is what the ESC sees last before the signal stops (docs/decisions/0006).
    assertThat(esc.beforeLast()).isEqualTo(1_500_000);
    assertThat(esc.heldBeforeLastMillis()).isGreaterThanOrEqualTo(Outputs.NEUTRAL_HOLD_MILLIS);
    assertThat(esc.last()).isEqualTo(HBridgeActuatorTest.RecordingPwm.OFF);
    assertThat(steering.beforeLast()).isEqualTo(1_530_000);
    assertThat(steering.last()).isEqualTo(HBridgeActuatorTest.RecordingPwm.OFF);
  }
}
