package dev.rcdrive.station.video;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rcdrive.protocol.FrameStamp;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.concurrent.Callable;
import javafx.geometry.Bounds;
import javafx.geometry.Rectangle2D;
import javafx.scene.Scene;
import javafx.scene.image.Image;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The video view on a real (headless Monocle) stage: sizes that change mid-stream, aspect kept,
 * stamp rows hidden, only the newest frame shown, and snapshots of what is on screen.
 */
@Tag("ui")
class VideoViewTest {

  private static final int RED = 0xFFFF0000;
  private static final int BLUE = 0xFF0000FF;

  private final LatestFrame frames = new LatestFrame();
  private VideoView view;
  private Stage stage;

  @BeforeEach
  void show() throws Exception {
    FxToolkit.registerPrimaryStage();
    stage =
        FxToolkit.setupStage(
            s -> {
              view = new VideoView(frames);
              s.setScene(new Scene(view, 800, 600));
              s.setWidth(800); // the stage may come sized by an earlier test
              s.setHeight(600);
              s.show();
              view.start();
            });
  }

  @AfterEach
  void hide() throws Exception {
    fx(
        () -> {
          view.stop();
          stage.hide();
          return null;
        });
  }

  /** Publishes a solid frame as the decoder would, with the given receive time. */
  private void offer(int width, int height, int argb, long receivedNanos, FrameStamp stamp) {
    frames.offer(width, height, receivedNanos, stamp, buffer -> fill(buffer, width * height, argb));
  }

  private static void fill(ByteBuffer buffer, int pixels, int argb) {
    for (int i = 0; i < pixels; i++) { // BGRA in memory
      buffer.put((byte) argb).put((byte) (argb >> 8)).put((byte) (argb >> 16));
      buffer.put((byte) (argb >>> 24));
    }
  }

  /** Waits (5 s at most) until a pulse showed a frame after the {@code before}-th. */
  private long shownAfter(long before) {
    org.awaitility.Awaitility.await()
        .pollInterval(java.time.Duration.ofMillis(5))
        .atMost(java.time.Duration.ofSeconds(5))
        .until(() -> view.framesShown() > before);
    return view.framesShown();
  }

  private static <T> T fx(Callable<T> call) throws Exception {
    return WaitForAsyncUtils.asyncFx(call).get();
  }

  @Test
  void aResolutionChangeMidStreamShowsTheNewSizeWithItsAspectKept() throws Exception {
    offer(320, 240, RED, System.nanoTime(), null);
    long shown = shownAfter(0);
    Image first = fx(() -> view.imageView().getImage());
    assertThat(first.getWidth()).isEqualTo(320);
    assertThat(fx(() -> first.getPixelReader().getArgb(100, 100))).isEqualTo(RED);
    Bounds fourByThree = fx(() -> view.imageView().getBoundsInParent());
    assertThat(fourByThree.getWidth() / fourByThree.getHeight()).isCloseTo(4 / 3.0, within());

    offer(640, 360, BLUE, System.nanoTime(), null); // the encoder switched to 16:9
    shownAfter(shown);
    Image second = fx(() -> view.imageView().getImage());
    assertThat(second.getWidth()).isEqualTo(640);
    assertThat(second.getHeight()).isEqualTo(360);
    assertThat(fx(() -> second.getPixelReader().getArgb(600, 300))).isEqualTo(BLUE);
    Bounds wide = fx(() -> view.imageView().getBoundsInParent());
    assertThat(wide.getWidth() / wide.getHeight()).isCloseTo(16 / 9.0, within());
    double viewWidth = fx(() -> view.getWidth());
    double viewHeight = fx(() -> view.getHeight());
    assertThat(viewWidth / viewHeight).as("a 4:3-ish window").isLessThan(16 / 9.0);
    assertThat(wide.getWidth()).as("fills the view's width").isCloseTo(viewWidth, within());
    assertThat(wide.getHeight()).isLessThan(viewHeight);
  }

