package dev.rcdrive.gst;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BitrateControlTest {

  @Test
  void climbsOnACleanLinkUpToTheCap() {
    BitrateControl control = new BitrateControl(150, 1000, 1500);
    assertThat(control.onReport(0, 40)).isEqualTo(1080);
    for (int i = 0; i < 20; i++) {
      control.onReport(0, 40);
    }
    assertThat(control.kbps()).isEqualTo(1500);
  }

  @Test
  void heavyLossCutsByHalfTheLoss() {
    BitrateControl control = new BitrateControl(150, 1000, 4000);
    assertThat(control.onReport(0.20, 40)).isEqualTo(900);
  }

  @Test
  void moderateLossHolds() {
    BitrateControl control = new BitrateControl(150, 1000, 4000);
    assertThat(control.onReport(0.05, 40)).isEqualTo(1000);
  }

  @Test
  void aGrowingQueueOnTheLinkBacksOffBeforeAnyLoss() {
    BitrateControl control = new BitrateControl(150, 1000, 4000);
    control.onReport(0, 60); // the lowest round trip seen: the empty path
    assertThat(control.onReport(0, 60 + BitrateControl.QUEUE_MILLIS + 20)).isEqualTo(918);
  }

  @Test
  void neverBelowTheFloorWhateverTheLoss() {
    BitrateControl control = new BitrateControl(150, 300, 4000);
    for (int i = 0; i < 20; i++) {
      control.onReport(1.0, Double.NaN);
    }
    assertThat(control.kbps()).isEqualTo(150);
  }

  @Test
  void unknownFiguresAreNoReason() {
    BitrateControl control = new BitrateControl(150, 1000, 4000);
    assertThat(control.onReport(Double.NaN, Double.NaN)).isEqualTo(1080);
  }

  @Test
  void refusesAnEmptyRange() {
    assertThatThrownBy(() -> new BitrateControl(500, 600, 400))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
