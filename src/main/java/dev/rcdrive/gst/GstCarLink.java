package dev.rcdrive.gst;

import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import dev.rcdrive.gst.GLib.GLibApi;
import dev.rcdrive.gst.GLib.GObjectApi;
import dev.rcdrive.gst.GLib.GstApi;
import dev.rcdrive.protocol.I420Image;
import dev.rcdrive.protocol.SenderStatsFrame;
import dev.rcdrive.protocol.SignalMessage;
import dev.rcdrive.protocol.SignalMessage.Answer;
import dev.rcdrive.protocol.SignalMessage.Candidate;
import dev.rcdrive.protocol.SignalMessage.IceServer;
import dev.rcdrive.protocol.SignalMessage.Offer;
import dev.rcdrive.rtc.CarLink;
import dev.rcdrive.rtc.LinkOptions;
import dev.rcdrive.rtc.PeerLink;
import dev.rcdrive.rtc.PeerLink.Channel;
import dev.rcdrive.rtc.SdpFingerprint;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.freedesktop.gstreamer.Bin;
import org.freedesktop.gstreamer.Buffer;
import org.freedesktop.gstreamer.Bus;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.Pad;
import org.freedesktop.gstreamer.PadProbeReturn;
import org.freedesktop.gstreamer.PadProbeType;
import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.Promise;
import org.freedesktop.gstreamer.SDPMessage;
import org.freedesktop.gstreamer.State;
import org.freedesktop.gstreamer.Structure;
import org.freedesktop.gstreamer.elements.AppSrc;
import org.freedesktop.gstreamer.event.Event;
import org.freedesktop.gstreamer.glib.Natives;
import org.freedesktop.gstreamer.webrtc.WebRTCBin;
import org.freedesktop.gstreamer.webrtc.WebRTCICEGatheringState;
import org.freedesktop.gstreamer.webrtc.WebRTCSDPType;
import org.freedesktop.gstreamer.webrtc.WebRTCSessionDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The car's end of one driver's peer connection on GStreamer: one pipeline from the camera through
 * the H.264 encoder (or straight from a camera that encodes) to {@code webrtcbin}, which answers
 * the driver's offer — receive-only video and the "control" and "telemetry" data channels — exactly
 * as webrtc-java's {@link PeerLink} does. Because the encoder sits in the same pipeline as the RTP
 * session, a driver's keyframe request (RTCP PLI/FIR) reaches it as a force-key-unit event and
 * becomes an IDR, and {@link BitrateControl} sets its bitrate from the receiver's reports.
 *
 * <p>The pipeline is built when the first offer arrives: the car sends H.264 with the payload type
 * the driver gave it. Listener calls come on GStreamer's threads and must not block.
 */
final class GstCarLink implements CarLink {

  private static final Logger log = LoggerFactory.getLogger(GstCarLink.class);

  /** GstWebRTCDataChannelState in GStreamer 1.22: CONNECTING 1, OPEN 2, CLOSING 3, CLOSED 4. */
  private static final int CHANNEL_OPEN = 2;

  private static final String FORCE_KEY_UNIT = "GstForceKeyUnit";

  private final GstMedia media;
  private final LinkOptions options;
  private final PeerLink.Listener listener;
  private final Object lock = new Object();

  /** The DTLS fingerprint of the first offer: later offers with it are this driver's link. */
  private String remoteFingerprint;

  private final List<Candidate> pendingCandidates = new ArrayList<>();
  private final Map<Channel, Pointer> channels = new EnumMap<>(Channel.class);
  private final EnumSet<Channel> announced = EnumSet.noneOf(Channel.class);

  /** Callbacks handed to native code: referenced here so the GC cannot take them while in use. */
  private final List<Object> callbacks = new ArrayList<>();

  private final List<ChannelSignal> channelSignals = new ArrayList<>();
  private final AtomicInteger localCandidates = new AtomicInteger();

