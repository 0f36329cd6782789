package dev.rcdrive.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rcdrive.protocol.CarState;
import dev.rcdrive.protocol.ControlFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every safety rule as input → expected output, with time injected (no sleeping). */
class SafetyGovernorTest {

  private static final long MS = 1_000_000L;
  private static final long FAILSAFE = 250 * MS;

  private final Limits limits = new Limits(0.6, 0.3, 0, 1, 4, 1000);
  private long now = 1_000 * MS;
  private long seq;
  private final SafetyGovernor governor = new SafetyGovernor(limits, FAILSAFE, now);

  private SafetyGovernor.Verdict send(
      double steering, double throttle, boolean armed, boolean estop) {
    return governor.accept(
        new ControlFrame(++seq, now / 1000, steering, throttle, 0, armed, estop, 0), now);
  }

  private void arm() {
    send(0, 0, false, false);
    send(0, 0, true, false);
  }

  /** Keeps sending one command every 20 ms, as a station does, for this long. */
  private Output hold(double steering, double throttle, long millis) {
    for (long t = 0; t < millis; t += 20) {
      send(steering, throttle, true, false);
      after(20);
    }
    return governor.output();
  }

  private Output after(long millis) {
    now += millis * MS;
    return governor.tick(now);
  }

  @Test
  void disarmedAtStartWithNeutralOutputs() {
    assertThat(governor.state()).isEqualTo(CarState.DISARMED);
    assertThat(after(10)).isEqualTo(Output.NEUTRAL);
  }

  @Test
  void throttleWhileDisarmedDoesNothing() {
    send(0.5, 1, false, false);

    assertThat(after(100)).isEqualTo(Output.NEUTRAL);
    assertThat(governor.state()).isEqualTo(CarState.DISARMED);
  }

  @Test
  void stationAlreadyArmedWhenItConnectsDoesNotArmTheCar() {
    send(0, 1, true, false);
    send(0, 1, true, false);

    assertThat(governor.state()).isEqualTo(CarState.DISARMED);
    assertThat(after(100).throttle()).isZero();
  }

  @Test
  void armingNeedsAnUnarmedFrameFirst() {
    arm();

    assertThat(governor.state()).isEqualTo(CarState.ARMED);
  }

  @Test
  void carLimitsCapTheDriversCommand() {
    arm();

    assertThat(hold(0, 1, 1000).throttle()).isEqualTo(0.6);
    assertThat(hold(0, -1, 1000).throttle()).isEqualTo(-0.3);
  }

