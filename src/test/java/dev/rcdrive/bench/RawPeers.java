package dev.rcdrive.bench;

import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.PeerConnectionFactory;
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
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.RTCStatsReport;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;
import dev.onvoid.webrtc.media.MediaStreamTrack;
import dev.onvoid.webrtc.media.MediaType;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import dev.onvoid.webrtc.media.video.CustomVideoSource;
import dev.onvoid.webrtc.media.video.NativeI420Buffer;
import dev.onvoid.webrtc.media.video.VideoFrame;
import dev.onvoid.webrtc.media.video.VideoTrack;
import dev.onvoid.webrtc.media.video.VideoTrackSink;
import dev.rcdrive.protocol.I420Image;
import dev.rcdrive.rtc.SdpForBench;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The baseline: two RTCPeerConnections of one webrtc-java factory in this process, wired straight
 * to each other (no signaling server, no {@code PeerLink}, no rcdrive code on the media path). The
 * roles mirror rcdrive's so the two are set up alike: the "driver" offers a receive-only video
 * transceiver (codec preference on it) and one unordered, no-retransmit data channel; the "car"
 * answers and sends a {@link CustomVideoSource} track with the same encoding caps.
 *
 * <p>Callbacks run on libwebrtc's signaling thread. {@link #close()} disposes in the order
 * PLATFORM.md gives, and owns the factory and audio module it made.
 */
final class RawPeers implements AutoCloseable {

  /** What the measurement sees; every method has a default. */
  interface Listener {
    /** A message on the car's end of the data channel; the buffer is valid only in the call. */
    default void onCarMessage(ByteBuffer data, long receivedNanos) {}

    /** A message on the driver's end. */
    default void onDriverMessage(ByteBuffer data, long receivedNanos) {}

    /** A decoded frame at the driver's sink; released after the call. */
    default void onFrame(VideoFrame frame, long receivedNanos) {}
  }

  /**
   * @param video whether the car sends a video track
   * @param codec the codec the driver prefers (VP8, VP9, H264, AV1)
   * @param maxBitrateKbps encoding cap, 0 for libwebrtc's default
   * @param maxFramerate encoding cap, 0 for none
   * @param scaleDownBy encoding scaleResolutionDownBy, 0 for none
   * @param iceServers STUN/TURN servers for both peers
   * @param relayOnly both peers use relay candidates only
   * @param startBitrateKbps the car's start bitrate (as rcdrive's car sets it), 0 for libwebrtc's
   */
  record Setup(
      boolean video,
      String codec,
      int maxBitrateKbps,
      int maxFramerate,
      double scaleDownBy,
      List<RTCIceServer> iceServers,
      boolean relayOnly,
      int startBitrateKbps) {

    static Setup dataOnly() {
      return new Setup(false, "VP8", 0, 0, 0, List.of(), false, 0);
    }
  }

  private final Setup setup;
  private final Listener listener;
  private final HeadlessAudioDeviceModule audio;
  private final PeerConnectionFactory factory;
  private final RTCPeerConnection driver;
  private final RTCPeerConnection car;
  private final Object lock = new Object();
  private final List<RTCIceCandidate> pendingForDriver = new ArrayList<>();
  private final List<RTCIceCandidate> pendingForCar = new ArrayList<>();
  private final VideoTrackSink sink = this::onFrame;

  private CustomVideoSource source;
  private VideoTrack track;
  private RTCRtpSender videoSender;
  private CustomVideoSource placeholderSource;
  private VideoTrack placeholderTrack;
  private RTCRtpSender placeholderSender;
  private RTCDataChannel driverChannel;
  private volatile RTCDataChannel carChannel;
  private volatile VideoTrack remoteTrack;
  private boolean driverRemoteSet;
  private boolean carRemoteSet;
  private volatile boolean closed;

  /** Completes with System.nanoTime() when the driver's end of the data channel opens. */
  final CompletableFuture<Long> channelOpen = new CompletableFuture<>();

