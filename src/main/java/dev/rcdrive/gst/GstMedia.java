package dev.rcdrive.gst;

import dev.rcdrive.protocol.I420Image;
import dev.rcdrive.rtc.CarLink;
import dev.rcdrive.rtc.CarMedia;
import dev.rcdrive.rtc.LinkOptions;
import dev.rcdrive.rtc.PeerLink;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hardware media path: each driver's link is a GStreamer pipeline, camera → H.264 encoder → RTP
 * → {@code webrtcbin} ({@link GstCarLink}). The camera is either the agent's own (its frames are
 * pushed into an {@code appsrc}: the simulator, a test pattern), or a GStreamer source in the
 * pipeline ({@code libcamerasrc} on a Pi, or any gst-launch fragment); a source whose caps say
 * {@code video/x-h264} is already encoded and is sent as it comes. docs/decisions/0020.
 */
public final class GstMedia implements CarMedia {

  private static final Logger log = LoggerFactory.getLogger(GstMedia.class);

  /** The lowest bitrate the link may push the encoder to. */
  static final int MIN_KBPS = 150;

  /** Used when the agent's config sets no cap. */
  static final int DEFAULT_MAX_KBPS = 4000;

  /**
   * How often the driver's feedback is read to set the bitrate: transport-wide feedback comes every
   * 50–100 ms and GStreamer sums it over a few hundred; receiver reports come ~1/s.
   */
  static final long BITRATE_PERIOD_MILLIS = 250;

  /** The IDR backstop: an IDR every this many seconds even when no one asks for one. */
  static final int IDR_PERIOD_SECONDS = 2;

  /**
   * Where the pictures come from.
   *
   * @param gstSource null: frames pushed by the agent's camera; else a gst-launch fragment
   */
  public record Source(String gstSource, int width, int height, int fps) {

    /** The agent's own camera pushes its frames ({@link CarMedia#push}). */
    public static Source pushed(int width, int height, int fps) {
      return new Source(null, width, height, fps);
    }

    /** A GStreamer source element or chain, in gst-launch syntax. */
    public static Source gst(String description, int width, int height, int fps) {
      return new Source(description, width, height, fps);
    }

    /** The Raspberry Pi camera through libcamera. */
    public static Source libcamera(int width, int height, int fps) {
      return gst("libcamerasrc", width, height, fps);
    }

    /** Already H.264 (a camera that encodes): parsed and sent, not encoded again. */
    boolean encoded() {
      return gstSource != null && gstSource.contains("video/x-h264");
    }
  }

  private final Source source;
  private final H264Encoder encoder;
  private final List<GstCarLink> links = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService bitrateThread;
  private volatile boolean closed;

