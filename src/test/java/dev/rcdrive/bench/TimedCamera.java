package dev.rcdrive.bench;

import dev.rcdrive.agent.CameraSource;

/**
 * A camera wrapped so every frame's capture time and push-return time land in a {@link FrameLog}
 * under the frame's counter. The wrapped camera numbers its frames 0, 1, 2, … in delivery order (as
 * {@link dev.rcdrive.agent.RenderedCamera} does, stamping the number into the picture), so counting
 * deliveries gives the counter without reading the picture back.
 */
final class TimedCamera implements CameraSource {

  private final CameraSource camera;
  private final FrameLog log;
  private long next;

  TimedCamera(CameraSource camera, FrameLog log) {
    this.camera = camera;
    this.log = log;
  }

  @Override
  public void start(FrameConsumer consumer) {
    camera.start(
        (image, captureNanos) -> {
          long counter = next++;
          log.captured(counter, captureNanos);
          consumer.onFrame(image, captureNanos);
          log.pushed(counter, System.nanoTime());
        });
  }

  @Override
  public String describe() {
    return camera.describe();
  }

  @Override
  public void close() {
    camera.close();
  }
}