  /** Completes with System.nanoTime() when the driver's connection state is CONNECTED. */
  final CompletableFuture<Long> connected = new CompletableFuture<>();

  /** Completes with System.nanoTime() of the first frame at the sink. */
  final CompletableFuture<Long> firstFrame = new CompletableFuture<>();

  /** Fails when negotiation fails. */
  final CompletableFuture<Void> failure = new CompletableFuture<>();

  RawPeers(Setup setup, Listener listener) {
    this.setup = setup;
    this.listener = listener;
    this.audio = new HeadlessAudioDeviceModule();
    this.factory = new PeerConnectionFactory(audio);
    this.driver = factory.createPeerConnection(configuration(setup), new Observer(true));
    this.car = factory.createPeerConnection(configuration(setup), new Observer(false));
    if (setup.video()) {
      source = new CustomVideoSource();
      track = factory.createVideoTrack("raw-camera", source);
      videoSender = car.addTrack(track, List.of("raw"));
      placeholderSource = new CustomVideoSource();
      placeholderTrack = factory.createVideoTrack("raw-placeholder", placeholderSource);
      RTCRtpTransceiverInit init = new RTCRtpTransceiverInit();
      init.direction = RTCRtpTransceiverDirection.RECV_ONLY;
      RTCRtpTransceiver transceiver = driver.addTransceiver(placeholderTrack, init);
      placeholderSender = transceiver.getSender();
      List<RTCRtpCodecCapability> codecs =
          new ArrayList<>(factory.getRtpReceiverCapabilities(MediaType.VIDEO).getCodecs());
      codecs.sort(
          (a, b) ->
              Boolean.compare(
                  !a.getName().equalsIgnoreCase(setup.codec()),
                  !b.getName().equalsIgnoreCase(setup.codec())));
      if (!codecs.get(0).getName().equalsIgnoreCase(setup.codec())) {
        throw new IllegalArgumentException("codec " + setup.codec() + " is not available");
      }
      transceiver.setCodecPreferences(codecs);
    }
    RTCDataChannelInit init = new RTCDataChannelInit();
    init.ordered = false;
    init.maxRetransmits = 0;
    driverChannel = driver.createDataChannel("control", init);
    observe(driverChannel, true);
  }

  private static RTCConfiguration configuration(Setup setup) {
    RTCConfiguration config = new RTCConfiguration();
    config.iceServers.addAll(setup.iceServers());
    config.iceTransportPolicy =
        setup.relayOnly() ? RTCIceTransportPolicy.RELAY : RTCIceTransportPolicy.ALL;
    config.bundlePolicy = RTCBundlePolicy.MAX_BUNDLE;
    return config;
  }

  /** Offer, answer and trickled candidates, all handed across directly. */
  void start() {
    driver.createOffer(
        new RTCOfferOptions(),
        described(
            offer ->
                driver.setLocalDescription(
                    offer,
                    set(
                        () ->
                            car.setRemoteDescription(
                                startBitrate(offer),
                                set(
                                    () -> {
                                      flush(false);
                                      car.createAnswer(
                                          new RTCAnswerOptions(),
                                          described(
                                              answer ->
                                                  car.setLocalDescription(
                                                      answer,
                                                      set(
                                                          () -> {
                                                            applyEncodingLimits();
                                                            driver.setRemoteDescription(
                                                                answer, set(() -> flush(true)));
                                                          }))));
                                    }))))));
  }

  private RTCSessionDescription startBitrate(RTCSessionDescription offer) {
    return setup.startBitrateKbps() <= 0
        ? offer
        : new RTCSessionDescription(
            offer.sdpType, SdpForBench.withStartBitrate(offer.sdp, setup.startBitrateKbps()));
  }

