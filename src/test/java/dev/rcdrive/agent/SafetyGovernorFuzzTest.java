package dev.rcdrive.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rcdrive.protocol.CarState;
import dev.rcdrive.protocol.ControlFrame;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The governor's input path against seeded random sequences: frames with any values, sequence
 * numbers that jump, repeat, go back and wrap, time gaps from 0 to twice the failsafe, link losses
 * and new driver sessions, in any order. After every step the outputs stay inside the car's limits
 * and the safety rules hold, checked against a small model of them.
 *
 * <p>The suite runs {@value #DEFAULT_SEQUENCES} sequences of 300 steps; more with {@code ./mvnw -B
 * test -Dtest=SafetyGovernorFuzzTest -Drcdrive.fuzz.sequences=20000 -Drcdrive.fuzz.seed=N}.
 */
class SafetyGovernorFuzzTest {

  static final int DEFAULT_SEQUENCES = 2000;
  private static final int SEQUENCES =
      Integer.getInteger("rcdrive.fuzz.sequences", DEFAULT_SEQUENCES);
  private static final long SEED = Long.getLong("rcdrive.fuzz.seed", 20261124L);
  private static final int STEPS = 300;
  private static final long FAILSAFE_NANOS = 250_000_000L;
  private static final double EPS = 1e-9;

  @Test
  void noSequenceOfInputsExceedsTheLimitsOrLeavesTheCarArmedWhenItMustNotBe() {
    SplittableRandom random = new SplittableRandom(SEED);
    long steps = 0;
    long armedSteps = 0;
    for (int s = 0; s < SEQUENCES; s++) {
      armedSteps += runSequence(random.split(), s);
      steps += STEPS;
    }
    System.out.println(
        "governor fuzz: "
            + SEQUENCES
            + " sequences, "
            + steps
            + " steps, "
            + armedSteps
            + " of them armed, 0 violations (seed "
            + SEED
            + ")");
    assertThat(armedSteps).as("the fuzz reaches the armed state").isGreaterThan(steps / 50);
  }

  private static Limits randomLimits(SplittableRandom random) {
    return new Limits(
        random.nextDouble(0, 1),
        random.nextDouble(0, 1),
        random.nextDouble(-0.5, 0.5),
        random.nextDouble(0, 1),
        random.nextDouble(0.01, 20),
        random.nextDouble(0.01, 40));
  }

  /** Returns the number of steps spent armed. */
  private static int runSequence(SplittableRandom random, int sequence) {
    Limits limits = randomLimits(random);
    long now = random.nextLong(0, Long.MAX_VALUE / 4);
    SafetyGovernor governor = new SafetyGovernor(limits, FAILSAFE_NANOS, now);
    // The model: what the rules allow, tracked independently of the governor's own fields.
    boolean disarmedFrameSinceTrip = false;
    long newest = -1;
    long lastFed = Long.MIN_VALUE;
    Output previous = governor.output();
    long previousAt = now;
    long seq = random.nextLong(0, 0x1_0000_0000L);
    int armed = 0;

    for (int step = 0; step < STEPS; step++) {
      now +=
          random.nextInt(5) == 0
              ? random.nextLong(0, 2 * FAILSAFE_NANOS)
              : random.nextLong(0, 30_000_000L);
      String what;
      boolean advanced = true;
      int action = random.nextInt(100);
      if (action < 70) {
        seq = nextSeq(random, seq);
        ControlFrame frame = randomFrame(random, seq);
        what = "accept " + frame;
        boolean expectApplied = newest < 0 || SafetyGovernor.isNewer(frame.seq(), newest);
        SafetyGovernor.Verdict verdict = governor.accept(frame, now);
        assertThat(verdict)
            .as("seq %d after %d", frame.seq(), newest)
            .isEqualTo(
                expectApplied ? SafetyGovernor.Verdict.APPLIED : SafetyGovernor.Verdict.STALE);
        advanced = expectApplied;
        if (expectApplied) {
          newest = frame.seq();
          lastFed = now;
          if (frame.estop()) {
            assertThat(governor.state()).as(what).isEqualTo(CarState.ESTOP);
            disarmedFrameSinceTrip = false;
          } else if (!frame.armed()) {
            disarmedFrameSinceTrip = true;
            assertThat(governor.state()).as(what).isEqualTo(CarState.DISARMED);
          }
        }
      } else if (action < 90) {
        what = "tick";
        governor.tick(now);
        if (lastFed != Long.MIN_VALUE && now - lastFed > FAILSAFE_NANOS) {
          assertThat(governor.state())
              .as("silent for %d ns", now - lastFed)
              .isNotEqualTo(CarState.ARMED);
        }
      } else if (action < 96) {
        what = "failsafe";
        advanced = false;
        governor.failsafe("link lost");
        assertThat(governor.state()).isIn(CarState.FAILSAFE, CarState.ESTOP);
      } else {
        what = "new session";
        advanced = false;
        governor.newSession();
        newest = -1;
        lastFed = Long.MIN_VALUE;
        disarmedFrameSinceTrip = false; // a new link shows its own disarmed frame first
      }
      if (governor.state() == CarState.FAILSAFE || governor.state() == CarState.ESTOP) {
        disarmedFrameSinceTrip = false;
      }

      Output out = governor.output();
      String context = "sequence " + sequence + " step " + step + " (" + what + ")";
      assertWithinLimits(out, limits, context);
      if (governor.state() == CarState.ARMED) {
        armed++;
        assertThat(disarmedFrameSinceTrip)
            .as(context + ": armed only after a disarmed frame since start or the last trip")
            .isTrue();
        assertThat(lastFed).as(context + ": armed means fed").isNotEqualTo(Long.MIN_VALUE);
        assertSlewed(previous, out, limits, (now - previousAt) / 1e9, context);
      } else {
        assertThat(out.throttle()).as(context + ": not armed, no throttle").isZero();
        assertThat(out.steering()).as(context).isEqualTo(limits.steeringTrim());
      }
      previous = out;
      if (advanced) {
        previousAt = now; // the governor slews over the time since it last moved the outputs
      }
    }
    return armed;
  }

