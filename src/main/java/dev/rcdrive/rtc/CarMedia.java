package dev.rcdrive.rtc;

import dev.rcdrive.protocol.I420Image;

/**
 * How a car puts its camera on the wire: it takes the camera's frames (when the camera's pictures
 * pass through the agent) and makes the {@link CarLink} for each driver. Two paths exist, chosen by
 * the agent's {@code camera.encoder}: software (webrtc-java encodes VP8 or H.264) and hardware
 * (GStreamer: the board's H.264 encoder, or H.264 the camera already encoded).
 */
public interface CarMedia extends AutoCloseable {

  /** A new link to one driver; its video is this car's camera. */
  CarLink newLink(LinkOptions options, PeerLink.Listener listener);

  /** A camera frame; the image is reused by the caller after this returns. */
  void push(I420Image image, long captureNanos);

  /** Links made here and not closed yet. */
  int openLinks();

  /**
   * Between drive sessions (no link open): releases what the last session left behind (webrtc-java
   * leaks each received data-channel message until its factory is disposed: docs/decisions/0007).
   * Returns false when there was nothing to do.
   */
  default boolean recycle() {
    return false;
  }

  /**
   * The webrtc-java feed the frames go into, for the sender's counters (frames pushed, capture to
   * push); null on a path that does not use one.
   */
  default VideoFeed videoFeed() {
    return null;
  }

  /** A line for logs and {@code --check}: "software (webrtc-java)", "hardware (v4l2h264enc)". */
  String describe();

  @Override
  void close();
}