  private void flush(boolean forDriver) {
    List<RTCIceCandidate> pending;
    synchronized (lock) {
      if (forDriver) {
        driverRemoteSet = true;
        pending = new ArrayList<>(pendingForDriver);
        pendingForDriver.clear();
      } else {
        carRemoteSet = true;
        pending = new ArrayList<>(pendingForCar);
        pendingForCar.clear();
      }
    }
    for (RTCIceCandidate candidate : pending) {
      (forDriver ? driver : car).addIceCandidate(candidate);
    }
  }

  private void deliver(RTCIceCandidate candidate, boolean toDriver) {
    synchronized (lock) {
      if (closed) {
        return;
      }
      if (!(toDriver ? driverRemoteSet : carRemoteSet)) {
        (toDriver ? pendingForDriver : pendingForCar).add(candidate);
        return;
      }
    }
    (toDriver ? driver : car).addIceCandidate(candidate);
  }

  private void applyEncodingLimits() {
    if (videoSender == null
        || (setup.maxBitrateKbps() <= 0 && setup.maxFramerate() <= 0 && setup.scaleDownBy() <= 0)) {
      return;
    }
    RTCRtpSendParameters parameters = videoSender.getParameters();
    for (RTCRtpEncodingParameters encoding : parameters.encodings) {
      if (setup.maxBitrateKbps() > 0) {
        encoding.maxBitrate = setup.maxBitrateKbps() * 1000;
      }
      if (setup.maxFramerate() > 0) {
        encoding.maxFramerate = (double) setup.maxFramerate();
      }
      if (setup.scaleDownBy() > 0) {
        encoding.scaleResolutionDownBy = setup.scaleDownBy();
      }
    }
    videoSender.setParameters(parameters);
  }

  /** Copies the picture into a native frame and pushes it into the car's source. */
  void push(I420Image image) {
    if (closed || source == null) {
      return;
    }
    NativeI420Buffer buffer = NativeI420Buffer.allocate(image.width(), image.height());
    copy(image.y(), image.width(), image.height(), buffer.getDataY(), buffer.getStrideY());
    copy(
        image.u(),
        image.chromaWidth(),
        image.chromaHeight(),
        buffer.getDataU(),
        buffer.getStrideU());
    copy(
        image.v(),
        image.chromaWidth(),
        image.chromaHeight(),
        buffer.getDataV(),
        buffer.getStrideV());
    VideoFrame frame = new VideoFrame(buffer, System.nanoTime());
    try {
      source.pushFrame(frame);
    } finally {
      frame.release();
    }
  }

  private static void copy(byte[] from, int width, int height, ByteBuffer to, int stride) {
    for (int row = 0; row < height; row++) {
      to.put(row * stride, from, row * width, width);
    }
  }

  /** Sends from the driver's end; the array is sent whole (exact size). */
  boolean sendFromDriver(byte[] message) {
    return send(driverChannel, message);
  }

  /** Sends from the car's end (the echo). */
  boolean sendFromCar(byte[] message) {
    return send(carChannel, message);
  }

