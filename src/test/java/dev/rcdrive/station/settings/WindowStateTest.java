package dev.rcdrive.station.settings;

import static org.assertj.core.api.Assertions.assertThat;

import javafx.geometry.Rectangle2D;
import org.junit.jupiter.api.Test;

/** The window opens at a size that fits the screen, and wholly on it. */
class WindowStateTest {

  private static final Rectangle2D HD = new Rectangle2D(0, 0, 1280, 720);
  private static final Rectangle2D FULL_HD = new Rectangle2D(0, 0, 1920, 1080);

  @Test
  void theFirstWindowTakesMostOfTheScreenCentred() {
    assertThat(WindowState.fresh(HD)).isEqualTo(new WindowState(64, 36, 1152, 648, false));
    assertThat(WindowState.fresh(FULL_HD)).isEqualTo(new WindowState(160, 54, 1600, 972, false));
  }

  @Test
  void aSavedWindowTooBigOrHalfOffTheScreenIsShrunkAndMovedOn() {
    WindowState saved = new WindowState(900, -27, 1280, 800, false);

    WindowState fitted = saved.fit(HD);

    assertThat(fitted).isEqualTo(new WindowState(0, 0, 1280, 720, false));
  }

  @Test
  void aSavedWindowThatFitsStaysWhereItWas() {
    WindowState saved = new WindowState(100, 50, 1000, 600, true);

    assertThat(saved.fit(FULL_HD)).isEqualTo(saved);
  }

  @Test
  void aWindowNeverPlacedIsFresh() {
    WindowState never = new WindowState(Double.NaN, Double.NaN, Double.NaN, Double.NaN, false);

    assertThat(never.fit(HD)).isEqualTo(WindowState.fresh(HD));
  }
}
