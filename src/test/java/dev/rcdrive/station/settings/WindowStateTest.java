package dev.rcdrive.station.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import javafx.geometry.Rectangle2D;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The window opens at a size that fits the screen, and wholly on it, and where it was last. */
class WindowStateTest {

  @TempDir Path config;

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

  @Test
  void whatIsSavedIsLoadedAgain() {
    Path file = config.resolve("sub").resolve("window.json");
    WindowState saved = new WindowState(12.5, -3, 1024, 700, true);

    saved.save(file);

    assertThat(WindowState.load(file)).isEqualTo(saved);
  }

  @Test
  void aFileWrittenByTheFormerCodeIsReadWithUnknownFieldsIgnored() throws Exception {
    Path file = config.resolve("window.json");
    Files.writeString(
        file,
        "{\"x\":100.0,\"y\":50.0,\"width\":1000.0,\"height\":600.0,\"maximized\":false,"
            + "\"screen\":{\"id\":[1,2]}}");

    assertThat(WindowState.load(file)).isEqualTo(new WindowState(100, 50, 1000, 600, false));
  }

  @Test
  void aMissingOrBadFileOnlyCostsThePosition() throws Exception {
    assertThat(WindowState.load(config.resolve("none.json"))).isEqualTo(WindowState.UNPLACED);
    Path file = config.resolve("window.json");
    for (String bad : new String[] {"{\"x\":", "[1,2]", "{\"x\":\"left\"}", ""}) {
      Files.writeString(file, bad);
      assertThat(WindowState.load(file)).as(bad).isEqualTo(WindowState.UNPLACED);
    }
  }
}