  @ParameterizedTest(name = "trim {0}, range {1}: steering {2} -> {3}")
  @CsvSource(
      textBlock =
          """
          0.0, 1.0,  1.0,  1.0
          0.1, 0.5,  1.0,  0.6
          0.1, 0.5, -1.0, -0.4
          0.3, 1.0,  1.0,  1.0
          -0.2, 1.0, 0.0, -0.2
          """)
  void steeringTrimAndRangeComeFromTheCar(double trim, double range, double in, double out) {
    SafetyGovernor trimmed =
        new SafetyGovernor(new Limits(1, 1, trim, range, 4, 1000), FAILSAFE, now);
    trimmed.accept(new ControlFrame(1, 0, 0, 0, 0, false, false, 0), now);
    trimmed.accept(new ControlFrame(2, 0, in, 0, 0, true, false, 0), now);

    assertThat(trimmed.tick(now + 100 * MS).steering())
        .isCloseTo(out, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void growingThrottleIsSlewLimitedButSlowingDownIsImmediate() {
    arm();
    send(0, 0.6, true, false);

    assertThat(after(10).throttle()).isCloseTo(0.04, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(after(40).throttle()).isCloseTo(0.2, org.assertj.core.data.Offset.offset(1e-9));
    send(0, 0.05, true, false);
    assertThat(governor.output().throttle()).isEqualTo(0.05);
    send(0, -0.3, true, false);
    assertThat(governor.output().throttle()).isZero(); // reversing passes through zero first
  }

  @Test
  void estopLatchesUntilClearedAndThenNeedsRearming() {
    arm();
    hold(0, 0.5, 500);

    send(0, 0.5, true, true);
    assertThat(governor.state()).isEqualTo(CarState.ESTOP);
    assertThat(governor.output().throttle()).isZero();
    send(0, 0.5, true, true);
    assertThat(after(100).throttle()).isZero();

    send(0, 0.5, true, false); // cleared, but still "armed" from before: stays disarmed
    assertThat(governor.state()).isEqualTo(CarState.DISARMED);
    assertThat(after(100).throttle()).isZero();

    arm();
    assertThat(governor.state()).isEqualTo(CarState.ARMED);
  }

  @Test
  void estopIsNotLiftedByTheWatchdog() {
    arm();
    send(0, 0, true, true);

    after(1000);

    assertThat(governor.state()).isEqualTo(CarState.ESTOP);
  }

  @Test
  void missingFramesTripTheFailsafeJustAfterTheTimeout() {
    arm();
    send(0, 0.6, true, false);
    after(200);

    assertThat(after(50).throttle()).isPositive(); // exactly 250 ms: not yet
    Output failed = after(1);

    assertThat(governor.state()).isEqualTo(CarState.FAILSAFE);
    assertThat(failed).isEqualTo(Output.NEUTRAL);
    assertThat(governor.reason()).isEqualTo("no control frame for 250 ms");
    assertThat(governor.stateReason())
        .isEqualTo(
            new dev.rcdrive.protocol.StateReason(
                CarState.FAILSAFE,
                dev.rcdrive.protocol.StateReason.Cause.CONTROL_TIMEOUT,
                250,
                ""));
  }

  @Test
  void theStateReasonForTheStationFollowsEveryChange() {
    assertThat(governor.stateReason().cause())
        .isEqualTo(dev.rcdrive.protocol.StateReason.Cause.STARTED);
    arm();
    assertThat(governor.stateReason().state()).isEqualTo(CarState.ARMED);
    assertThat(governor.stateReason().cause())
        .isEqualTo(dev.rcdrive.protocol.StateReason.Cause.ARMED_BY_DRIVER);

    governor.failsafe(dev.rcdrive.protocol.StateReason.Cause.LINK_LOST, "link failed");

    assertThat(governor.stateReason())
        .isEqualTo(
            new dev.rcdrive.protocol.StateReason(
                CarState.FAILSAFE,
                dev.rcdrive.protocol.StateReason.Cause.LINK_LOST,
                0,
                "link failed"));
    send(0, 0, false, true);
    assertThat(governor.stateReason().state()).isEqualTo(CarState.ESTOP);
    assertThat(governor.stateReason().cause())
        .isEqualTo(dev.rcdrive.protocol.StateReason.Cause.ESTOP_BY_DRIVER);
  }

  @Test
  void afterFailsafeTheCarStaysStillUntilTheDriverRearms() {
    arm();
    after(300);
    assertThat(governor.state()).isEqualTo(CarState.FAILSAFE);

    send(0, 0.6, true, false); // the link is back, the station still says "armed"
    assertThat(after(100).throttle()).isZero();
    assertThat(governor.state()).isEqualTo(CarState.FAILSAFE);

    send(0, 0, false, false);
    assertThat(governor.state()).isEqualTo(CarState.DISARMED);
    send(0, 0.6, true, false);
    assertThat(governor.state()).isEqualTo(CarState.ARMED);
    assertThat(hold(0, 0.6, 1000).throttle()).isEqualTo(0.6);
  }

  @Test
  void failsafeFromOutsideIsImmediate() {
    arm();
    hold(0.5, 0.6, 1000);

    governor.failsafe("data channel closed");

    assertThat(governor.output()).isEqualTo(Output.NEUTRAL);
    assertThat(governor.state()).isEqualTo(CarState.FAILSAFE);
    assertThat(governor.reason()).isEqualTo("data channel closed");
  }

  @Test
  void laterFailuresKeepTheFirstCause() {
    arm();
    governor.failsafe("ICE failed");

    governor.failsafe("control channel closed");

    assertThat(governor.reason()).isEqualTo("ICE failed");
  }

  @Test
  void staleAndRepeatedFramesAreDroppedAndCounted() {
    governor.accept(new ControlFrame(10, 0, 0, 0, 0, false, false, 0), now);

    assertThat(governor.accept(new ControlFrame(10, 0, 0, 0, 0, false, false, 0), now))
        .isEqualTo(SafetyGovernor.Verdict.STALE);
    assertThat(governor.accept(new ControlFrame(9, 0, 0, 0, 0, true, false, 0), now))
        .isEqualTo(SafetyGovernor.Verdict.STALE);
    assertThat(governor.rejectedFrames()).isEqualTo(2);
    assertThat(governor.accept(new ControlFrame(11, 0, 0, 0, 0, false, false, 0), now))
        .isEqualTo(SafetyGovernor.Verdict.APPLIED);
  }

  @Test
  void sequenceNumbersWrapAround() {
    assertThat(SafetyGovernor.isNewer(0, 0xFFFF_FFFFL)).isTrue();
    assertThat(SafetyGovernor.isNewer(0xFFFF_FFFFL, 0)).isFalse();
    assertThat(SafetyGovernor.isNewer(5, 3)).isTrue();
  }

  @Test
  void watchdogIsQuietBeforeTheFirstFrameOfASession() {
    after(10_000);

    assertThat(governor.state()).isEqualTo(CarState.DISARMED);
  }

  /**
   * Found by SafetyGovernorFuzzTest. A new link restarts the sequence and disarms the watchdog; had
   * the car stayed armed it would keep driving with no watchdog until the new link's first frame,
   * and a new station's very first "armed" frame would arm it. The agent failsafes before it starts
   * a new session, but the governor must not rely on its caller for safety.
   */
  @Test
  void newSessionStopsAnArmedCarAndTheNewLinkMustDisarmBeforeArming() {
    arm();
    hold(0, 0.5, 200);
    assertThat(governor.output().throttle()).isPositive();

    governor.newSession();

    assertThat(governor.state()).isEqualTo(CarState.FAILSAFE);
    assertThat(after(10).throttle()).isZero();
    seq = 0; // the new link numbers from 1
    send(0, 0.5, true, false);
    assertThat(governor.state()).isEqualTo(CarState.FAILSAFE);
    send(0, 0, false, false);
    send(0, 0.5, true, false);
    assertThat(governor.state()).isEqualTo(CarState.ARMED);
  }

  @Test
  void newSessionWhileDisarmedStillNeedsTheNewLinksOwnDisarmedFrame() {
    send(0, 0, false, false); // the old link's disarmed frame

    governor.newSession();
    seq = 0;
    send(0, 0.5, true, false);

    assertThat(governor.state()).isEqualTo(CarState.DISARMED);
    assertThat(after(10).throttle()).isZero();
  }
}