  @Test
  void aSmallerFrameInAReusedBufferStillShowsRight() throws Exception {
    long shown = 0;
    for (int i = 0; i < 4; i++) { // fill the buffer rotation with big frames first
      offer(640, 480, RED, System.nanoTime(), null);
      shown = shownAfter(shown);
    }
    offer(160, 90, BLUE, System.nanoTime(), null);
    shownAfter(shown);
    Image image = fx(() -> view.imageView().getImage());
    assertThat(image.getWidth()).isEqualTo(160);
    assertThat(image.getHeight()).isEqualTo(90);
    assertThat(fx(() -> image.getPixelReader().getArgb(159, 89))).isEqualTo(BLUE);
  }

  @Test
  void stampedFramesHideTheStampRows() throws Exception {
    FrameStamp stamp =
        new FrameStamp(1, FrameStamp.tenthsOfMillis(System.currentTimeMillis() * 1000));
    offer(640, 360, RED, System.nanoTime(), stamp);
    shownAfter(0);
    Rectangle2D viewport = fx(() -> view.imageView().getViewport());
    assertThat(viewport.getMinY()).isEqualTo(VideoView.HIDDEN_STAMP_ROWS);
    assertThat(viewport.getHeight()).isEqualTo(360 - VideoView.HIDDEN_STAMP_ROWS);
    assertThat(VideoView.HIDDEN_STAMP_ROWS).isGreaterThanOrEqualTo(FrameStamp.ROWS);

    offer(640, 360, BLUE, System.nanoTime(), null);
    shownAfter(1);
    assertThat(fx(() -> view.imageView().getViewport().getMinY())).isZero();
  }

  @Test
  void onlyTheNewestFrameIsShownAndTheOthersAreCountedAsReplaced() throws Exception {
    fx(
        () -> {
          view.stop(); // no pulse takes frames while three arrive
          return null;
        });
    offer(64, 64, RED, 1, null);
    offer(64, 64, RED, 2, null);
    offer(64, 64, BLUE, 3, null);
    assertThat(frames.dropped()).isEqualTo(2);
    fx(
        () -> {
          view.start();
          return null;
        });
    shownAfter(0);
    // One frame shown, not three: pulses keep coming and find nothing newer.
    org.awaitility.Awaitility.await()
        .during(java.time.Duration.ofMillis(100))
        .atMost(java.time.Duration.ofSeconds(2))
        .until(() -> view.framesShown() == 1);
    assertThat(fx(() -> view.imageView().getImage().getPixelReader().getArgb(1, 1)))
        .isEqualTo(BLUE);
  }

  @Test
  void aSnapshotSavesTheVisiblePictureAsPng(@TempDir Path folder) throws Exception {
    FrameStamp stamp =
        new FrameStamp(7, FrameStamp.tenthsOfMillis(System.currentTimeMillis() * 1000));
    offer(320, 180, BLUE, System.nanoTime(), stamp);
    shownAfter(0);
    Snapshots.Picture picture =
        fx(() -> Snapshots.capture(view.imageView().getImage(), view.imageView().getViewport()));

    Path file =
        Snapshots.write(picture, folder, LocalDateTime.of(2026, 11, 24, 12, 0, 1, 5_000_000));

    assertThat(file.getFileName()).hasToString("rcdrive-20261124-120001-005.png");
    var png = ImageIO.read(file.toFile());
    assertThat(png.getWidth()).isEqualTo(320);
    assertThat(png.getHeight())
        .as("stamp rows left out")
        .isEqualTo(180 - VideoView.HIDDEN_STAMP_ROWS);
    assertThat(png.getRGB(10, 0) | 0xFF000000).isEqualTo(BLUE);
    assertThat(Files.size(file)).isPositive();
  }

  @Test
  void aSnapshotIntoAFolderThatCannotBeMadeFailsWithTheReason(@TempDir Path folder)
      throws Exception {
    Path notAFolder = Files.writeString(folder.resolve("file"), "x");
    Snapshots.Picture picture = new Snapshots.Picture(2, 2, new int[] {RED, RED, RED, RED});

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> Snapshots.write(picture, notAFolder.resolve("sub"), LocalDateTime.now()))
        .isInstanceOf(java.io.IOException.class)
        .hasMessageContaining("file");
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(0.02);
  }
}
