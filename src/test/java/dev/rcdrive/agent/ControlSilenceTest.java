package dev.rcdrive.agent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The car checks signaling after half a second without control frames (issue 15). */
class ControlSilenceTest {

  private static final long MS = 1_000_000L;
  private static final long T0 = 123_456 * MS;

  private final ControlSilence silence = new ControlSilence();

  @ParameterizedTest(name = "silent {0} ms → probe {1}")
  @CsvSource({"0, false", "250, false", "499, false", "500, true", "5000, true"})
  void oneCheckAfterTheLastFrame(long silentMillis, boolean probe) {
    assertThat(silence.probeDue(true, T0, T0 + silentMillis * MS)).isEqualTo(probe);
  }

  @Test
  void beforeAnyFrameThereIsNoSilenceToActOn() {
    assertThat(silence.probeDue(false, 0, T0)).isFalse();
  }

  @Test
  void oncePerSilenceAndAgainAfterFramesCameBackAndStoppedAgain() {
    assertThat(silence.probeDue(true, T0, T0 + 600 * MS)).isTrue();
    assertThat(silence.probeDue(true, T0, T0 + 610 * MS)).isFalse();
    assertThat(silence.probeDue(true, T0, T0 + 9000 * MS)).isFalse();
    long back = T0 + 9500 * MS;
    assertThat(silence.probeDue(true, back, back + 100 * MS)).isFalse();
    assertThat(silence.probeDue(true, back, back + 500 * MS)).isTrue();
  }
}