  /** Waits for webrtcbin's answers (a promise each), so no libwebrtc or agent thread blocks. */
  private final java.util.concurrent.ExecutorService answering =
      java.util.concurrent.Executors.newSingleThreadExecutor(
          r -> {
            Thread thread = new Thread(r, "gst-answer");
            thread.setDaemon(true);
            return thread;
          });

  private final AtomicLong keyUnitRequests = new AtomicLong();
  private final AtomicLong idrFrames = new AtomicLong();
  private final AtomicLong framesOut = new AtomicLong();
  private ReceiverReport lastReport; // on the bitrate thread only
  private TransportFeedback lastWindow; // on the bitrate thread only

  /**
   * The queue on the path, from per-packet feedback (the RTCP thread writes, the bitrate reads).
   */
  private final QueueDelay queueDelay = new QueueDelay(); // guarded by itself

  private final AtomicLong packetsFedBack = new AtomicLong();
  private volatile boolean queueUnreadable;
  private final AtomicLong framesPushed = new AtomicLong();
  private final AtomicLong captureToPushNanos = new AtomicLong();
  private final AtomicLong framesEncoded = new AtomicLong();
  private final AtomicLong encodeNanos = new AtomicLong();

  /** When each frame in the encoder went in (System.nanoTime()), oldest first. */
  private final java.util.concurrent.ConcurrentLinkedQueue<Long> inEncoder =
      new java.util.concurrent.ConcurrentLinkedQueue<>();

  private Pipeline pipeline;
  private WebRTCBin webrtc;
  private AppSrc appsrc;
  private Element encoder;
  private OfferedH264 offered;
  private BitrateControl bitrate;
  private boolean remoteSet;
  private volatile PeerLink.State state = PeerLink.State.NEW;
  private volatile boolean closed;

  /** One signal handler on one data channel, to disconnect on close. */
  private record ChannelSignal(Pointer channel, NativeLong id) {}

  GstCarLink(GstMedia media, LinkOptions options, PeerLink.Listener listener) {
    this.media = media;
    this.options = options;
    this.listener = listener;
  }

  // ---- signaling --------------------------------------------------------------------------

  @Override
  public boolean isSamePeer(SignalMessage description) {
    synchronized (lock) {
      return remoteFingerprint != null
          && description instanceof Offer offer
          && remoteFingerprint.equals(SdpFingerprint.of(offer.sdp()));
    }
  }

  @Override
  public void applyRemote(SignalMessage description) {
    if (!(description instanceof Offer offer)) {
      throw new IllegalArgumentException("the car takes offers only: " + description);
    }
    WebRTCBin bin;
    synchronized (lock) {
      if (closed) {
        return;
      }
      if (remoteFingerprint == null) {
        remoteFingerprint = SdpFingerprint.of(offer.sdp());
      }
      if (pipeline == null) {
        offered = OfferedH264.from(offer.sdp());
        if (offered == null) {
          fail(
              "the driver's offer has no H.264 (packetization-mode 1): this car sends hardware"
                  + " H.264 only");
          return;
        }
        try {
          build();
        } catch (RuntimeException e) {
          fail("cannot start the video pipeline: " + e.getMessage());
          return;
        }
      }
      bin = webrtc;
    }
    SDPMessage sdp = new SDPMessage();
    sdp.parseBuffer(offer.sdp());
    bin.setRemoteDescription(new WebRTCSessionDescription(WebRTCSDPType.OFFER, sdp));
    flushCandidates();
    // Our own promise, held and waited on: WebRTCBin.createAnswer's callback lives only in a
    // Promise nothing references, so a GC before webrtcbin answers lost the answer now and then.
    Promise promise = new Promise();
    bin.emit("create-answer", null, promise);
    answering.execute(() -> answer(bin, promise));
  }

