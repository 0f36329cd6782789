package dev.rcdrive.agent;

import dev.rcdrive.protocol.I420Image;
import dev.rcdrive.rtc.RtcEngine;
import dev.rcdrive.rtc.VideoFeed;

/**
 * Where the car's pictures come from: the simulator and a test pattern ({@link RenderedCamera}),
 * the Pi camera through rpicam-vid and USB webcams ({@code agent.camera}). Frames arrive on the
 * camera's own thread.
 */
public interface CameraSource extends AutoCloseable {

  /** Receives frames; the image is reused after the call returns. */
  @FunctionalInterface
  interface FrameConsumer {
    void onFrame(I420Image image, long captureNanos);

    /**
     * Whether a frame made now could be seen by anyone: a camera that draws its pictures (the
     * simulator) draws none while this says no; a real camera delivers regardless.
     */
    default boolean wantsFrames() {
      return true;
    }
  }

  /** What the driver is told about the camera (telemetry), and {@code --check} prints. */
  enum Health {
    STARTING,
    RUNNING,
    /** The camera process died and is being restarted (with backoff). */
    RESTARTING,
    /** Given up, or cannot start at all; see the log. */
    FAILED
  }

  /** Starts delivering frames at the camera's rate. */
  void start(FrameConsumer consumer);

  /** A line for logs, e.g. "sim 1280x720@30". */
  String describe();

  default Health health() {
    return Health.RUNNING;
  }

  /** How many times the camera was restarted since start. */
  default long restarts() {
    return 0;
  }

  /**
   * The video track this camera feeds: a push source by default; a device camera captures natively
   * into its own.
   */
  default VideoFeed openFeed(RtcEngine engine) {
    return engine.newVideoFeed();
  }

  @Override
  void close();
}
