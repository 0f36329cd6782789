package dev.rcdrive.gst;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BitrateControlTest {

  private static long ms(long millis) {
    return TimeUnit.MILLISECONDS.toNanos(millis);
  }

  @Test
  void climbsOnACleanLinkUpToTheCap() {
    BitrateControl control = new BitrateControl(150, 1000, 1500);
    assertThat(control.onReport(0, 40, ms(1000))).isEqualTo(1080);
    for (int i = 2; i < 22; i++) {
      control.onReport(0, 40, ms(1000L * i));
    }
    assertThat(control.kbps()).isEqualTo(1500);
  }

  @Test
  void climbsAtMostOneStepASecondHoweverOftenReportsCome() {
    // With transport-wide feedback negotiated, libwebrtc sends a receiver report ten times a
    // second.
    BitrateControl control = new BitrateControl(150, 1000, 4000);
    for (int t = 0; t < 2000; t += 100) {
      control.onReport(0, 40, ms(5000 + t));
    }
    assertThat(control.kbps()).as("two steps in two seconds").isEqualTo(1166);
  }

  @Test
  void heavyLossCutsByHalfTheLoss() {
    BitrateControl control = new BitrateControl(150, 1000, 4000);
    assertThat(control.onReport(0.20, 40, ms(1000))).isEqualTo(900);
  }

  @Test
  void moderateLossHolds() {
    BitrateControl control = new BitrateControl(150, 1000, 4000);
    assertThat(control.onReport(0.05, 40, ms(1000))).isEqualTo(1000);
  }

  @Test
  void aGrowingQueueOnTheLinkBacksOffBeforeAnyLoss() {
    BitrateControl control = new BitrateControl(150, 1000, 4000);
    control.onReport(Double.NaN, 60, ms(1000)); // the lowest round trip seen: the empty path
    assertThat(control.kbps()).isEqualTo(1080);
    assertThat(control.onReport(0, 60 + BitrateControl.QUEUE_MILLIS + 20, ms(1100)))
        .as("a cut comes at once, even right after a rise")
        .isEqualTo(918);
  }

  /** 40 ms above the lowest is a 4G path's own jitter: the rise goes on; 80 ms is a queue. */
  @org.junit.jupiter.params.ParameterizedTest(name = "{0} ms above the lowest round trip")
  @org.junit.jupiter.params.provider.CsvSource({"40, 1166", "80, 918"})
  void aRoundTripAboveItsLowestIsAQueueFrom60Ms(int aboveLowest, int expectedKbps) {
    BitrateControl control = new BitrateControl(150, 1000, 4000);
    control.onReport(0, 40, ms(1000)); // the lowest round trip seen; a rise to 1080
    assertThat(control.onReport(0, 40 + aboveLowest, ms(2000))).isEqualTo(expectedKbps);
  }

  @Test
  void neverBelowTheFloorWhateverTheLoss() {
    BitrateControl control = new BitrateControl(150, 300, 4000);
    for (int i = 0; i < 20; i++) {
      control.onReport(1.0, Double.NaN, ms(1000L * i));
    }
    assertThat(control.kbps()).isEqualTo(150);
  }

  @Test
  void unknownFiguresAreNoReason() {
    BitrateControl control = new BitrateControl(150, 1000, 4000);
    assertThat(control.onReport(Double.NaN, Double.NaN, ms(1000))).isEqualTo(1080);
  }

  @Test
  void aLinkDeliveringLessThanWasSentTwiceInARowBringsTheBitrateUnderWhatArrived() {
    BitrateControl control = new BitrateControl(150, 1000, 4000);
    assertThat(control.onTransportFeedback(1000, 780, 0, ms(300)))
        .as("one window may be a keyframe's burst")
        .isEqualTo(1000);
    assertThat(control.onTransportFeedback(1010, 790, 0, ms(550)))
        .isEqualTo((int) Math.round(790 * BitrateControl.DRAIN));
  }

  @Test
  void heavyLossInTheFeedbackIsAFullLinkToo() {
    BitrateControl control = new BitrateControl(150, 1000, 4000);
    control.onTransportFeedback(1000, 950, 0.2, ms(300));
    assertThat(control.onTransportFeedback(1000, 950, 0.2, ms(550)))
        .isEqualTo((int) Math.round(950 * BitrateControl.DRAIN));
  }

  @Test
  void aLinkThatDeliversWhatWasSentNeitherCutsNorRaises() {
    BitrateControl control = new BitrateControl(150, 1000, 4000);
    for (int t = 0; t < 3000; t += 250) {
      control.onTransportFeedback(1000, 990, 0.01, ms(t));
    }
    assertThat(control.kbps()).isEqualTo(1000);
  }

  @Test
  void oneQueueIsCutForOnceNotAgainByEveryReportThatStillSeesIt() {
    BitrateControl control = new BitrateControl(150, 1000, 4000);
    control.onReport(0, 60, ms(0));
    control.onTransportFeedback(1080, 780, 0, ms(300));
    int cut = control.onTransportFeedback(1080, 780, 0, ms(550));
    assertThat(cut).isEqualTo(663);
    // The queue drains over the next second: round trips and loss still show it.
    control.onReport(0.15, 300, ms(700));
    control.onTransportFeedback(700, 560, 0, ms(800));
    control.onReport(0, 250, ms(900));
    control.onTransportFeedback(660, 500, 0, ms(1050));
    assertThat(control.kbps()).isEqualTo(cut);
    // A second later it may cut again, if the link is still full.
    control.onTransportFeedback(660, 500, 0, ms(1600));
    assertThat(control.kbps()).isEqualTo(425);
  }

  @Test
  void noRiseWithinASecondOfACut() {
    BitrateControl control = new BitrateControl(150, 1000, 4000);
    control.onReport(0.3, 40, ms(0));
    assertThat(control.kbps()).isEqualTo(850);
    assertThat(control.onReport(0, 40, ms(900))).isEqualTo(850);
    assertThat(control.onReport(0, 40, ms(1000))).isEqualTo(918);
  }

  @Test
  void refusesAnEmptyRange() {
    assertThatThrownBy(() -> new BitrateControl(500, 600, 400))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aQueueOnThePathCutsToBelowWhatArrived() {
    BitrateControl control = new BitrateControl(150, 1000, 4000);
    assertThat(control.onQueue(BitrateControl.QUEUE_CUT_MILLIS - 1, 800, ms(1000)))
        .as("a queue under the cut")
        .isEqualTo(1000);
    assertThat(control.onQueue(BitrateControl.QUEUE_CUT_MILLIS + 5, 800, ms(1250)))
        .as("85 % of the 800 kbps that arrived")
        .isEqualTo(680);
  }

  @Test
  void aQueueThatStopsGrowingAfterACutIsLeftToDrainAndOneGrowingAgainIsCut() {
    BitrateControl control = new BitrateControl(150, 1000, 4000);
    control.onQueue(60, 800, ms(1000)); // → 680
    assertThat(control.onQueue(64, 700, ms(2500))).as("not grown: draining").isEqualTo(680);
    assertThat(control.onQueue(40, 700, ms(3000))).as("draining").isEqualTo(680);
    assertThat(control.onQueue(46, 700, ms(3500)))
        .as("6 ms above its lowest since the cut: growing again")
        .isEqualTo(578); // 85 % of the 680 it sends (less than the 700 that arrived)
  }

  @Test
  void theBitrateRisesOnlyOnceTheQueueHasCleared() {
    BitrateControl control = new BitrateControl(150, 1000, 4000);
    control.onQueue(BitrateControl.QUEUE_CLEAR_MILLIS + 5, 900, ms(500));
    assertThat(control.onReport(0, 40, ms(1000))).as("a queue is still there").isEqualTo(1000);
    control.onQueue(BitrateControl.QUEUE_CLEAR_MILLIS - 5, 900, ms(1500));
    assertThat(control.onReport(0, 40, ms(2000))).as("cleared").isEqualTo(1080);
  }

  @Test
  void anUnknownQueueChangesNothing() {
    BitrateControl control = new BitrateControl(150, 1000, 4000);
    assertThat(control.onQueue(Double.NaN, 500, ms(1000))).isEqualTo(1000);
    assertThat(control.onReport(0, 40, ms(2000))).as("rises as without it").isEqualTo(1080);
  }

  @Test
  void aQueueLeftByAnotherRulesCutIsLeftToDrain() {
    BitrateControl control = new BitrateControl(150, 1000, 4000);
    control.onQueue(28, 800, ms(500)); // a queue under the cut
    control.onTransportFeedback(1000, 700, 0, ms(900));
    control.onTransportFeedback(1000, 700, 0, ms(1000)); // the link is full: → 595
    assertThat(control.kbps()).isEqualTo(595);
    assertThat(control.onQueue(32, 700, ms(2100)))
        .as("a queue no longer than at the feedback's cut is draining (or the path's own)")
        .isEqualTo(595);
  }
}