  /** On the answering thread: waits for webrtcbin's answer, sets it and hands it to the driver. */
  private void answer(WebRTCBin bin, Promise promise) {
    promise.waitResult();
    Structure reply = promise.getReply();
    if (closed
        || reply == null
        || !(reply.getValue("answer") instanceof WebRTCSessionDescription)) {
      if (!closed) {
        fail("the video pipeline made no answer to the driver's offer");
      }
      return;
    }
    WebRTCSessionDescription answer = (WebRTCSessionDescription) reply.getValue("answer");
    String sdp = answer.getSDPMessage().toString(); // before webrtcbin takes the description
    bin.setLocalDescription(answer);
    listener.onLocalDescription(new Answer(sdp, null));
  }

  @Override
  public void addRemoteCandidate(Candidate candidate) {
    if (closed || candidate.isEndOfCandidates()) {
      return;
    }
    WebRTCBin bin;
    synchronized (lock) {
      if (!remoteSet) {
        pendingCandidates.add(candidate);
        return;
      }
      bin = webrtc;
    }
    addToBin(bin, candidate);
  }

  private void flushCandidates() {
    List<Candidate> pending;
    WebRTCBin bin;
    synchronized (lock) {
      remoteSet = true;
      pending = new ArrayList<>(pendingCandidates);
      pendingCandidates.clear();
      bin = webrtc;
    }
    pending.forEach(c -> addToBin(bin, c));
  }

  private void addToBin(WebRTCBin bin, Candidate candidate) {
    if (closed || bin == null) {
      return;
    }
    int index = candidate.sdpMLineIndex() != null ? candidate.sdpMLineIndex() : indexOf(candidate);
    bin.addIceCandidate(index, candidate.candidate());
  }

  private int indexOf(Candidate candidate) {
    OfferedH264 o = offered;
    return o == null ? 0 : Math.max(0, o.mids().indexOf(candidate.sdpMid()));
  }

  // ---- the pipeline -----------------------------------------------------------------------

  /** Builds and plays the pipeline for the offered payload type; under the lock. */
  private void build() {
    int playoutDelayId = PlayoutDelay.idFor(offered);
    String description =
        media.pipelineDescription(
            offered.payloadType(), playoutDelayId, offered.transportCcId(), options);
    log.debug("pipeline: {}", description);
    pipeline = (Pipeline) org.freedesktop.gstreamer.Gst.parseLaunch(description);
    webrtc = (WebRTCBin) pipeline.getElementByName("webrtc");
    Element source = pipeline.getElementByName("camera");
    appsrc = source instanceof AppSrc app ? app : null;
    encoder = pipeline.getElementByName("enc");
    configureIce(webrtc);
    Bin.DEEP_ELEMENT_ADDED freshRetransmissions =
        (bin, sub, element) -> {
          // Called on whichever thread adds it (the answering thread, too); webrtcbin's own bins
          // have no factory.
          org.freedesktop.gstreamer.ElementFactory factory = element.getFactory();
          if (factory != null && "rtprtxsend".equals(factory.getName())) {
            element.set("max-size-time", RTX_HISTORY_MILLIS);
          }
        };
    pipeline.connect(freshRetransmissions);
    callbacks.add(freshRetransmissions);
    retransmitLostPackets(webrtc);
    if (playoutDelayId > 0) {
      GLib.PadProbe noPlayoutDelay = PlayoutDelay.writer(playoutDelayId);
      callbacks.add(noPlayoutDelay);
      GstApi.API.gst_pad_add_probe(
          Natives.getRawPointer(pipeline.getElementByName("pay").getStaticPad("src")),
          GLib.PROBE_BUFFER | GLib.PROBE_BUFFER_LIST,
          noPlayoutDelay,
          null,
          null);
    }
    if (encoder != null && media.encoder() != null) {
      bitrate =
          new BitrateControl(media.minKbps(), media.startKbps(options), media.maxKbps(options));
      watchTheQueue();
    }
    watchPipeline();
    connectSignals();
    if (pipeline.play() == org.freedesktop.gstreamer.StateChangeReturn.FAILURE) {
      throw new IllegalStateException("the pipeline did not start: " + description);
    }
  }

