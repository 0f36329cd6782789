package dev.rcdrive.agent.assembly;

import dev.rcdrive.agent.CameraSource;

/**
 * The camera when the hardware path's GStreamer pipeline reads it itself ({@code camera.gstSource},
 * e.g. {@code libcamerasrc}): no frames pass through the agent, so there is nothing to start here;
 * the pipeline reports its own errors on the link.
 */
final class PipelineCamera implements CameraSource {

  private final String gstSource;

  PipelineCamera(String gstSource) {
    this.gstSource = gstSource;
  }

  @Override
  public void start(FrameConsumer consumer) {
    // the pipeline of each link reads the camera
  }

  @Override
  public String describe() {
    return "read by the video pipeline: " + gstSource;
  }

  @Override
  public void close() {}
}
