package dev.rcdrive.agent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The 30 s grace of a failed link counts from its latest failure (issue 15). */
class FailedGraceTest {

  private final FailedGrace grace = new FailedGrace();

  @Test
  void aFailureThatStaysClosesTheLinkWhenItsGraceRunsOut() {
    long first = grace.failed();
    assertThat(grace.expired(first)).isTrue();
  }

  @Test
  void aFailureAfterARecoveryRestartsTheGrace() {
    long first = grace.failed();
    grace.recovered(); // an ICE restart got as far as checking
    long second = grace.failed(); // and failed again, 25 s into the first grace

    assertThat(grace.expired(first)).as("the first failure's timer").isFalse();
    assertThat(grace.expired(second)).isTrue();
  }

  @Test
  void aRecoveredLinkIsNeverClosed() {
    long first = grace.failed();
    grace.recovered();
    assertThat(grace.expired(first)).isFalse();
  }
}
