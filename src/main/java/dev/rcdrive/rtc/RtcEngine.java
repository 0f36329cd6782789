package dev.rcdrive.rtc;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.media.MediaDevices;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import dev.onvoid.webrtc.media.video.VideoCaptureCapability;
import dev.onvoid.webrtc.media.video.VideoDevice;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's one WebRTC factory. Audio goes through a headless device module: rcdrive sends no
 * sound, and the default module aborts the JVM on machines without a sound card.
 *
 * <p>{@link #close()} disposes what it made in the order that never crashed (PLATFORM.md): links
 * first, then video feeds, then the factory, then the audio module.
 */
public final class RtcEngine implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RtcEngine.class);

  static {
    NativeCache.preload(NativeCache.folder()); // before any webrtc-java class loads it its way
  }

  private volatile HeadlessAudioDeviceModule audio;
  private volatile PeerConnectionFactory factory;
  private final List<PeerLink> links = new CopyOnWriteArrayList<>();
  private final List<VideoFeed> feeds = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  private RtcEngine() {
    this.audio = new HeadlessAudioDeviceModule();
    this.factory = new PeerConnectionFactory(audio);
  }

  /**
   * Loads the native library and makes the factory; fails with one line that names the missing
   * system library and its package when it cannot ({@link NativeLoadFailure}).
   */
  public static RtcEngine create() {
    try {
      return new RtcEngine();
    } catch (LinkageError e) {
      // UnsatisfiedLinkError the first time; NoClassDefFoundError once the class failed to load
      throw new IllegalStateException(
          "cannot load the WebRTC native library: " + NativeLoadFailure.explain(e), e);
    }
  }

  PeerConnectionFactory factory() {
    return factory;
  }

  /** Peer connections made by this engine and not closed yet. */
  public int openLinks() {
    return links.size();
  }

  /**
   * Disposes the factory (and the feeds made from it) and makes a new one; only while no link is
   * open. webrtc-java 0.14.0 leaks every received data-channel message as a JNI local reference on
   * one of the factory's threads (upstream issue 265; docs/decisions/0007): ending those threads is
   * the only way to free them. Feeds must be made again with {@link #newVideoFeed}.
   */
  public synchronized void recycle() {
    if (closed) {
      throw new IllegalStateException("RTC engine closed");
    }
    if (!links.isEmpty()) {
      throw new IllegalStateException(links.size() + " link(s) still open");
    }
    for (VideoFeed feed : feeds) {
      feed.close();
    }
    feeds.clear();
    factory.dispose();
    audio.dispose();
    audio = new HeadlessAudioDeviceModule();
    factory = new PeerConnectionFactory(audio);
  }

  /** A new peer connection; see {@link PeerLink}. */
  public PeerLink newLink(PeerLink.Side side, LinkOptions options, PeerLink.Listener listener) {
    return newLink(side, options, listener, null);
  }

  /** A car's link sends {@code video}; a driver's passes null. */
  public PeerLink newLink(
      PeerLink.Side side, LinkOptions options, PeerLink.Listener listener, VideoFeed video) {
    if (closed) {
      throw new IllegalStateException("RTC engine closed");
    }
    PeerLink link = new PeerLink(this, side, options, listener, video);
    links.add(link);
    return link;
  }

  /** A video source frames can be pushed into, shared by every link of a car. */
  public VideoFeed newVideoFeed() {
    VideoFeed feed = new VideoFeed(factory);
    feeds.add(feed);
    return feed;
  }

  /**
   * A feed captured natively from a V4L2 camera, chosen by {@code nameOrIndex}: its index in {@link
   * #cameras()}, or a part of its name. Throws with the list of cameras when none matches.
   */
  public VideoFeed newDeviceVideoFeed(String nameOrIndex, int width, int height, int fps) {
    List<VideoDevice> devices = MediaDevices.getVideoCaptureDevices();
    VideoDevice chosen = choose(devices, nameOrIndex);
    if (chosen == null) {
      throw new IllegalArgumentException(
          "camera.device: no camera matches '" + nameOrIndex + "'; cameras: " + describe(devices));
    }
    VideoFeed feed = new VideoFeed(factory, chosen, width, height, fps);
    feeds.add(feed);
    return feed;
  }

  /** The V4L2 cameras libwebrtc sees, as "index: name (id)", each with its capture modes. */
  public static List<String> cameras() {
    List<VideoDevice> devices = MediaDevices.getVideoCaptureDevices();
    List<String> lines = new java.util.ArrayList<>();
    for (int i = 0; i < devices.size(); i++) {
      VideoDevice device = devices.get(i);
      StringBuilder line =
          new StringBuilder(i + ": " + device.getName() + " (" + device.getDescriptor() + ")");
      for (VideoCaptureCapability mode : MediaDevices.getVideoCaptureCapabilities(device)) {
        line.append("\n     ")
            .append(mode.width)
            .append('x')
            .append(mode.height)
            .append('@')
            .append(mode.frameRate);
      }
      lines.add(line.toString());
    }
    return lines;
  }

  static VideoDevice choose(List<VideoDevice> devices, String nameOrIndex) {
    if (nameOrIndex == null) {
      return null;
    }
    if (nameOrIndex.matches("\\d+")) {
      int index = Integer.parseInt(nameOrIndex);
      return index < devices.size() ? devices.get(index) : null;
    }
    for (VideoDevice device : devices) {
      if (device.getName().contains(nameOrIndex) || device.getDescriptor().equals(nameOrIndex)) {
        return device;
      }
    }
    return null;
  }

  private static String describe(List<VideoDevice> devices) {
    if (devices.isEmpty()) {
      return "none found";
    }
    List<String> names = new java.util.ArrayList<>();
    for (int i = 0; i < devices.size(); i++) {
      names.add(i + ": " + devices.get(i).getName());
    }
    return String.join(", ", names);
  }

  void forget(PeerLink link) {
    links.remove(link);
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (PeerLink link : links) {
      link.close();
    }
    for (VideoFeed feed : feeds) {
      feed.close();
    }
    factory.dispose();
    audio.dispose();
    log.debug("RTC engine disposed");
  }
}
