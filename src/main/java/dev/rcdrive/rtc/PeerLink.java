package dev.rcdrive.rtc;

import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCAnswerOptions;
import dev.onvoid.webrtc.RTCBundlePolicy;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelBuffer;
import dev.onvoid.webrtc.RTCDataChannelInit;
import dev.onvoid.webrtc.RTCDataChannelObserver;
import dev.onvoid.webrtc.RTCDataChannelState;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCIceGatheringState;
import dev.onvoid.webrtc.RTCIceServer;
import dev.onvoid.webrtc.RTCIceTransportPolicy;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.RTCRtpCodecCapability;
import dev.onvoid.webrtc.RTCRtpEncodingParameters;
import dev.onvoid.webrtc.RTCRtpSendParameters;
import dev.onvoid.webrtc.RTCRtpSender;
import dev.onvoid.webrtc.RTCRtpTransceiver;
import dev.onvoid.webrtc.RTCRtpTransceiverDirection;
import dev.onvoid.webrtc.RTCRtpTransceiverInit;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;
import dev.onvoid.webrtc.media.MediaStreamTrack;
import dev.onvoid.webrtc.media.MediaType;
import dev.onvoid.webrtc.media.video.CustomVideoSource;
import dev.onvoid.webrtc.media.video.VideoTrack;
import dev.onvoid.webrtc.media.video.VideoTrackSink;
import dev.rcdrive.protocol.SignalMessage;
import dev.rcdrive.protocol.SignalMessage.Answer;
import dev.rcdrive.protocol.SignalMessage.Candidate;
import dev.rcdrive.protocol.SignalMessage.IceServer;
import dev.rcdrive.protocol.SignalMessage.Offer;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One RTCPeerConnection between a driver and a car, and everything rcdrive does with it: offer or
 * answer, trickle ICE both ways, the "control" and "telemetry" data channels, the video track,
 * codec and bitrate settings, stats, ICE restart, and disposal in an order that never crashes.
 *
 * <p>The driver offers (a receive-only video transceiver and both data channels); the car answers
 * with its camera track. Listener methods run on libwebrtc's threads: they must return quickly,
 * must not block, and must not call {@link #close()} (hand the work to a thread of your own).
 */
public final class PeerLink implements CarLink {

  private static final Logger log = LoggerFactory.getLogger(PeerLink.class);

  /** Which end of the link this is. */
  public enum Side {
    /** The station: offers, receives video, sends control. */
    DRIVER,
    /** The car: answers, sends video, sends telemetry. */
    CAR
  }

  /** The two data channels, both unordered with no retransmits: a late frame is worthless. */
  public enum Channel {
    CONTROL("control"),
    TELEMETRY("telemetry");

    private final String label;

    Channel(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }

    static Channel byLabel(String label) {
      for (Channel channel : values()) {
        if (channel.label.equals(label)) {
          return channel;
        }
      }
      return null;
    }
  }

  /** The peer connection's state, as RTCPeerConnection reports it. */
  public enum State {
    NEW,
    CONNECTING,
    CONNECTED,
    DISCONNECTED,
    FAILED,
    CLOSED
  }

  /** What the link reports. Every method has a default so a user implements what it needs. */
  public interface Listener {
    /** An offer or answer to send to the peer through signaling. */
    default void onLocalDescription(SignalMessage description) {}

    /** A local candidate to trickle to the peer; an empty one marks the end of gathering. */
    default void onLocalCandidate(Candidate candidate) {}

    /** Gathering finished with this many local candidates (0: no usable network interface). */
    default void onGatheringComplete(int candidates) {}

    default void onState(State state) {}

    default void onChannelOpen(Channel channel) {}

    default void onChannelClosed(Channel channel) {}

    /** A message on a data channel; the buffer is valid only during the call. */
    default void onMessage(Channel channel, ByteBuffer data) {}

    /** A decoded video frame (driver side); valid only during the call. */
    default void onVideoFrame(ReceivedFrame frame) {}

    /** Negotiation failed (a bad remote description, an SDP error): the link is unusable. */
    default void onError(String reason) {}
  }

  private final RtcEngine engine;
  private final Side side;
  private final LinkOptions options;
  private final Listener listener;
  private final VideoFeed video;
  private final RTCPeerConnection pc;
  private final Map<Channel, RTCDataChannel> channels = new EnumMap<>(Channel.class);
  private final List<Candidate> pendingRemoteCandidates = new ArrayList<>();
  private final AtomicInteger localCandidates = new AtomicInteger();
  private final VideoTrackSink sink = this::onRemoteFrame;
  private final Object lock = new Object();

  private boolean remoteDescriptionSet;
  private RTCRtpSender videoSender;
  private VideoTrack remoteTrack;
  private CustomVideoSource placeholderSource;
  private VideoTrack placeholderTrack;
  private volatile boolean closed;

  /** The peer's DTLS fingerprint from its first description: which peer connection it is. */
  private volatile String remoteFingerprint;

  PeerLink(RtcEngine engine, Side side, LinkOptions options, Listener listener, VideoFeed video) {
    this.engine = engine;
    this.side = side;
    this.options = options;
    this.listener = listener;
    this.video = video;
    this.pc = engine.factory().createPeerConnection(configuration(options), new Observer());
    if (side == Side.DRIVER) {
      setUpDriver();
    } else if (video != null) {
      videoSender = pc.addTrack(video.track(), List.of("rcdrive"));
    }
  }

  private static RTCConfiguration configuration(LinkOptions options) {
    RTCConfiguration config = new RTCConfiguration();
    for (IceServer server : options.iceServers()) {
      RTCIceServer ice = new RTCIceServer();
      ice.urls = new ArrayList<>(server.urls());
      ice.username = server.username();
      ice.password = server.credential();
      config.iceServers.add(ice);
    }
    config.iceTransportPolicy =
        options.relayOnly() ? RTCIceTransportPolicy.RELAY : RTCIceTransportPolicy.ALL;
    config.bundlePolicy = RTCBundlePolicy.MAX_BUNDLE;
    return config;
  }

  /**
   * A receive-only video transceiver (webrtc-java needs a track to make one: a placeholder that
   * never sends), the codec preference (the car sends the first codec of this list it supports),
   * and both data channels.
   */
  private void setUpDriver() {
    placeholderSource = new CustomVideoSource();
    placeholderTrack = engine.factory().createVideoTrack("placeholder", placeholderSource);
    RTCRtpTransceiverInit init = new RTCRtpTransceiverInit();
    init.direction = RTCRtpTransceiverDirection.RECV_ONLY;
    RTCRtpTransceiver transceiver = pc.addTransceiver(placeholderTrack, init);
    videoSender = transceiver.getSender(); // removed on close, so the placeholder can be disposed
    List<RTCRtpCodecCapability> codecs =
        new ArrayList<>(engine.factory().getRtpReceiverCapabilities(MediaType.VIDEO).getCodecs());
    codecs.sort(
        (a, b) ->
            Boolean.compare(
                !a.getName().equalsIgnoreCase(options.codec().mimeSubtype()),
                !b.getName().equalsIgnoreCase(options.codec().mimeSubtype())));
    if (codecs.isEmpty()
        || !codecs.get(0).getName().equalsIgnoreCase(options.codec().mimeSubtype())) {
      throw new IllegalStateException("codec " + options.codec() + " is not available here");
    }
    transceiver.setCodecPreferences(codecs);
    for (Channel channel : Channel.values()) {
      RTCDataChannelInit init2 = new RTCDataChannelInit();
      init2.ordered = false;
      init2.maxRetransmits = 0;
      RTCDataChannel dc = pc.createDataChannel(channel.label(), init2);
      register(channel, dc);
    }
  }

  public Side side() {
    return side;
  }

  /** Driver: makes the offer (reported through {@link Listener#onLocalDescription}). */
  public void start() {
    requireSide(Side.DRIVER, "start");
    createOffer(false);
  }

  /** Driver: a new offer with fresh ICE credentials, to recover from a changed network. */
  public void restartIce() {
    requireSide(Side.DRIVER, "restartIce");
    createOffer(true);
  }

  private void createOffer(boolean iceRestart) {
    RTCOfferOptions offerOptions = new RTCOfferOptions();
    offerOptions.iceRestart = iceRestart;
    pc.createOffer(offerOptions, new Described(RTCSdpType.OFFER));
  }

  /** Applies the peer's offer (car) or answer (driver) received through signaling. */
  public void applyRemote(SignalMessage description) {
    if (closed) {
      return;
    }
    RTCSessionDescription remote;
    String fingerprint = SdpFingerprint.of(sdpOf(description));
    if (remoteFingerprint == null) {
      remoteFingerprint = fingerprint;
    }
    if (description instanceof Offer offer) {
      requireSide(Side.CAR, "an offer");
      // The car sends video with the codec parameters of the remote description: its own start
      // bitrate goes into the offer it applies (the driver's copy is unchanged).
      remote =
          new RTCSessionDescription(
              RTCSdpType.OFFER, SdpBitrate.withStartBitrate(offer.sdp(), startBitrateKbps()));
    } else if (description instanceof Answer answer) {
      requireSide(Side.DRIVER, "an answer");
      remote = new RTCSessionDescription(RTCSdpType.ANSWER, answer.sdp());
    } else {
      throw new IllegalArgumentException("not an offer or answer: " + description);
    }
    pc.setRemoteDescription(
        remote,
        new SetSessionDescriptionObserver() {
          @Override
          public void onSuccess() {
            flushRemoteCandidates();
            if (remote.sdpType == RTCSdpType.OFFER && !closed) {
              pc.createAnswer(new RTCAnswerOptions(), new Described(RTCSdpType.ANSWER));
            }
          }

          @Override
          public void onFailure(String error) {
            fail("remote " + remote.sdpType + " rejected: " + error);
          }
        });
  }

  /**
   * Whether {@code description} (an offer or answer) comes from the same peer connection as the
   * peer's first one: the same DTLS certificate. An ICE restart or renegotiation does; a peer that
   * started over (a restarted car, a driver's new link) does not, and applying its description to
   * this link would revive video but not the data channels. False before any remote description.
   */
  @Override
  public boolean isSamePeer(SignalMessage description) {
    String known = remoteFingerprint;
    return known != null && known.equals(SdpFingerprint.of(sdpOf(description)));
  }

  /** Whether a remote description was applied (the peer is known). */
  public boolean hasRemote() {
    return remoteFingerprint != null;
  }

  private static String sdpOf(SignalMessage description) {
    if (description instanceof Offer offer) {
      return offer.sdp();
    }
    if (description instanceof Answer answer) {
      return answer.sdp();
    }
    return null;
  }

  /** Adds a trickled remote candidate; held back until the remote description is set. */
  public void addRemoteCandidate(Candidate candidate) {
    if (closed || candidate.isEndOfCandidates()) {
      return; // libwebrtc needs no end-of-candidates marker to finish its checks
    }
    synchronized (lock) {
      if (!remoteDescriptionSet) {
        pendingRemoteCandidates.add(candidate);
        return;
      }
    }
    addToConnection(candidate);
  }

  private void flushRemoteCandidates() {
    List<Candidate> pending;
    synchronized (lock) {
      remoteDescriptionSet = true;
      pending = new ArrayList<>(pendingRemoteCandidates);
      pendingRemoteCandidates.clear();
    }
    pending.forEach(this::addToConnection);
  }

  private void addToConnection(Candidate candidate) {
    if (closed) {
      return;
    }
    int index = candidate.sdpMLineIndex() == null ? 0 : candidate.sdpMLineIndex();
    pc.addIceCandidate(new RTCIceCandidate(candidate.sdpMid(), index, candidate.candidate()));
  }

  /**
   * Sends one message on a data channel; false when the channel is not open (the caller's next
   * periodic frame supersedes it anyway). Never blocks.
   */
  public boolean send(Channel channel, byte[] message) {
    RTCDataChannel dc;
    synchronized (lock) {
      dc = channels.get(channel);
    }
    if (closed || dc == null || dc.getState() != RTCDataChannelState.OPEN) {
      return false;
    }
    try {
      // An exact-size array: webrtc-java sends a heap buffer's whole backing array.
      dc.send(new RTCDataChannelBuffer(ByteBuffer.wrap(message), true));
      return true;
    } catch (Exception e) {
      log.debug("send on {} failed: {}", channel.label(), e.toString());
      return false;
    }
  }

  /**
   * The local description as it stands now; after gathering it lists every local candidate, which
   * is what a peer that does not trickle sends.
   */
  public String currentLocalSdp() {
    var description = closed ? null : pc.getLocalDescription();
    return description == null ? null : description.sdp;
  }

  public boolean isOpen(Channel channel) {
    RTCDataChannel dc;
    synchronized (lock) {
      dc = channels.get(channel);
    }
    return !closed && dc != null && dc.getState() == RTCDataChannelState.OPEN;
  }

  /** Collects a stats snapshot; completes on a libwebrtc thread. */
  public CompletableFuture<LinkStats> stats() {
    CompletableFuture<LinkStats> result = new CompletableFuture<>();
    if (closed) {
      result.complete(LinkStats.EMPTY);
      return result;
    }
    pc.getStats(report -> result.complete(StatsReader.read(report)));
    return result;
  }

  private void register(Channel channel, RTCDataChannel dc) {
    synchronized (lock) {
      channels.put(channel, dc);
    }
    dc.registerObserver(
        new RTCDataChannelObserver() {
          @Override
          public void onBufferedAmountChange(long previousAmount) {}

          @Override
          public void onStateChange() {
            if (closed) {
              return;
            }
            RTCDataChannelState state = dc.getState();
            if (state == RTCDataChannelState.OPEN) {
              listener.onChannelOpen(channel);
            } else if (state == RTCDataChannelState.CLOSED) {
              listener.onChannelClosed(channel);
            }
          }

          @Override
          public void onMessage(RTCDataChannelBuffer buffer) {
            if (!closed) {
              listener.onMessage(channel, buffer.data);
            }
          }
        });
  }

  private void onRemoteFrame(dev.onvoid.webrtc.media.video.VideoFrame frame) {
    ReceivedFrame received = new ReceivedFrame(frame, System.nanoTime());
    try {
      if (!closed) {
        listener.onVideoFrame(received);
      }
    } catch (RuntimeException e) {
      log.warn("video sink failed", e);
    } finally {
      received.release();
      frame.release();
    }
  }

  private int startBitrateKbps() {
    int start = options.startBitrateKbps();
    int max = options.maxBitrateKbps();
    return max > 0 && start > max ? max : start;
  }

  private void applyEncodingLimits() {
    if (side != Side.CAR
        || videoSender == null
        || (options.maxBitrateKbps() <= 0 && options.maxFramerate() <= 0)) {
      return;
    }
    RTCRtpSendParameters parameters = videoSender.getParameters();
    for (RTCRtpEncodingParameters encoding : parameters.encodings) {
      if (options.maxBitrateKbps() > 0) {
        encoding.maxBitrate = options.maxBitrateKbps() * 1000;
      }
      if (options.maxFramerate() > 0) {
        encoding.maxFramerate = (double) options.maxFramerate();
      }
    }
    videoSender.setParameters(parameters);
  }

  private void requireSide(Side expected, String what) {
    if (side != expected) {
      throw new IllegalStateException(
          what + " is for the " + expected + " side, this is the " + side);
    }
  }

  private void fail(String reason) {
    log.warn("{} link: {}", side, reason);
    if (!closed) {
      listener.onError(reason);
    }
  }

  /**
   * Disposes in the order that never crashed the JVM: sinks, senders, data channels, the peer
   * connection, then tracks and sources. Idempotent. Must not be called on a libwebrtc thread.
   */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
    }
    if (remoteTrack != null) {
      remoteTrack.removeSink(sink);
    }
    if (videoSender != null) {
      pc.removeTrack(videoSender);
    }
    List<RTCDataChannel> open;
    synchronized (lock) {
      open = new ArrayList<>(channels.values());
      channels.clear();
    }
    for (RTCDataChannel dc : open) {
      dc.unregisterObserver();
      dc.close();
      dc.dispose();
    }
    pc.close();
    if (placeholderTrack != null) {
      placeholderTrack.dispose();
      placeholderSource.dispose();
    }
    engine.forget(this);
    listener.onState(State.CLOSED);
  }

  /** createOffer/createAnswer → setLocalDescription → the listener. */
  private final class Described implements CreateSessionDescriptionObserver {
    private final RTCSdpType type;

    Described(RTCSdpType type) {
      this.type = type;
    }

    @Override
    public void onSuccess(RTCSessionDescription description) {
      if (closed) {
        return;
      }
      pc.setLocalDescription(
          description,
          new SetSessionDescriptionObserver() {
            @Override
            public void onSuccess() {
              if (closed) {
                return;
              }
              if (type == RTCSdpType.ANSWER) {
                applyEncodingLimits();
              }
              listener.onLocalDescription(
                  type == RTCSdpType.OFFER
                      ? new Offer(description.sdp)
                      : new Answer(description.sdp));
            }

            @Override
            public void onFailure(String error) {
              fail("local " + type + " rejected: " + error);
            }
          });
    }

    @Override
    public void onFailure(String error) {
      fail("creating the " + type + " failed: " + error);
    }
  }

  private final class Observer implements PeerConnectionObserver {
    @Override
    public void onIceCandidate(RTCIceCandidate candidate) {
      if (!closed) {
        localCandidates.incrementAndGet();
        listener.onLocalCandidate(
            new Candidate(candidate.sdp, candidate.sdpMid, candidate.sdpMLineIndex));
      }
    }

    @Override
    public void onIceGatheringChange(RTCIceGatheringState state) {
      if (state == RTCIceGatheringState.COMPLETE && !closed) {
        listener.onLocalCandidate(Candidate.endOfCandidates("0", 0));
        listener.onGatheringComplete(localCandidates.getAndSet(0));
      }
    }

    @Override
    public void onConnectionChange(RTCPeerConnectionState state) {
      if (!closed) {
        listener.onState(State.valueOf(state.name()));
      }
    }

    @Override
    public void onDataChannel(RTCDataChannel dc) {
      Channel channel = Channel.byLabel(dc.getLabel());
      if (channel == null || closed) {
        log.warn("ignoring unknown data channel '{}'", dc.getLabel());
        return;
      }
      register(channel, dc);
      if (dc.getState() == RTCDataChannelState.OPEN) {
        listener.onChannelOpen(channel);
      }
    }

    @Override
    public void onTrack(RTCRtpTransceiver transceiver) {
      MediaStreamTrack track = transceiver.getReceiver().getTrack();
      if (track instanceof VideoTrack videoTrack && side == Side.DRIVER && !closed) {
        remoteTrack = videoTrack;
        videoTrack.addSink(sink);
      }
    }
  }
}