  /**
   * Feeds the per-packet transport-wide feedback to the queue estimate: the RTP session sends it
   * upstream, through the payloader's source pad, with each feedback packet (on its RTCP thread).
   */
  private void watchTheQueue() {
    GLib.PadProbe feedback =
        GLib.keepAttached(
            (pad, info, data) -> {
              try {
                Pointer event = GstApi.API.gst_pad_probe_info_get_event(info);
                if (event != null) {
                  Pointer structure = GstApi.API.gst_event_get_structure(event);
                  int packets;
                  synchronized (queueDelay) {
                    packets = TransportFeedback.readPackets(structure, queueDelay);
                  }
                  packetsFedBack.addAndGet(packets);
                }
              } catch (RuntimeException | LinkageError e) {
                // Every upstream event passes here, the driver's keyframe requests too: a probe
                // that threw would answer 0, GST_PAD_PROBE_DROP, and lose them.
                if (!queueUnreadable) {
                  queueUnreadable = true;
                  log.warn(
                      "per-packet feedback unreadable, bitrate from the other feedback: {}",
                      e.toString());
                }
              }
              return GLib.PROBE_OK;
            });
    callbacks.add(feedback);
    GstApi.API.gst_pad_add_probe(
        Natives.getRawPointer(pipeline.getElementByName("pay").getStaticPad("src")),
        GLib.PROBE_EVENT_UPSTREAM,
        feedback,
        null,
        null);
  }

  /**
   * How old a packet may be and still be sent again: older than a frame or two and the picture has
   * moved on. rtprtxsend's default (the last 100 packets, a second and more) made repeated NACKs on
   * a congested uplink a flood of stale retransmissions: 5,800 packets dropped in 20 s at the
   * bottleneck and the delay growing (NetworkFaultsIT).
   */
  static final int RTX_HISTORY_MILLIS = 150;

  /**
   * Answers the driver's NACKs with retransmissions (RTX, when its offer has it, as libwebrtc's
   * does): on a lossy cellular link a lost packet is otherwise a broken picture until the next
   * keyframe — at 1 % loss and an uplink near its limit that was 8 fps instead of 30
   * (NetworkFaultsIT). Set before the offer is applied, so the answer carries it.
   */
  private static void retransmitLostPackets(WebRTCBin bin) {
    com.sun.jna.ptr.PointerByReference transceiver = new com.sun.jna.ptr.PointerByReference();
    GObjectApi.API.g_signal_emit_by_name(
        Natives.getRawPointer(bin), "get-transceiver", 0, transceiver);
    if (transceiver.getValue() == null) {
      throw new IllegalStateException("webrtcbin made no transceiver for the video");
    }
    GObjectApi.API.g_object_set(transceiver.getValue(), "do-nack", 1, null);
    GObjectApi.API.g_object_unref(transceiver.getValue());
  }

  private void configureIce(WebRTCBin bin) {
    Pointer raw = Natives.getRawPointer(bin);
    for (IceServer server : options.iceServers()) {
      for (String url : server.urls()) {
        String gstUrl = gstIceUrl(url, server.username(), server.credential());
        if (gstUrl == null) {
          log.debug("ICE server {} not usable by webrtcbin", url);
        } else if (gstUrl.startsWith("stun://")) {
          bin.setStunServer(gstUrl);
        } else {
          com.sun.jna.ptr.IntByReference added = new com.sun.jna.ptr.IntByReference();
          GObjectApi.API.g_signal_emit_by_name(raw, "add-turn-server", gstUrl, added);
          if (added.getValue() == 0) {
            log.warn("webrtcbin refused the TURN server {}", url);
          }
        }
      }
    }
  }