  private boolean send(RTCDataChannel channel, byte[] message) {
    if (closed || channel == null || channel.getState() != RTCDataChannelState.OPEN) {
      return false;
    }
    try {
      channel.send(new RTCDataChannelBuffer(ByteBuffer.wrap(message), true));
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  /** Both ends' stats, driver first; completes on libwebrtc threads. */
  CompletableFuture<RTCStatsReport[]> stats() {
    CompletableFuture<RTCStatsReport> driverStats = new CompletableFuture<>();
    CompletableFuture<RTCStatsReport> carStats = new CompletableFuture<>();
    driver.getStats(driverStats::complete);
    car.getStats(carStats::complete);
    return driverStats.thenCombine(carStats, (d, c) -> new RTCStatsReport[] {d, c});
  }

  private void onFrame(VideoFrame frame) {
    long now = System.nanoTime();
    try {
      firstFrame.complete(now);
      if (!closed) {
        listener.onFrame(frame, now);
      }
    } finally {
      frame.release();
    }
  }

  private void observe(RTCDataChannel channel, boolean driverEnd) {
    channel.registerObserver(
        new RTCDataChannelObserver() {
          @Override
          public void onBufferedAmountChange(long previousAmount) {}

          @Override
          public void onStateChange() {
            if (driverEnd && channel.getState() == RTCDataChannelState.OPEN) {
              channelOpen.complete(System.nanoTime());
            }
          }

          @Override
          public void onMessage(RTCDataChannelBuffer buffer) {
            long now = System.nanoTime();
            if (closed) {
              return;
            }
            if (driverEnd) {
              listener.onDriverMessage(buffer.data, now);
            } else {
              listener.onCarMessage(buffer.data, now);
            }
          }
        });
  }

  /**
   * Disposes in PLATFORM.md's order: sinks, senders, data channels, peer connections, tracks,
   * sources, factory, audio module. Not on a libwebrtc thread.
   */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
    }
    VideoTrack remote = remoteTrack;
    if (remote != null) {
      remote.removeSink(sink);
    }
    if (videoSender != null) {
      car.removeTrack(videoSender);
    }
    if (placeholderSender != null) {
      driver.removeTrack(placeholderSender);
    }
    for (RTCDataChannel channel : new RTCDataChannel[] {driverChannel, carChannel}) {
      if (channel != null) {
        channel.unregisterObserver();
        channel.close();
        channel.dispose();
      }
    }
    driver.close();
    car.close();
    if (track != null) {
      track.dispose();
      source.dispose();
      placeholderTrack.dispose();
      placeholderSource.dispose();
    }
    factory.dispose();
    audio.dispose();
  }

  /** Waits for a future with a deadline, failing early when negotiation failed. */
  <T> T await(CompletableFuture<T> future, long millis) throws Exception {
    return CompletableFuture.anyOf(future, failure)
        .thenApply(
            value -> {
              @SuppressWarnings("unchecked")
              T result = (T) value;
              return result;
            })
        .get(millis, TimeUnit.MILLISECONDS);
  }

  private CreateSessionDescriptionObserver described(
      java.util.function.Consumer<RTCSessionDescription> next) {
    return new CreateSessionDescriptionObserver() {
      @Override
      public void onSuccess(RTCSessionDescription description) {
        if (!closed) {
          next.accept(description);
        }
      }

      @Override
      public void onFailure(String error) {
        failure.completeExceptionally(new IllegalStateException(error));
      }
    };
  }

  private SetSessionDescriptionObserver set(Runnable next) {
    return new SetSessionDescriptionObserver() {
      @Override
      public void onSuccess() {
        if (!closed) {
          next.run();
        }
      }

      @Override
      public void onFailure(String error) {
        failure.completeExceptionally(new IllegalStateException(error));
      }
    };
  }

  private final class Observer implements PeerConnectionObserver {
    private final boolean driverSide;

    Observer(boolean driverSide) {
      this.driverSide = driverSide;
    }

    @Override
    public void onIceCandidate(RTCIceCandidate candidate) {
      deliver(candidate, !driverSide);
    }

    @Override
    public void onConnectionChange(RTCPeerConnectionState state) {
      if (driverSide && state == RTCPeerConnectionState.CONNECTED) {
        connected.complete(System.nanoTime());
      } else if (state == RTCPeerConnectionState.FAILED) {
        failure.completeExceptionally(new IllegalStateException("ICE failed"));
      }
    }

    @Override
    public void onDataChannel(RTCDataChannel channel) {
      if (!driverSide && !closed) {
        carChannel = channel;
        observe(channel, false);
      }
    }

    @Override
    public void onTrack(RTCRtpTransceiver transceiver) {
      MediaStreamTrack received = transceiver.getReceiver().getTrack();
      if (driverSide && received instanceof VideoTrack video && !closed) {
        remoteTrack = video;
        video.addSink(sink);
      }
    }
  }
}
