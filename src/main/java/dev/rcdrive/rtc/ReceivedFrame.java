package dev.rcdrive.rtc;

import dev.onvoid.webrtc.media.FourCC;
import dev.onvoid.webrtc.media.video.I420Buffer;
import dev.onvoid.webrtc.media.video.VideoBufferConverter;
import dev.onvoid.webrtc.media.video.VideoFrame;
import dev.rcdrive.protocol.FrameStamp;
import java.nio.ByteBuffer;

/**
 * A decoded video frame as the sink sees it. Valid only during {@link
 * PeerLink.Listener#onVideoFrame}: the native frame is released right after, so copy out what you
 * need (luma samples, or ARGB into your own buffer) inside the callback.
 */
public final class ReceivedFrame {
  private final VideoFrame frame;
  private final long receivedNanos;
  private I420Buffer i420;

  ReceivedFrame(VideoFrame frame, long receivedNanos) {
    this.frame = frame;
    this.receivedNanos = receivedNanos;
  }

  public int width() {
    return frame.buffer.getWidth();
  }

  public int height() {
    return frame.buffer.getHeight();
  }

  /** System.nanoTime() when the frame reached the sink. */
  public long receivedNanos() {
    return receivedNanos;
  }

  private I420Buffer i420() {
    if (i420 == null) {
      i420 = frame.buffer.toI420();
    }
    return i420;
  }

  /** Luma at (x, y), 0..255. */
  public int luma(int x, int y) {
    I420Buffer buffer = i420();
    return buffer.getDataY().get(y * buffer.getStrideY() + x) & 0xFF;
  }

  /** The frame's {@link FrameStamp}, or null when the picture carries none. */
  public FrameStamp stamp() {
    return FrameStamp.read(width(), height(), this::luma);
  }

  /**
   * Converts to 32-bit BGRA in memory order (an int 0xAARRGGBB read little-endian, what JavaFX's
   * IntArgbPre wants) into a direct buffer of at least width*height*4 bytes.
   */
  public void toArgb(ByteBuffer directTarget) {
    try {
      VideoBufferConverter.convertFromI420(frame.buffer, directTarget, FourCC.ARGB);
    } catch (Exception e) {
      throw new IllegalStateException("I420 to ARGB conversion failed", e);
    }
  }

  void release() {
    if (i420 != null && i420 != frame.buffer) {
      i420.release();
    }
  }
}