  /**
   * A WebRTC ICE server URL ("stun:host:port", "turn:host:port?transport=udp") as webrtcbin takes
   * it ("stun://host:port", "turn://user:password@host:port?transport=udp"), the credentials
   * percent-encoded (TURN REST user names carry a ':'); null for a scheme it does not know.
   */
  static String gstIceUrl(String url, String username, String credential) {
    int colon = url.indexOf(':');
    if (colon < 0) {
      return null;
    }
    String scheme = url.substring(0, colon).toLowerCase(java.util.Locale.ROOT);
    String rest = url.substring(colon + 1);
    while (rest.startsWith("/")) {
      rest = rest.substring(1);
    }
    return switch (scheme) {
      case "stun", "stuns" -> "stun://" + rest.replaceFirst("\\?.*$", "");
      case "turn", "turns" ->
          scheme
              + "://"
              + encode(username == null ? "" : username)
              + ":"
              + encode(credential == null ? "" : credential)
              + "@"
              + rest;
      default -> null;
    };
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private void watchPipeline() {
    Bus bus = pipeline.getBus();
    Bus.ERROR onError =
        (source, code, message) -> {
          if (!closed) {
            log.warn("video pipeline error from {}: {}", source.getName(), message);
            listener.onError("video pipeline: " + message);
          }
        };
    Bus.WARNING onWarning =
        (source, code, message) -> log.debug("video pipeline: {}: {}", source.getName(), message);
    bus.connect(onError);
    bus.connect(onWarning);
    callbacks.add(onError);
    callbacks.add(onWarning);
    Element parser = pipeline.getElementByName("parse");
    Pad out = parser.getStaticPad("src");
    // On the streaming thread for every frame: raw GStreamer calls, no wrapper objects.
    GLib.PadProbe frames =
        GLib.keepAttached(
            (pad, info, data) -> {
              Pointer buffer = GstApi.API.gst_pad_probe_info_get_buffer(info);
              if (buffer != null) {
                framesOut.incrementAndGet();
                if ((GstApi.API.gst_buffer_get_flags(buffer) & GLib.BUFFER_FLAG_DELTA_UNIT) == 0) {
                  idrFrames.incrementAndGet();
                }
              }
              return GLib.PROBE_OK;
            });
    callbacks.add(frames);
    GstApi.API.gst_pad_add_probe(Natives.getRawPointer(out), GLib.PROBE_BUFFER, frames, null, null);
    if (encoder != null) {
      timeTheEncoder();
    }
    Element keyFrameMaker = encoder != null ? encoder : parser;
    Pad.PROBE keyRequests =
        (pad, info) -> {
          Event event = info.getEvent();
          Structure structure = event == null ? null : event.getStructure();
          if (structure != null && structure.hasName(FORCE_KEY_UNIT)) {
            keyUnitRequests.incrementAndGet();
            log.debug("keyframe requested by the driver");
          }
          return PadProbeReturn.OK;
        };
    keyFrameMaker
        .getStaticPad("src")
        .addProbe(EnumSet.of(PadProbeType.EVENT_UPSTREAM), keyRequests);
    callbacks.add(keyRequests);
  }

  /**
   * Encode time per frame: when a frame goes into the encoder and when its picture comes out. An
   * H.264 encoder set as ours (no B-frames, no look-ahead) keeps the frames in order, one out for
   * each in, so the oldest frame in is the one out; should they ever disagree (a frame the encoder
   * dropped), the queue is bounded and starts again rather than drift.
   */
  private void timeTheEncoder() {
    GLib.PadProbe in =
        GLib.keepAttached(
            (pad, info, data) -> {
              if (inEncoder.size() >= MAX_FRAMES_IN_ENCODER) {
                inEncoder.clear();
              }
              inEncoder.add(System.nanoTime());
              return GLib.PROBE_OK;
            });
    GLib.PadProbe out =
        GLib.keepAttached(
            (pad, info, data) -> {
              Long entered = inEncoder.poll();
              if (entered != null) {
                encodeNanos.addAndGet(System.nanoTime() - entered);
                framesEncoded.incrementAndGet();
              }
              return GLib.PROBE_OK;
            });
    callbacks.add(in);
    callbacks.add(out);
    GstApi.API.gst_pad_add_probe(
        Natives.getRawPointer(encoder.getStaticPad("sink")), GLib.PROBE_BUFFER, in, null, null);
    GstApi.API.gst_pad_add_probe(
        Natives.getRawPointer(encoder.getStaticPad("src")), GLib.PROBE_BUFFER, out, null, null);
  }

  /** More frames than this inside the encoder means the in/out pairing is lost. */
  private static final int MAX_FRAMES_IN_ENCODER = 8;

  private void connectSignals() {
    WebRTCBin.ON_ICE_CANDIDATE onCandidate =
        (mline, candidate) -> {
          if (!closed) {
            localCandidates.incrementAndGet();
            listener.onLocalCandidate(new Candidate(candidate, offered.mid(mline), mline));
          }
        };
    webrtc.connect(onCandidate);
    callbacks.add(onCandidate);
    Pointer bin = Natives.getRawPointer(webrtc);
    GLib.PointerSignal onGathering = (self, spec, data) -> onGatheringChange();
    GLib.PointerSignal onConnection = (self, spec, data) -> onConnectionChange();
    GLib.PointerSignal onChannel =
        (self, channel, data) -> {
          try {
            onDataChannel(channel);
          } catch (RuntimeException | Error e) {
            log.error("data channel setup failed", e);
          }
        };
    connect(bin, "notify::ice-gathering-state", onGathering);
    connect(bin, "notify::connection-state", onConnection);
    connect(bin, "on-data-channel", onChannel);
  }

  private NativeLong connect(Pointer instance, String signal, com.sun.jna.Callback callback) {
    callbacks.add(GLib.keepAttached(callback));
    return GObjectApi.API.g_signal_connect_data(instance, signal, callback, null, null, 0);
  }

  private void onGatheringChange() {
    if (closed || webrtc.getICEGatheringState() != WebRTCICEGatheringState.COMPLETE) {
      return;
    }
    listener.onLocalCandidate(Candidate.endOfCandidates(offered.mid(0), 0));
    listener.onGatheringComplete(localCandidates.getAndSet(0));
  }

  private void onConnectionChange() {
    if (closed) {
      return;
    }
    PeerLink.State next = PeerLink.State.valueOf(webrtc.getConnectionState().name());
    if (next != state) {
      state = next;
      log.debug("connection {}", next);
      listener.onState(next);
    }
  }

  // ---- data channels ----------------------------------------------------------------------

  private void onDataChannel(Pointer channel) {
    String label = GLib.stringProperty(channel, "label");
    Channel which = null;
    for (Channel c : Channel.values()) {
      if (c.label().equals(label)) {
        which = c;
      }
    }
    if (which == null || closed) {
      log.warn("ignoring unknown data channel '{}'", label);
      return;
    }
    Channel known = which;
    GObjectApi.API.g_object_ref(channel);
    synchronized (channels) {
      channels.put(known, channel);
    }
    GLib.VoidSignal onOpen = (self, data) -> announceOpen(known);
    GLib.VoidSignal onClose =
        (self, data) -> {
          if (!closed) {
            listener.onChannelClosed(known);
          }
        };
    GLib.PointerSignal onMessage =
        (self, bytes, data) -> {
          if (!closed) {
            listener.onMessage(known, ByteBuffer.wrap(GLib.bytes(bytes)));
          }
        };
    GLib.PointerSignal onError =
        (self, error, data) -> log.debug("data channel {} error", known.label());
    synchronized (lock) {
      channelSignals.add(new ChannelSignal(channel, connect(channel, "on-open", onOpen)));
      channelSignals.add(new ChannelSignal(channel, connect(channel, "on-close", onClose)));
      channelSignals.add(
          new ChannelSignal(channel, connect(channel, "on-message-data", onMessage)));
      channelSignals.add(new ChannelSignal(channel, connect(channel, "on-error", onError)));
    }
    if (GLib.intProperty(channel, "ready-state") == CHANNEL_OPEN) {
      announceOpen(known); // a channel the driver opened is often open before we hear of it
    }
  }

  /** Tells the listener once per channel, whether we saw it open or it was open already. */
  private void announceOpen(Channel channel) {
    boolean first;
    synchronized (lock) {
      first = !closed && announced.add(channel);
    }
    if (first) {
      listener.onChannelOpen(channel);
    }
  }

  @Override
  public boolean send(Channel channel, byte[] message) {
    // The channels' own lock: the car's control thread sends here and must never wait for
    // applyRemote, which holds `lock` while it builds and starts the pipeline.
    synchronized (channels) {
      Pointer dc = channels.get(channel);
      if (closed || dc == null || GLib.intProperty(dc, "ready-state") != CHANNEL_OPEN) {
        return false;
      }
      Pointer bytes = GLibApi.API.g_bytes_new(message, new NativeLong(message.length));
      try {
        GObjectApi.API.g_signal_emit_by_name(dc, "send-data", bytes);
        return true;
      } finally {
        GLibApi.API.g_bytes_unref(bytes);
      }
    }
  }

  @Override
  public boolean isOpen(Channel channel) {
    synchronized (channels) {
      Pointer dc = channels.get(channel);
      return !closed && dc != null && GLib.intProperty(dc, "ready-state") == CHANNEL_OPEN;
    }
  }

  // ---- video ------------------------------------------------------------------------------

  /**
   * A camera frame into the pipeline (raw sources only); dropped until the pipeline plays. {@code
   * captureNanos}: when the camera took it, System.nanoTime().
   */
  void push(I420Image image, long captureNanos) {
    AppSrc src;
    synchronized (lock) {
      src = closed ? null : appsrc;
    }
    if (src == null) {
      return;
    }
    int size = image.y().length + image.u().length + image.v().length;
    Buffer buffer = new Buffer(size);
    ByteBuffer data = buffer.map(true);
    data.put(image.y()).put(image.u()).put(image.v());
    buffer.unmap();
    src.pushBuffer(buffer);
    // Capture → handed to the pipeline, as VideoFeed counts it on the software path; the time
    // first, so a reader never sees a frame counted without it.
    captureToPushNanos.addAndGet(System.nanoTime() - captureNanos);
    framesPushed.incrementAndGet();
  }

  /**
   * Reads the latest window of transport-wide feedback, the queue on the path and the receiver's
   * latest report (through webrtcbin's stats) and moves the encoder's bitrate, once for all three;
   * called by {@link GstMedia} a few times a second. A window or report seen before is no news.
   */
  void adjustBitrate(long nowNanos) {
    WebRTCBin bin;
    Element enc;
    int sessions;
    synchronized (lock) {
      if (closed || webrtc == null || bitrate == null) {
        return;
      }
      bin = webrtc;
      enc = encoder;
      sessions = offered.mids().size();
    }
    int before = bitrate.kbps();
    TransportFeedback window = TransportFeedback.read(bin, sessions);
    if (window != null && !window.equals(lastWindow)) {
      lastWindow = window;
      bitrate.onTransportFeedback(
          window.sentKbps(), window.arrivedKbps(), window.lossFraction(), nowNanos);
    }
    double queueMillis;
    double arrivedKbps;
    synchronized (queueDelay) {
      queueMillis = queueDelay.queueMillis();
      arrivedKbps = queueDelay.arrivedKbps();
    }
    bitrate.onQueue(queueMillis, arrivedKbps, nowNanos);
    ReceiverReport report = newReport(bin);
    if (report != null) {
      bitrate.onReport(report.fractionLost(), report.rttMillis(), nowNanos);
    }
    if (bitrate.kbps() != before) {
      log.debug(
          "feedback {}, queue on the path {} ms ({} kbps arrived), {}",
          window,
          queueMillis,
          arrivedKbps,
          report);
      setBitrate(enc, bitrate.kbps());
    }
  }

  /**
   * The receiver's latest report, or null when there is none yet or it is the one already acted on:
   * webrtcbin gives the latest again until the next comes, and no news is not a clean link.
   */
  private ReceiverReport newReport(WebRTCBin bin) {
    Structure stats = stats(bin);
    ReceiverReport report =
        stats == null ? null : ReceiverReport.from(Natives.getRawPointer(stats));
    if (report == null || report.equals(lastReport)) {
      return null;
    }
    lastReport = report;
    return report;
  }

  /** webrtcbin's stats, or null when it gives none in time. */
  private static Structure stats(WebRTCBin bin) {
    Promise promise = new Promise();
    GObjectApi.API.g_signal_emit_by_name(
        Natives.getRawPointer(bin), "get-stats", null, Natives.getRawPointer(promise));
    promise.waitResult();
    return promise.getReply();
  }

  /** Sets the encoder's bitrate now (and where {@link BitrateControl} goes on from). */
  void setBitrate(Element enc, int kbps) {
    if (enc != null && media.encoder() != null) {
      media.encoder().setKbps(enc, kbps);
      log.debug("video bitrate {} kbps", kbps);
    }
  }

  /**
   * Frames pushed (capture → pipeline), frames encoded (encode time). No pacer: webrtcbin sends
   * each packet as it is made, so there is no wait to count and the breakdown shows none.
   */
  @Override
  public SenderStatsFrame senderStats() {
    // Each count read before its time (written time first): never a frame counted without it.
    long pushed = framesPushed.get();
    long pushTime = captureToPushNanos.get();
    long encoded = framesEncoded.get();
    long encodeTime = encodeNanos.get();
    return new SenderStatsFrame(pushed, pushTime / 1000, encoded, encodeTime / 1000, 0, 0);
  }

  /** Test and bench hooks: what reached the encoder and what came out of it. */
  long keyUnitRequests() {
    return keyUnitRequests.get();
  }

  long idrFrames() {
    return idrFrames.get();
  }

  long framesOut() {
    return framesOut.get();
  }

  long framesPushed() {
    return framesPushed.get();
  }

  /** Test hook: the pipeline's elements, at any depth, that {@code factory} made. */
  List<Element> elementsMadeBy(String factory) {
    synchronized (lock) {
      if (pipeline == null) {
        return List.of();
      }
      return pipeline.getElementsRecursive().stream()
          .filter(e -> e.getFactory() != null && factory.equals(e.getFactory().getName()))
          .toList();
    }
  }

  Element element(String name) {
    synchronized (lock) {
      return pipeline == null ? null : pipeline.getElementByName(name);
    }
  }

  BitrateControl bitrateControl() {
    return bitrate;
  }

  /** The queue on the path now, ms (NaN before there is feedback to tell). */
  double queueMillis() {
    synchronized (queueDelay) {
      return queueDelay.queueMillis();
    }
  }

  /** Packets the driver's per-packet feedback said arrived, so far. */
  long packetsFedBack() {
    return packetsFedBack.get();
  }

  PeerLink.State state() {
    return state;
  }

  // ---- close ------------------------------------------------------------------------------

  @Override
  public void close() {
    Pipeline p;
    List<ChannelSignal> signals;
    List<Pointer> held;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      p = pipeline;
      signals = new ArrayList<>(channelSignals);
      synchronized (channels) { // order: lock, then channels; channel users take channels only
        held = new ArrayList<>(channels.values());
        channels.clear();
      }
      channelSignals.clear();
      appsrc = null;
    }
    for (ChannelSignal signal : signals) {
      GObjectApi.API.g_signal_handler_disconnect(signal.channel(), signal.id());
    }
    if (p != null) {
      p.setState(State.NULL);
      p.getState(5, java.util.concurrent.TimeUnit.SECONDS);
    }
    held.forEach(GObjectApi.API::g_object_unref);
    if (p != null) {
      ((Bin) p).dispose();
    }
    answering.shutdownNow();
    media.forget(this);
    listener.onState(PeerLink.State.CLOSED);
  }

  private void fail(String reason) {
    log.warn("{}", reason);
    listener.onError(reason);
  }
}
