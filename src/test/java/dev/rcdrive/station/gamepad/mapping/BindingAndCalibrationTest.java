package dev.rcdrive.station.gamepad.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rcdrive.station.gamepad.device.PadControl;
import dev.rcdrive.station.gamepad.device.PadInfo;
import dev.rcdrive.station.gamepad.device.PadSnapshot;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** "Press the control you want for …" and the two-step calibration, on snapshots. */
class BindingAndCalibrationTest {

  private static final List<PadControl> CONTROLS =
      List.of(
          new PadControl("x", PadControl.Kind.AXIS),
          new PadControl("y", PadControl.Kind.AXIS),
          new PadControl("z", PadControl.Kind.AXIS),
          new PadControl("rz", PadControl.Kind.AXIS),
          new PadControl("A", PadControl.Kind.BUTTON),
          new PadControl("B", PadControl.Kind.BUTTON),
          new PadControl("pov", PadControl.Kind.POV));

  private long seq;

  /** x, y, z (left trigger), rz (right trigger), A, B, pov. */
  private PadSnapshot snap(float... values) {
    return new PadSnapshot("Pad#1", "Pad", PadSnapshot.State.CONNECTED, ++seq, 0, CONTROLS, values);
  }

  private static final float[] REST = {0.02f, -0.01f, -1, -1, 0, 0, 0};

  private static PadMapping defaults() {
    return DefaultProfiles.forController(new PadInfo("Pad#1", "Pad", CONTROLS));
  }

  @Test
  void throttleBindsToTheTriggerPressedAndReleasedNotToTheWobblingStick() {
    ControlBinder binder = new ControlBinder(PadAction.THROTTLE, snap(REST));

    // Squeezing the right trigger also nudges the stick a little; nothing is decided mid-press.
    assertThat(binder.offer(snap(0.3f, 0.2f, -1, 0.2f, 0, 0, 0), defaults())).isEmpty();
    assertThat(binder.offer(snap(0.4f, 0.1f, -1, 0.98f, 0, 0, 0), defaults())).isEmpty();
    Optional<PadMapping> bound = binder.offer(snap(0.02f, 0, -1, -0.95f, 0, 0, 0), defaults());

    assertThat(bound).isPresent();
    AxisBinding throttle = bound.get().throttle();
    assertThat(throttle.control()).isEqualTo("rz");
    assertThat(throttle.shape()).isEqualTo(AxisBinding.Shape.RANGE);
    assertThat(throttle.released()).isEqualTo(-1f);
    assertThat(throttle.pressed()).isEqualTo(0.98f);
    assertThat(bound.get().profile()).isEqualTo("custom");
    assertThat(bound.get().steer()).isEqualTo(defaults().steer()); // nothing else changed
  }

  @Test
  void onWindowsCombinedTriggerAxisEachTriggerBindsItsOwnHalf() {
    // DirectInput: both Xbox triggers on z, resting at 0; right pulls it to −1, left to +1.
    float[] rest = {0, 0, 0, 0, 0, 0, 0};
    ControlBinder throttle = new ControlBinder(PadAction.THROTTLE, snap(rest));
    throttle.offer(snap(0, 0, -1, 0, 0, 0, 0), defaults());
    PadMapping withThrottle = throttle.offer(snap(rest), defaults()).orElseThrow();
    ControlBinder brake = new ControlBinder(PadAction.BRAKE, snap(rest));
    brake.offer(snap(0, 0, 0.97f, 0, 0, 0, 0), withThrottle);
    PadMapping both = brake.offer(snap(rest), withThrottle).orElseThrow();

    assertThat(both.throttle().control()).isEqualTo("z");
    assertThat(both.brake().control()).isEqualTo("z");
    assertThat(both.throttle().withFeel(0, 0, false, 0).apply(-1, Double.NaN)).isEqualTo(1);
    assertThat(both.throttle().withFeel(0, 0, false, 0).apply(0.97, Double.NaN)).isZero();
    assertThat(both.brake().withFeel(0, 0, false, 0).apply(0.97f, Double.NaN)).isEqualTo(1);
    assertThat(both.brake().withFeel(0, 0, false, 0).apply(-1, Double.NaN)).isZero();
  }

