package dev.rcdrive.agent.output;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rcdrive.agent.Output;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HBridgeActuatorTest {

  /** A PWM channel that records every high time it was given. */
  static final class RecordingPwm implements PwmChannel {
    /** What {@link #off()} records: no pulses at all. */
    static final long OFF = -1;

    final List<Long> highs = new ArrayList<>();
    final List<Long> times = new ArrayList<>();

    @Override
    public long periodNanos() {
      return 1_000_000;
    }

    @Override
    public void highNanos(long nanos) {
      highs.add(nanos);
      times.add(System.nanoTime());
    }

    @Override
    public void off() {
      highNanos(OFF);
    }

    long last() {
      return highs.get(highs.size() - 1);
    }

    /** The value before the last one. */
    long beforeLast() {
      return highs.get(highs.size() - 2);
    }

    /** How long the value before the last one was held, in ms. */
    long heldBeforeLastMillis() {
      return (times.get(times.size() - 1) - times.get(times.size() - 2)) / 1_000_000;
    }

    @Override
    public String describe() {
      return "recording";
    }
  }

  private final RecordingPwm servo = new RecordingPwm();
  private final RecordingPwm enable = new RecordingPwm();
  private final FakeGpioLine in1 = new FakeGpioLine(23);
  private final FakeGpioLine in2 = new FakeGpioLine(24);

  private HBridgeActuator bridge(boolean reverse, double maxDuty) throws Exception {
    return new HBridgeActuator(
        servo, Calibration.standard(0), in1, in2, enable, reverse, maxDuty, null);
  }

  @Test
  void startsCoastingWithSteeringCentred() throws Exception {
    bridge(false, 1);

    assertThat(in1.high).isFalse();
    assertThat(in2.high).isFalse();
    assertThat(enable.last()).isZero();
    assertThat(servo.last()).isEqualTo(1_500_000);
  }

  @Test
  void forwardReverseBrakeAndCoast() throws Exception {
    HBridgeActuator bridge = bridge(false, 0.8);

    bridge.apply(new Output(0.5, 0.5, 0));
    assertThat(List.of(in1.high, in2.high)).containsExactly(true, false);
    assertThat(enable.last()).isEqualTo(400_000); // 0.5 × maxDuty 0.8
    assertThat(servo.last()).isEqualTo(1_750_000);

    bridge.apply(new Output(0, -1, 0));
    assertThat(List.of(in1.high, in2.high)).containsExactly(false, true);
    assertThat(enable.last()).isEqualTo(800_000);

    bridge.apply(new Output(0, 0, 0.6));
    assertThat(List.of(in1.high, in2.high)).containsExactly(true, true);
    assertThat(enable.last()).isEqualTo(600_000);

    bridge.apply(Output.NEUTRAL);
    assertThat(List.of(in1.high, in2.high)).containsExactly(false, false);
    assertThat(enable.last()).isZero();
  }

  @Test
  void directionChangesGoThroughZeroDuty() throws Exception {
    HBridgeActuator bridge = bridge(false, 1);
    bridge.apply(new Output(0, 1, 0));
    enable.highs.clear();

    bridge.apply(new Output(0, -1, 0));

    assertThat(enable.highs).containsExactly(0L, 1_000_000L);
  }

  @Test
  void reverseSwapsTheDirectionPins() throws Exception {
    bridge(true, 1).apply(new Output(0, 0.3, 0));

    assertThat(List.of(in1.high, in2.high)).containsExactly(false, true);
  }

  @Test
  void closeCoastsAndReleasesTheLines() throws Exception {
    HBridgeActuator bridge = bridge(false, 1);
    bridge.apply(new Output(0.9, 1, 0));

    bridge.close();

    assertThat(enable.beforeLast()).isZero();
    assertThat(enable.last()).isEqualTo(RecordingPwm.OFF);
    assertThat(servo.beforeLast()).isEqualTo(1_500_000); // centred, held, then no pulses
    assertThat(servo.heldBeforeLastMillis()).isGreaterThanOrEqualTo(Outputs.NEUTRAL_HOLD_MILLIS);
    assertThat(servo.last()).isEqualTo(RecordingPwm.OFF);
    assertThat(in1.closed && in2.closed).isTrue();
    assertThat(in1.high || in2.high).isFalse();
  }
}