  private GstMedia(Source source, H264Encoder encoder) {
    this.source = source;
    this.encoder = encoder;
    this.bitrateThread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "gst-bitrate");
              thread.setDaemon(true);
              return thread;
            });
    if (encoder != null) {
      bitrateThread.scheduleWithFixedDelay(
          this::adjustBitrates,
          BITRATE_PERIOD_MILLIS,
          BITRATE_PERIOD_MILLIS,
          TimeUnit.MILLISECONDS);
    }
  }

  /**
   * The hardware path for {@code source}: encoded by the board's H.264 encoder, or, where there is
   * none, by a software stand-in in the same pipeline shape (x264, else OpenH264; logged); not
   * encoded again when the source is H.264 already. Throws with one line naming what to install
   * when GStreamer or one of its elements is missing.
   */
  public static GstMedia open(Source source) {
    return open(source, null);
  }

  /** As {@link #open(Source)} with the encoder element named ({@code "x264enc"}; null: choose). */
  public static GstMedia open(Source source, String encoderElement) {
    List<String> missing = GstRuntime.missing();
    if (!missing.isEmpty()) {
      throw new IllegalStateException(
          "camera.encoder hardware needs GStreamer: missing " + String.join(", ", missing));
    }
    H264Encoder encoder = source.encoded() ? null : chooseEncoder(encoderElement);
    return new GstMedia(source, encoder);
  }

  private static H264Encoder chooseEncoder(String element) {
    if (element != null) {
      for (H264Encoder e : H264Encoder.values()) {
        if (e.element().equals(element) && GstRuntime.has(element)) {
          return e;
        }
      }
      throw new IllegalStateException("the H.264 encoder " + element + " is not installed");
    }
    H264Encoder e =
        GstRuntime.firstInstalledEncoder()
            .orElseThrow(() -> new IllegalStateException(GstRuntime.NO_ENCODER));
    if (e != H264Encoder.V4L2) {
      log.warn(
          "no hardware H.264 encoder (v4l2h264enc) on this machine: the hardware path encodes"
              + " with {} in software",
          e.element());
    }
    return e;
  }

  /**
   * The gst-launch description of one link's pipeline, sending H.264 as payload type {@code pt},
   * the playout-delay extension as {@code playoutDelayId} and the transport-wide sequence number as
   * {@code transportCcId} (0: not offered, not sent).
   */
  String pipelineDescription(int pt, int playoutDelayId, int transportCcId, LinkOptions options) {
    // The video's SSRC fixed in the caps webrtcbin reads: the one its answer announces is then
    // the one on the wire, RTX stream included.
    int ssrc = 1 + new java.security.SecureRandom().nextInt(Integer.MAX_VALUE - 1);
    StringBuilder p = new StringBuilder();
    String rawCaps =
        String.format(
            Locale.ROOT,
            "video/x-raw,width=%d,height=%d,framerate=%d/1",
            source.width(),
            source.height(),
            source.fps());
    if (source.gstSource() == null) {
      // Keeps the newest two frames: a slow encoder drops old pictures, it never queues them.
      p.append("appsrc name=camera is-live=true do-timestamp=true format=time")
          .append(" leaky-type=downstream max-buffers=2 caps=")
          .append(rawCaps.replace("video/x-raw,", "video/x-raw,format=I420,"));
    } else if (source.encoded()) {
      p.append(source.gstSource());
    } else {
      p.append(source.gstSource()).append(" ! ").append(rawCaps);
    }
    if (encoder != null) {
      p.append(" ! ")
          .append(encoder.fragment(startKbps(options), source.fps() * IDR_PERIOD_SECONDS));
    }
    p.append(" ! h264parse name=parse config-interval=-1")
        .append(" ! rtph264pay name=pay aggregate-mode=zero-latency mtu=1200 config-interval=0 pt=")
        .append(pt)
        .append(" ssrc=")
        .append(Integer.toUnsignedString(ssrc))
        .append(" ! application/x-rtp,media=video,encoding-name=H264,clock-rate=90000,payload=")
        .append(pt)
        .append(",ssrc=(uint)")
        .append(Integer.toUnsignedString(ssrc))
        .append(playoutDelayId > 0 ? PlayoutDelay.capsField(playoutDelayId) : "")
        .append(transportCcId > 0 ? TransportFeedback.capsField(transportCcId) : "")
        .append(" ! webrtcbin name=webrtc bundle-policy=max-bundle latency=0");
    if (options.relayOnly()) {
      p.append(" ice-transport-policy=relay");
    }
    return p.toString();
  }

  H264Encoder encoder() {
    return encoder;
  }

  int minKbps() {
    return MIN_KBPS;
  }

  int maxKbps(LinkOptions options) {
    return Math.max(
        MIN_KBPS, options.maxBitrateKbps() > 0 ? options.maxBitrateKbps() : DEFAULT_MAX_KBPS);
  }

  int startKbps(LinkOptions options) {
    int start = options.startBitrateKbps() > 0 ? options.startBitrateKbps() : 1000;
    return Math.max(MIN_KBPS, Math.min(maxKbps(options), start));
  }

  @Override
  public CarLink newLink(LinkOptions options, PeerLink.Listener listener) {
    if (closed) {
      throw new IllegalStateException("media closed");
    }
    GstCarLink link = new GstCarLink(this, options, listener);
    links.add(link);
    return link;
  }

  @Override
  public void push(I420Image image, long captureNanos) {
    for (GstCarLink link : links) {
      link.push(image, captureNanos);
    }
  }

  @Override
  public int openLinks() {
    return links.size();
  }

  void forget(GstCarLink link) {
    links.remove(link);
  }

  /** Links open now (tests). */
  List<GstCarLink> links() {
    return List.copyOf(links);
  }

  private void adjustBitrates() {
    long now = System.nanoTime();
    for (GstCarLink link : links) {
      try {
        link.adjustBitrate(now);
      } catch (RuntimeException e) {
        log.debug("bitrate: {}", e.toString());
      }
    }
  }

  @Override
  public String describe() {
    String from =
        source.gstSource() == null ? "the agent's camera" : source.gstSource().split(" ")[0];
    return encoder == null
        ? "hardware path, H.264 from the camera (" + from + ")"
        : "hardware path, H.264 by " + encoder.element() + " (" + from + ")";
  }

  @Override
  public void close() {
    closed = true;
    bitrateThread.shutdownNow();
    for (GstCarLink link : links) {
      link.close();
    }
  }
}
