package dev.rcdrive.station.video;

import java.nio.ByteBuffer;
import javafx.animation.AnimationTimer;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelBuffer;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.StackPane;

/**
 * The car's video, as big as the window allows with its aspect kept. Each FX pulse takes the newest
 * decoded frame (if a new one came) and shows it through a PixelBuffer over the frame's own direct
 * buffer: no copy, no queue.
 */
public final class VideoView extends StackPane {

  /**
   * Rows hidden at the top of a stamped frame: the stamp, and two more because the codec and the
   * smooth scaler blur the stamp's blocks into the rows just below it.
   */
  public static final int HIDDEN_STAMP_ROWS = dev.rcdrive.protocol.FrameStamp.ROWS + 2;

  private final LatestFrame source;
  private final ImageView view = new ImageView();
  private final AnimationTimer pulse;
  private LatestFrame.Frame shown;
  private long framesShown;
  private ShownListener onShown = (sinkToScreenNanos, swapNanos, frame) -> {};

  /** What the screen just showed: the frame, how long after decoding, and what the swap cost. */
  @FunctionalInterface
  public interface ShownListener {
    /**
     * @param sinkToScreenNanos from the sink receiving the frame to this pulse
     * @param swapNanos time this pulse spent putting the frame into the image (our part of the FX
     *     thread's work; the toolkit then uploads and draws it)
     */
    void shown(long sinkToScreenNanos, long swapNanos, LatestFrame.Frame frame);
  }

  public VideoView(LatestFrame source) {
    this.source = source;
    getStyleClass().add("video-view");
    view.setPreserveRatio(true);
    view.setSmooth(true);
    view.fitWidthProperty().bind(widthProperty());
    view.fitHeightProperty().bind(heightProperty());
    setMinSize(0, 0);
    getChildren().add(view);
    pulse =
        new AnimationTimer() {
          @Override
          public void handle(long now) {
            showNewest();
          }
        };
  }

  public void start() {
    pulse.start();
  }

  public void stop() {
    pulse.stop();
  }

  /** Called on the FX thread for each frame shown. */
  public void setOnShown(ShownListener listener) {
    this.onShown = listener;
  }

  public long framesShown() {
    return framesShown;
  }

  public ImageView imageView() {
    return view;
  }

  /** FX thread: no picture (the car was left): the last frame must not stay as if live. */
  public void clear() {
    LatestFrame.Frame pending = source.take();
    if (pending != null) {
      source.release(pending);
    }
    view.setImage(null);
  }

  /** FX thread: swap in the newest frame, if any came since the last pulse. */
  void showNewest() {
    long start = System.nanoTime();
    LatestFrame.Frame next = source.take();
    if (next == null) {
      return;
    }
    if (next.image == null
        || (int) next.image.getWidth() != next.width
        || (int) next.image.getHeight() != next.height) {
      ByteBuffer pixels = next.pixels.duplicate().clear();
      next.pixelBuffer =
          new PixelBuffer<>(next.width, next.height, pixels, PixelFormat.getByteBgraPreInstance());
      next.image = new WritableImage(next.pixelBuffer);
    } else {
      next.pixelBuffer.updateBuffer(buffer -> null); // the whole frame changed
    }
    view.setImage(next.image);
    int top = next.stamped ? HIDDEN_STAMP_ROWS : 0;
    view.setViewport(new javafx.geometry.Rectangle2D(0, top, next.width, next.height - top));
    source.release(shown);
    shown = next;
    framesShown++;
    long end = System.nanoTime();
    onShown.shown(end - next.decodedNanos, end - start, next);
  }
}