  @Test
  void smallMovesBindNothing() {
    ControlBinder binder = new ControlBinder(PadAction.THROTTLE, snap(REST));
    assertThat(binder.offer(snap(0.3f, -0.3f, -0.7f, -0.8f, 0, 0, 0), defaults())).isEmpty();
    assertThat(binder.offer(snap(REST), defaults())).isEmpty();
  }

  @Test
  void steeringBindsToAStickWithItsPartnerForTheRadialDeadzone() {
    ControlBinder binder = new ControlBinder(PadAction.STEER, snap(REST));
    binder.offer(snap(0.02f, -0.9f, -1, -1, 0, 0, 0), defaults());
    PadMapping bound = binder.offer(snap(REST), defaults()).orElseThrow();
    assertThat(bound.steer().control()).isEqualTo("y");
    assertThat(bound.steer().partner()).isEqualTo("x");
    assertThat(bound.steer().shape()).isEqualTo(AxisBinding.Shape.STICK);
  }

  @Test
  void buttonActionsTakeOnlyButtons() {
    ControlBinder binder = new ControlBinder(PadAction.ESTOP, snap(REST));
    // A trigger pulled all the way and released does not become the E-STOP …
    binder.offer(snap(0, 0, 1, -1, 0, 0, 0), defaults());
    assertThat(binder.offer(snap(REST), defaults())).isEmpty();
    // … a button pressed and released does.
    binder.offer(snap(0, 0, -1, -1, 1, 0, 0), defaults());
    assertThat(binder.offer(snap(REST), defaults()).orElseThrow().estop()).isEqualTo("A");
  }

  @Test
  void aDigitalTriggerCanThrottle() {
    ControlBinder binder = new ControlBinder(PadAction.BRAKE, snap(REST));
    binder.offer(snap(0, 0, -1, -1, 0, 1, 0), defaults());
    AxisBinding brake = binder.offer(snap(REST), defaults()).orElseThrow().brake();
    assertThat(brake.control()).isEqualTo("B");
    assertThat(brake.apply(1, Double.NaN)).isEqualTo(1);
    assertThat(brake.apply(0, Double.NaN)).isZero();
  }

  @Test
  void calibrationSetsCentreAndRangesOfTheBoundAxes() {
    Calibrator calibrator = new Calibrator(snap(0.06f, 0, -0.98f, -0.97f, 0, 0, 0));
    calibrator.observe(snap(0.85f, 0, -0.98f, -0.97f, 0, 0, 0));
    calibrator.observe(snap(-0.9f, 0, 0.9f, 0.95f, 0, 0, 0));

    Calibrator.Result result =
        calibrator.apply(
            defaults()
                .withAxis(PadAction.THROTTLE, AxisBinding.range("rz", -1, 1))
                .withAxis(PadAction.BRAKE, AxisBinding.range("z", -1, 1)));

    AxisBinding steer = result.mapping().steer();
    assertThat(steer.center()).isEqualTo(0.06f);
    assertThat(steer.min()).isEqualTo(-0.9f);
    assertThat(steer.max()).isEqualTo(0.85f);
    assertThat(steer.withFeel(0, 0, false, 0).apply(0.06, Double.NaN))
        .isCloseTo(
            0,
            org.assertj.core.api.Assertions.within(
                1e-6)); // its off-centre rest reads 0 with no deadzone
    assertThat(steer.apply(0.85, Double.NaN))
        .isCloseTo(1, org.assertj.core.api.Assertions.within(1e-6));
    assertThat(result.mapping().throttle().released()).isEqualTo(-0.97f);
    assertThat(result.mapping().throttle().pressed()).isEqualTo(0.95f);
    assertThat(result.mapping().brake().pressed()).isEqualTo(0.9f);
    assertThat(result.notMoved()).isEmpty();
  }

  @Test
  void calibrationKeepsAxesThatWereNotMovedAndSaysWhich() {
    PadMapping before = defaults();
    Calibrator calibrator = new Calibrator(snap(REST));
    calibrator.observe(snap(0.9f, 0, -1, -1, 0, 0, 0)); // steering only pushed one way

    Calibrator.Result result = calibrator.apply(before);

    assertThat(result.mapping().steer()).isEqualTo(before.steer());
    assertThat(result.notMoved()).contains(PadAction.STEER.label());
  }
}
