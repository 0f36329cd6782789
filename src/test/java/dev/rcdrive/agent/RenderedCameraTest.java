package dev.rcdrive.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.rcdrive.protocol.FrameStamp;
import dev.rcdrive.protocol.I420Image;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RenderedCameraTest {

  private static final int WIDTH = 128;
  private static final int HEIGHT = 32;

  private final AtomicInteger painted = new AtomicInteger();
  private final RenderedCamera camera =
      new RenderedCamera("test", WIDTH, HEIGHT, 50, (image, index) -> painted.incrementAndGet());

  @AfterEach
  void close() {
    camera.close();
  }

  /** Records the stamp of each frame and says whether it wants frames as the test sets it. */
  private static final class Consumer implements CameraSource.FrameConsumer {
    final AtomicBoolean wanted = new AtomicBoolean();
    final AtomicInteger asked = new AtomicInteger();
    final List<FrameStamp> stamps = new CopyOnWriteArrayList<>();

    /** For each frame, the tick it was drawn at (the count of asks by then; same thread). */
    final List<Integer> drawnAtTick = new CopyOnWriteArrayList<>();

    @Override
    public void onFrame(I420Image image, long captureNanos) {
      stamps.add(FrameStamp.read(WIDTH, HEIGHT, (x, y) -> image.y()[y * WIDTH + x] & 0xFF));
      drawnAtTick.add(asked.get());
    }

    @Override
    public boolean wantsFrames() {
      asked.incrementAndGet();
      return wanted.get();
    }
  }

  @Test
  void drawsNothingWhileNoFrameIsWantedAndCountsOnFromZeroOnceOneIs() {
    Consumer consumer = new Consumer();
    camera.start(consumer);

    // The camera's schedule runs (it asks at every tick) but draws and delivers nothing.
    await().atMost(Duration.ofSeconds(10)).until(() -> consumer.asked.get() >= 5);
    assertThat(painted.get()).isZero();
    assertThat(consumer.stamps).isEmpty();

    consumer.wanted.set(true);
    await().atMost(Duration.ofSeconds(10)).until(() -> consumer.stamps.size() >= 3);
    assertThat(painted.get()).isGreaterThanOrEqualTo(3);
    // No frame was skipped on the wire: the first one drawn is number 0, then one by one.
    // A copy: the camera still adds frames, and a live list's sublist would fail on that.
    assertThat(List.copyOf(consumer.stamps).subList(0, 3))
        .extracting(FrameStamp::counter)
        .containsExactly(0L, 1L, 2L);
  }

  @Test
  void aConsumerThatSaysNothingGetsEveryFrame() {
    List<Long> frames = new CopyOnWriteArrayList<>();
    camera.start((image, captureNanos) -> frames.add(captureNanos));

    await().atMost(Duration.ofSeconds(10)).until(() -> frames.size() >= 3);
    assertThat(painted.get()).isGreaterThanOrEqualTo(3);
  }

  @Test
  void drawsOneTickInNWhileAskedToAndEveryTickAgainAfter() {
    Consumer consumer = new Consumer();
    consumer.wanted.set(true);
    camera.drawOneIn(3);
    camera.start(consumer);

    await().atMost(Duration.ofSeconds(10)).until(() -> consumer.stamps.size() >= 3);
    // The first tick draws (the video starts at once), then one in three.
    assertThat(List.copyOf(consumer.drawnAtTick).subList(0, 3)).containsExactly(1, 4, 7);

    camera.drawOneIn(1);
    int drawnBefore = consumer.stamps.size();
    await().atMost(Duration.ofSeconds(10)).until(() -> consumer.stamps.size() >= drawnBefore + 4);
    List<Integer> after =
        List.copyOf(consumer.drawnAtTick).subList(drawnBefore + 1, drawnBefore + 4);
    assertThat(after.get(1) - after.get(0)).isEqualTo(1);
    assertThat(after.get(2) - after.get(1)).isEqualTo(1);
    // The frame counter on the wire goes on by one: nothing looks dropped to the receiver.
    assertThat(List.copyOf(consumer.stamps))
        .extracting(FrameStamp::counter)
        .startsWith(0L, 1L, 2L, 3L, 4L, 5L);
  }

  @Test
  void drawingFewerThanEveryTickNeedsAWholeNumberOfOneOrMore() {
    assertThatThrownBy(() -> camera.drawOneIn(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 or more");
  }
}
