package dev.rcdrive.rtc;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.media.video.CustomVideoSource;
import dev.onvoid.webrtc.media.video.NativeI420Buffer;
import dev.onvoid.webrtc.media.video.VideoCaptureCapability;
import dev.onvoid.webrtc.media.video.VideoDevice;
import dev.onvoid.webrtc.media.video.VideoDeviceSource;
import dev.onvoid.webrtc.media.video.VideoFrame;
import dev.onvoid.webrtc.media.video.VideoTrack;
import dev.rcdrive.protocol.I420Image;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A car's video track: frames pushed here go to every link that sends it. Thread-safe for one
 * pushing thread (the camera's). A device feed (a USB webcam through libwebrtc's own V4L2 capture)
 * takes no pushed frames: libwebrtc captures into it natively.
 */
public final class VideoFeed implements AutoCloseable {

  private final CustomVideoSource source;
  private final VideoDeviceSource device;
  private final VideoTrack track;
  private final AtomicLong pushed = new AtomicLong();
  private final AtomicLong captureToPushNanos = new AtomicLong();
  private volatile boolean closed;

  VideoFeed(PeerConnectionFactory factory) {
    this.source = new CustomVideoSource();
    this.device = null;
    this.track = factory.createVideoTrack("camera", source);
  }

  VideoFeed(PeerConnectionFactory factory, VideoDevice camera, int width, int height, int fps) {
    this.source = null;
    this.device = new VideoDeviceSource();
    device.setVideoCaptureDevice(camera);
    device.setVideoCaptureCapability(new VideoCaptureCapability(width, height, fps));
    this.track = factory.createVideoTrack("camera", device);
    device.start();
  }

  VideoTrack track() {
    return track;
  }

  /**
   * Copies the image into a native frame and hands it to the encoders. Synchronized with {@link
   * #close}: a feed is closed while its camera runs when the engine is recycled, and a push into a
   * disposed source would crash the JVM.
   */
  public synchronized void push(I420Image image, long captureNanos) {
    if (closed || source == null) {
      return;
    }
    NativeI420Buffer buffer = NativeI420Buffer.allocate(image.width(), image.height());
    copyPlane(image.y(), image.width(), image.height(), buffer.getDataY(), buffer.getStrideY());
    copyPlane(
        image.u(),
        image.chromaWidth(),
        image.chromaHeight(),
        buffer.getDataU(),
        buffer.getStrideU());
    copyPlane(
        image.v(),
        image.chromaWidth(),
        image.chromaHeight(),
        buffer.getDataV(),
        buffer.getStrideV());
    VideoFrame frame = new VideoFrame(buffer, captureNanos);
    try {
      source.pushFrame(frame);
      // Capture → in the encoder's queue (pushFrame posts the frame to it and returns); added
      // before the count so a reader never sees a frame counted without its time.
      captureToPushNanos.addAndGet(System.nanoTime() - captureNanos);
      pushed.incrementAndGet();
    } finally {
      frame.release();
    }
  }

  private static void copyPlane(byte[] from, int width, int height, ByteBuffer to, int stride) {
    if (stride == width) {
      to.put(0, from, 0, width * height);
      return;
    }
    for (int row = 0; row < height; row++) {
      to.put(row * stride, from, row * width, width);
    }
  }

  public long framesPushed() {
    return pushed.get();
  }

  /**
   * Sum over {@link #framesPushed} of the time from each frame's capture (the {@code captureNanos}
   * given to {@link #push}) to its hand-over to the encoder.
   */
  public long captureToPushNanos() {
    return captureToPushNanos.get();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (device != null) {
      device.stop();
    }
    track.dispose();
    if (source != null) {
      source.dispose();
    } else {
      device.dispose();
    }
  }
}