  /** Mostly +1, sometimes a repeat, a jump back, a big jump or a wrap. */
  private static long nextSeq(SplittableRandom random, long seq) {
    int kind = random.nextInt(20);
    long next =
        switch (kind) {
          case 0 -> seq; // repeated
          case 1 -> seq - random.nextInt(1, 100); // stale
          case 2 -> seq + random.nextLong(0, 0x1_0000_0000L); // anywhere
          case 3 -> 0xFFFF_FFFFL; // about to wrap
          default -> seq + 1;
        };
    return next & 0xFFFF_FFFFL;
  }

  private static ControlFrame randomFrame(SplittableRandom random, long seq) {
    boolean extreme = random.nextInt(4) == 0;
    double steering = extreme ? (random.nextBoolean() ? 1 : -1) : random.nextDouble(-1, 1);
    double throttle = extreme ? (random.nextBoolean() ? 1 : -1) : random.nextDouble(-1, 1);
    int flags = random.nextInt(10);
    boolean armed = flags < 7; // mostly armed, so the armed rules get exercised
    boolean estop = flags == 9;
    return new ControlFrame(
        seq,
        random.nextLong(0, Long.MAX_VALUE),
        steering,
        throttle,
        random.nextDouble(0, 1),
        armed,
        estop,
        random.nextInt(0x10000));
  }

  private static void assertWithinLimits(Output out, Limits limits, String context) {
    assertThat(out.throttle())
        .as(context + " throttle")
        .isFinite()
        .isBetween(-limits.maxReverse() - EPS, limits.maxForward() + EPS);
    assertThat(out.steering()).as(context + " steering").isFinite().isBetween(-1.0, 1.0);
    assertThat(out.steering())
        .as(context + " steering within trim ± range")
        .isBetween(
            limits.steeringTrim() - limits.steeringRange() - EPS,
            limits.steeringTrim() + limits.steeringRange() + EPS);
    assertThat(out.brake()).as(context + " brake").isFinite().isBetween(0.0, 1.0);
  }

  /** Growing throttle moves at most the slew rate; shrinking toward zero may be instant. */
  private static void assertSlewed(
      Output before, Output after, Limits limits, double seconds, String context) {
    double allowed = limits.throttleSlewPerSecond() * seconds + EPS;
    boolean sameSide = Math.signum(after.throttle()) * Math.signum(before.throttle()) >= 0;
    double grown =
        sameSide
            ? Math.abs(after.throttle()) - Math.abs(before.throttle())
            : Math.abs(after.throttle());
    assertThat(grown)
        .as(context + " throttle growth in %.4f s", seconds)
        .isLessThanOrEqualTo(allowed);
    assertThat(Math.abs(after.steering() - before.steering()))
        .as(context + " steering change")
        .isLessThanOrEqualTo(limits.steeringSlewPerSecond() * seconds + EPS);
  }
}
