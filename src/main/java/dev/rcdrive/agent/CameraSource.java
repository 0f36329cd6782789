package dev.rcdrive.agent;

import dev.rcdrive.protocol.I420Image;

/**
 * Where the car's pictures come from: the simulator and a test pattern here; the Pi camera
 * (libcamera) and USB webcams later. Frames arrive on the camera's own thread.
 */
public interface CameraSource extends AutoCloseable {

  /** Receives frames; the image is reused after the call returns. */
  @FunctionalInterface
  interface FrameConsumer {
    void onFrame(I420Image image, long captureNanos);
  }

  /** Starts delivering frames at the camera's rate. */
  void start(FrameConsumer consumer);

  /** A line for logs, e.g. "sim 1280x720@30". */
  String describe();

  @Override
  void close();
}
