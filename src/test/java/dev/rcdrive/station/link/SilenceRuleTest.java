package dev.rcdrive.station.link;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rcdrive.station.link.SilenceRule.Verdict;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** When the driver restarts ICE from silence alone, on a clock of the test's own (issue 15). */
class SilenceRuleTest {

  private static final long MS = 1_000_000L;
  private static final long T0 = 5_000 * MS; // any origin: System.nanoTime() is arbitrary

  private final SilenceRule rule = new SilenceRule();

  @ParameterizedTest(name = "silent {0} ms → {1}")
  @CsvSource({
    "0, FLOWING",
    "100, FLOWING",
    "299, FLOWING",
    "300, SUSPECT",
    "999, SUSPECT",
    "1000, RESTART",
    "7000, RESTART",
  })
  void aSingleCheckAfterTrafficStopped(long silentMillis, Verdict expected) {
    rule.heard(T0);
    assertThat(rule.check(T0 + silentMillis * MS)).isEqualTo(expected);
  }

  @Test
  void nothingIsExpectedBeforeTheLinkCarriedAnything() {
    assertThat(rule.check(T0)).isEqualTo(Verdict.FLOWING);
    assertThat(rule.check(T0 + 60_000 * MS)).isEqualTo(Verdict.FLOWING);
  }

  @Test
  void aLongSilenceGetsRestartsWithGrowingWaitsUpToEightSeconds() {
    rule.heard(T0);
    List<Long> restartsAt = new ArrayList<>();
    for (long ms = 0; ms <= 40_000; ms += 100) {
      if (rule.check(T0 + ms * MS) == Verdict.RESTART) {
        restartsAt.add(ms);
      }
    }
    assertThat(restartsAt)
        .containsExactly(1000L, 2000L, 3000L, 5000L, 9000L, 17000L, 25000L, 33000L);
  }

  @Test
  void trafficBackEndsTheSilenceAndTheNextOneStartsAfresh() {
    rule.heard(T0);
    assertThat(rule.check(T0 + 1000 * MS)).isEqualTo(Verdict.RESTART);
    assertThat(rule.check(T0 + 1500 * MS)).isEqualTo(Verdict.WAITING);
    assertThat(rule.check(T0 + 2000 * MS)).isEqualTo(Verdict.RESTART);
    rule.heard(T0 + 2600 * MS); // the restart worked
    assertThat(rule.check(T0 + 2700 * MS)).isEqualTo(Verdict.FLOWING);
    assertThat(rule.restarts()).isZero();
    assertThat(rule.check(T0 + 3600 * MS)).isEqualTo(Verdict.RESTART);
    assertThat(rule.check(T0 + 4000 * MS)).isEqualTo(Verdict.WAITING);
  }

  @Test
  void aRestartForAnotherReasonDelaysTheNextSilenceRestart() {
    rule.heard(T0);
    rule.restarted(T0 + 900 * MS); // e.g. the car came back online
    assertThat(rule.check(T0 + 1000 * MS)).isEqualTo(Verdict.WAITING);
    assertThat(rule.check(T0 + 1900 * MS)).isEqualTo(Verdict.RESTART);
  }

  @Test
  void aNewPeerConnectionIsNotWatchedUntilItCarriesSomething() {
    rule.heard(T0);
    rule.reset();
    assertThat(rule.check(T0 + 5000 * MS)).isEqualTo(Verdict.FLOWING);
    rule.heard(T0 + 6000 * MS);
    assertThat(rule.check(T0 + 7000 * MS)).isEqualTo(Verdict.RESTART);
  }

  @Test
  void anOlderArrivalHandedOverLateDoesNotMoveTheClockBack() {
    rule.heard(T0 + 1000 * MS);
    rule.heard(T0); // a frame stamped earlier, queued behind the newer one
    assertThat(rule.check(T0 + 1500 * MS)).isEqualTo(Verdict.SUSPECT);
  }

  @Test
  void theSameArrivalPassedAgainOnEveryCheckKeepsTheBackoff() {
    rule.heard(T0);
    assertThat(rule.check(T0 + 1000 * MS)).isEqualTo(Verdict.RESTART);
    rule.heard(T0);
    assertThat(rule.check(T0 + 1100 * MS)).isEqualTo(Verdict.WAITING);
    assertThat(rule.restarts()).isEqualTo(1);
  }
}
