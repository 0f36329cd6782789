package dev.rcdrive.station.link;

import dev.rcdrive.protocol.Decoded;
import dev.rcdrive.protocol.FrameStamp;
import dev.rcdrive.protocol.HealthFrame;
import dev.rcdrive.protocol.SenderStatsFrame;
import dev.rcdrive.protocol.SignalMessage;
import dev.rcdrive.protocol.SignalMessage.Answer;
import dev.rcdrive.protocol.SignalMessage.Candidate;
import dev.rcdrive.protocol.SignalMessage.Cars;
import dev.rcdrive.protocol.SignalMessage.Denied;
import dev.rcdrive.protocol.SignalMessage.Drive;
import dev.rcdrive.protocol.SignalMessage.Granted;
import dev.rcdrive.protocol.SignalMessage.Hello;
import dev.rcdrive.protocol.SignalMessage.Release;
import dev.rcdrive.protocol.SignalMessage.ServerError;
import dev.rcdrive.protocol.StateReason;
import dev.rcdrive.protocol.TelemetryFrame;
import dev.rcdrive.protocol.Version;
import dev.rcdrive.rtc.LinkOptions;
import dev.rcdrive.rtc.LinkStats;
import dev.rcdrive.rtc.PeerLink;
import dev.rcdrive.rtc.ReceivedFrame;
import dev.rcdrive.rtc.RtcEngine;
import dev.rcdrive.signaling.SignalingClient;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's side of a drive, without any UI: signaling as a driver, the car list, the driver
 * lock, the peer connection (offer, trickle ICE, video, data channels), and one {@link LinkStatus}
 * snapshot with every figure the driver sees. The JavaFX station and {@code rcdrive probe} both sit
 * on it. What goes on the control channel is not its business: a {@code ControlLoop} hands it
 * encoded frames through {@link #sendControl} (the station's {@code DriveController} owns that
 * loop; the probe sends neutral heartbeats).
 *
 * <p>Threads: a session thread owns the link's lifecycle; video frames reach the {@link VideoSink}
 * on libwebrtc's decoding thread (the sink must copy and return); status is published atomically.
 */
public final class DriverSession implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DriverSession.class);

  /** A link interrupted this long gets an ICE restart; then again with backoff up to the max. */
  static final long ICE_RESTART_AFTER_MILLIS = 2000;

  static final long ICE_RESTART_MAX_MILLIS = 8000;

  /** How often the car's silence is checked against {@link SilenceRule}. */
  static final long SILENCE_CHECK_MILLIS = 100;

  /** Receives decoded frames on the decoding thread; the frame is valid only during the call. */
  @FunctionalInterface
  public interface VideoSink {
    void onFrame(ReceivedFrame frame);
  }

  /** A drive request refused, or a session that could not be set up, with the server's code. */
  public static final class DriveRefused extends Exception {
    private final String code;

    public DriveRefused(String code, String reason) {
      super(reason);
      this.code = code;
    }

    public String code() {
      return code;
    }
  }

  private final RtcEngine engine;
  private final LinkOptions linkOptions;
  private final VideoSink videoSink;
  private final SignalingClient signaling;
  private final ExecutorService sessionThread;
  private final ScheduledExecutorService statsTimer;

  private final Samples rttSamples = new Samples(10_000);
  private final Samples glassToGlassSamples = new Samples(10_000);
  private final Tally captureToDecoded = new Tally();
  private final AtomicLong framesReceived = new AtomicLong();
  private final AtomicLong telemetryDropped = new AtomicLong();
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private final CompletableFuture<Long> firstFrameNanos = new CompletableFuture<>();

  private volatile LinkStatus status = LinkStatus.initial();
  private volatile Cars cars = new Cars(List.of());
  private volatile PeerLink link;
  private volatile int lastWidth = -1;
  private volatile int lastHeight = -1;
  private volatile double lastGlassToGlass = Double.NaN;
  private volatile long telemetryAtNanos;
  private volatile SenderStatsFrame senderStats;

  /** System.nanoTime() of the latest video or telemetry on the current link; 0: none yet. */
  private volatile long heardNanos;

  // Owned by the session thread.
  private PeerLink.State linkState = PeerLink.State.NEW;
  private final SilenceRule silence = new SilenceRule();
  private int iceRestarts;
  private boolean carOffline;
  private boolean carListedOnline = true;
  private java.util.concurrent.ScheduledFuture<?> iceRestartTimer;
  private String carId;
  private CompletableFuture<Void> pendingDrive;
  private LinkStats previousStats;
  private long previousFrames;
  private long previousStatsNanos;

  private DriverSession(
      RtcEngine engine, URI server, String token, LinkOptions linkOptions, VideoSink videoSink) {
    this.engine = engine;
    this.linkOptions = linkOptions;
    this.videoSink = videoSink;
    this.sessionThread = Executors.newSingleThreadExecutor(daemon("driver-session"));
    this.statsTimer = Executors.newSingleThreadScheduledExecutor(daemon("driver-stats"));
    this.signaling =
        SignalingClient.connect(
            server,
            Hello.driver(token, "rcdrive-station/" + Version.current()),
            new SignalingClient.Listener() {
              @Override
              public void onState(SignalingClient.State state, String detail) {
                sessionThread.execute(() -> onSignalingState(state, detail));
              }

              @Override
              public void onMessage(SignalMessage message) {
                sessionThread.execute(() -> onSignal(message));
              }
            });
    statsTimer.scheduleAtFixedRate(this::pollStats, 1, 1, TimeUnit.SECONDS);
    statsTimer.scheduleAtFixedRate(
        () -> sessionThread.execute(this::checkSilence),
        SILENCE_CHECK_MILLIS,
        SILENCE_CHECK_MILLIS,
        TimeUnit.MILLISECONDS);
  }

  /** Connects to signaling in the background; {@link #ready()} completes when authenticated. */
  public static DriverSession open(
      RtcEngine engine, URI server, String token, LinkOptions options, VideoSink sink) {
    return new DriverSession(engine, server, token, options, sink == null ? f -> {} : sink);
  }

  /** Completes when signaling accepted this driver; fails with {@link DriveRefused} if not. */
  public CompletableFuture<Void> ready() {
    return ready;
  }

  public LinkStatus status() {
    return status;
  }

  public Cars cars() {
    return cars;
  }

  /** Asks for the car list; the server then keeps it current ({@link #cars()}). */
  public void listCars() {
    signaling.send(new SignalMessage.ListCars());
  }

  /**
   * Asks for the car and, once granted, connects to it. Completes when the lock is granted; fails
   * with {@link DriveRefused} when denied.
   */
  public CompletableFuture<Void> drive(String car) {
    CompletableFuture<Void> result = new CompletableFuture<>();
    sessionThread.execute(
        () -> {
          carId = car;
          pendingDrive = result;
          status = status.with(LinkStatus.Phase.WAITING_FOR_CAR, "asking for " + car);
          signaling.send(
              new SignalMessage.ListCars()); // the server then tells when it goes offline
          if (!signaling.send(new Drive(car))) {
            pendingDrive = null;
            result.completeExceptionally(
                new DriveRefused("NOT_CONNECTED", "signaling is not connected"));
          }
        });
    return result;
  }

  /** Completes with System.nanoTime() of the first decoded video frame. */
  public CompletableFuture<Long> firstFrame() {
    return firstFrameNanos;
  }

  /**
   * Hands one encoded control frame to the car's control channel; false while there is none (no car
   * yet, reconnecting, closed). Any thread; never blocks on the session.
   */
  public boolean sendControl(byte[] frame) {
    PeerLink current = link;
    return current != null && current.send(PeerLink.Channel.CONTROL, frame);
  }

  /** System.nanoTime() when the newest telemetry frame arrived (its age is the car's silence). */
  public long telemetryAtNanos() {
    return telemetryAtNanos;
  }

  /** Malformed or unknown frames on the telemetry channel, dropped since the start. */
  public long telemetryDropped() {
    return telemetryDropped.get();
  }

  public Samples rttSamples() {
    return rttSamples;
  }

  public Samples glassToGlassSamples() {
    return glassToGlassSamples;
  }

  /** The current link's stats, or {@link LinkStats#EMPTY}. */
  public CompletableFuture<LinkStats> linkStats() {
    PeerLink current = link;
    return current == null ? CompletableFuture.completedFuture(LinkStats.EMPTY) : current.stats();
  }

  /**
   * A fresh sample of the counters behind the stage breakdown (to the decoder's sink); completes on
   * a libwebrtc thread.
   */
  public CompletableFuture<StageBreakdown.Sample> stageSample() {
    return linkStats().thenApply(this::sample);
  }

  /** Whether the car has sent its video sender counters on this session. */
  public boolean hasSenderStats() {
    return senderStats != null;
  }

  private StageBreakdown.Sample sample(LinkStats stats) {
    return new StageBreakdown.Sample(
        stats.counters(),
        senderStats,
        stats.rttMs(),
        captureToDecoded.snapshot(),
        Tally.Snapshot.NONE,
        Tally.Snapshot.NONE,
        Tally.Snapshot.NONE);
  }

  /** Driver: ICE restart (a new offer with new credentials). */
  public void restartIce() {
    sessionThread.execute(
        () -> {
          if (link != null) {
            link.restartIce();
          }
        });
  }

  // ---- session thread ---------------------------------------------------------------------

  private void onSignalingState(SignalingClient.State state, String detail) {
    switch (state) {
      case READY -> {
        status = status.withSignaling(true);
        ready.complete(null);
        if (carId != null) {
          signaling.send(new SignalMessage.ListCars()); // hear when the car goes offline
        }
        if (link == null) {
          status = status.with(LinkStatus.Phase.SIGNALING, "signaling ready");
        }
      }
      case RECONNECTING -> {
        status = status.withSignaling(false);
        if (link == null) {
          status = status.with(LinkStatus.Phase.RECONNECTING, "signaling: " + detail);
        }
      }
      case STOPPED -> {
        status = status.withSignaling(false);
        ready.completeExceptionally(new DriveRefused("SIGNALING", detail));
        if (link == null) {
          status = status.with(LinkStatus.Phase.FAILED, detail);
        }
      }
      default -> {}
    }
  }

  private void onSignal(SignalMessage message) {
    if (message instanceof Cars list) {
      cars = list;
      onCars(list);
    } else if (message instanceof Granted granted) {
      onGranted(granted);
    } else if (message instanceof Denied denied) {
      status = status.with(LinkStatus.Phase.FAILED, denied.reason()); // before anyone is woken
      if (pendingDrive != null) {
        pendingDrive.completeExceptionally(new DriveRefused(denied.code(), denied.reason()));
        pendingDrive = null;
      }
    } else if (message instanceof Answer answer) {
      onAnswer(answer);
    } else if (message instanceof Candidate candidate) {
      if (link != null) {
        link.addRemoteCandidate(candidate);
      }
    } else if (message instanceof ServerError error) {
      log.warn("signaling: {} {}", error.code(), error.message());
      if (error.code().equals("AUTH_FAILED")) {
        ready.completeExceptionally(new DriveRefused(error.code(), error.message()));
      }
    }
  }

  private void onGranted(Granted granted) {
    if (link == null) {
      status = status.with(LinkStatus.Phase.NEGOTIATING, "connecting to " + granted.carId());
      openLink();
    } // else the lock came back after a signaling reconnect: the link is still up
    if (pendingDrive != null) {
      pendingDrive.complete(null); // last: whoever waits sees the state it implies
      pendingDrive = null;
    }
  }

  /**
   * The server's word on the car being driven. Offline while the link is not connected: the car is
   * gone (its agent died, its network is down) and ICE restarts only produce NOT_PAIRED refusals;
   * the link waits, and says so. Back online: an ICE restart at once (a restarted agent answers it
   * as a new peer connection, see {@link #onAnswer}).
   */
  private void onCars(Cars list) {
    if (carId == null) {
      return;
    }
    Boolean online = null;
    for (SignalMessage.CarInfo info : list.cars()) {
      if (info.carId().equals(carId)) {
        online = info.online();
      }
    }
    if (online != null) {
      carListedOnline = online;
      checkCarOffline();
    }
  }

  /** After the car's listing or the link's state changed: enters or leaves "car offline". */
  private void checkCarOffline() {
    if (link == null) {
      return;
    }
    if (!carListedOnline && !carOffline && linkState != PeerLink.State.CONNECTED) {
      carOffline = true;
      cancelIceRestart();
      status =
          status
              .with(
                  LinkStatus.Phase.CAR_OFFLINE,
                  "the car is offline (the server lost it): waiting for it to come back")
              .withoutCar();
      log.info("car {} is offline: waiting for it", carId);
    } else if (carListedOnline && carOffline) {
      carOffline = false;
      log.info("car {} is back online: ICE restart", carId);
      iceRestarts = 0;
      cancelIceRestart();
      restartIfStillDown();
    }
  }

  private void openLink() {
    List<SignalMessage.IceServer> ice =
        signaling.welcome() == null ? List.of() : signaling.welcome().iceServers();
    LinkEvents events = new LinkEvents();
    PeerLink next = engine.newLink(PeerLink.Side.DRIVER, linkOptions.withIceServers(ice), events);
    events.owner = next;
    link = next;
    linkState = PeerLink.State.NEW;
    heardNanos = 0;
    silence.reset();
    next.start();
  }

  /**
   * The car's answer. After an ICE restart it normally comes from the same peer connection (the
   * same DTLS certificate); one from another means the car's agent restarted and answered our
   * restart with a brand-new connection: applying it would bring video back but never the data
   * channels (no arming, no throttle, no telemetry). Then this link is dropped and a fresh one
   * offered.
   */
  private void onAnswer(Answer answer) {
    PeerLink current = link;
    if (current == null) {
      return;
    }
    if (current.hasRemote() && !current.isSamePeer(answer)) {
      log.info(
          "car {} answered as a new peer connection (its agent restarted): reconnecting", carId);
      cancelIceRestart();
      iceRestarts = 0;
      link = null;
      current.close();
      status = status.with(LinkStatus.Phase.NEGOTIATING, "the car restarted: connecting again");
      openLink();
      return;
    }
    current.applyRemote(answer);
  }

  /**
   * A link that stays interrupted gets ICE restarts (new credentials, fresh candidates) until it
   * connects again: after a handover the car's old address is gone and only a restart finds its new
   * one. The first comes after {@link #ICE_RESTART_AFTER_MILLIS} (a short blackout recovers by
   * itself sooner), then with backoff: the car may need a while to reach signaling again.
   */
  private void onLinkState(PeerLink.State state) {
    linkState = state;
    if (state == PeerLink.State.CONNECTED || state == PeerLink.State.CLOSED) {
      iceRestarts = 0;
      carOffline = false;
      cancelIceRestart();
    } else if ((state == PeerLink.State.DISCONNECTED || state == PeerLink.State.FAILED)
        && iceRestartTimer == null
        && !carOffline) {
      scheduleIceRestart(ICE_RESTART_AFTER_MILLIS);
    }
    checkCarOffline();
  }

  private void scheduleIceRestart(long delayMillis) {
    if (statsTimer.isShutdown()) {
      return; // closing
    }
    iceRestartTimer =
        statsTimer.schedule(
            () -> sessionThread.execute(this::restartIfStillDown),
            delayMillis,
            TimeUnit.MILLISECONDS);
  }

  private void restartIfStillDown() {
    iceRestartTimer = null;
    PeerLink current = link;
    // CONNECTING counts as down: a restart whose checks have not succeeded yet may never do so.
    if (current == null
        || carOffline
        || linkState == PeerLink.State.CONNECTED
        || linkState == PeerLink.State.CLOSED) {
      return;
    }
    if (silence.check(System.nanoTime()) == SilenceRule.Verdict.WAITING) {
      // The silence rule restarted moments ago: let that restart finish first.
      scheduleIceRestart(ICE_RESTART_AFTER_MILLIS);
      return;
    }
    iceRestarts++;
    log.info("link to {} still down: ICE restart {}", carId, iceRestarts);
    status = status.with(LinkStatus.Phase.RECONNECTING, "link interrupted: ICE restart");
    silence.restarted(System.nanoTime());
    current.restartIce();
    scheduleIceRestart(
        Math.min(ICE_RESTART_MAX_MILLIS, ICE_RESTART_AFTER_MILLIS << Math.min(iceRestarts, 4)));
  }

  /**
   * The car's video and telemetry stopped while ICE may still call the link connected (it takes ~5
   * s to notice): after {@link SilenceRule#RESTART_AFTER_MILLIS} of silence, restart ICE now and
   * check that signaling still answers (a handover on this side kills it too). The car has been in
   * failsafe since 250 ms without our control frames and stays there until the driver re-arms.
   */
  private void checkSilence() {
    PeerLink current = link;
    if (current == null || carOffline || linkState == PeerLink.State.CLOSED) {
      return;
    }
    long heard = heardNanos;
    if (heard != 0) {
      silence.heard(heard);
    }
    if (silence.check(System.nanoTime()) != SilenceRule.Verdict.RESTART) {
      return;
    }
    log.info(
        "no video or telemetry from {} for {} ms: ICE restart {}",
        carId,
        (System.nanoTime() - heard) / 1_000_000,
        silence.restarts());
    status =
        status
            .with(LinkStatus.Phase.RECONNECTING, "no video or telemetry from the car: ICE restart")
            .withoutCar();
    signaling.probe(java.time.Duration.ofSeconds(1));
    current.restartIce();
  }

  private void cancelIceRestart() {
    if (iceRestartTimer != null) {
      iceRestartTimer.cancel(false);
      iceRestartTimer = null;
    }
  }

  private void pollStats() {
    PeerLink current = link;
    if (current == null) {
      return;
    }
    current.stats().thenAccept(stats -> sessionThread.execute(() -> applyStats(stats)));
  }

  private void applyStats(LinkStats stats) {
    long now = System.nanoTime();
    long frames = framesReceived.get();
    double fps = Double.NaN;
    double kbps = Double.NaN;
    if (previousStats != null) {
      double seconds = (now - previousStatsNanos) / 1e9;
      fps = (frames - previousFrames) / seconds;
      kbps = (stats.bytesReceived() - previousStats.bytesReceived()) * 8 / 1000.0 / seconds;
    }
    previousStats = stats;
    previousFrames = frames;
    previousStatsNanos = now;
    LinkStatus s = status;
    status =
        new LinkStatus(
            s.phase(),
            s.detail(),
            stats.localCandidateType(),
            stats.remoteCandidateType(),
            s.controlRttMs(),
            fps,
            lastWidth,
            lastHeight,
            kbps,
            stats.lossPercent(),
            stats.jitterMs(),
            lastGlassToGlass,
            frames,
            s.carState(),
            s.telemetry(),
            s.health(),
            s.signalingUp(),
            s.carReason());
  }

  private void onTelemetry(TelemetryFrame frame, long receivedNanos) {
    telemetryAtNanos = receivedNanos;
    heardNanos = receivedNanos;
    double rtt = Double.NaN;
    if (frame.hasEcho()) {
      rtt = (receivedNanos / 1000 - frame.echoSentMicros() - frame.echoHoldMicros()) / 1000.0;
      if (rtt >= 0) {
        rttSamples.add(rtt);
      }
    }
    LinkStatus s = status;
    status =
        new LinkStatus(
            s.phase(),
            s.detail(),
            s.localCandidate(),
            s.remoteCandidate(),
            Double.isNaN(rtt) ? s.controlRttMs() : rtt,
            s.videoFps(),
            s.width(),
            s.height(),
            s.bitrateKbps(),
            s.lossPercent(),
            s.jitterMs(),
            lastGlassToGlass,
            framesReceived.get(),
            frame.state(),
            frame,
            s.health(),
            s.signalingUp(),
            s.carReason());
  }

  /**
   * libwebrtc's threads: hand over, never block. Events of a link replaced by a new one are
   * dropped.
   */
  private final class LinkEvents implements PeerLink.Listener {
    volatile PeerLink owner;

    private boolean stale() {
      return owner != link;
    }

    @Override
    public void onLocalDescription(SignalMessage description) {
      if (!stale()) {
        signaling.send(description);
      }
    }

    @Override
    public void onLocalCandidate(Candidate candidate) {
      if (!stale()) {
        signaling.send(candidate);
      }
    }

    @Override
    public void onGatheringComplete(int candidates) {
      if (candidates == 0 && !stale()) {
        sessionThread.execute(
            () ->
                status =
                    status.with(
                        LinkStatus.Phase.FAILED,
                        "no network address to connect from: this machine has no usable network"
                            + " interface"));
      }
    }

    @Override
    public void onState(PeerLink.State state) {
      sessionThread.execute(
          () -> {
            if (stale()) {
              return; // the link this was about is gone; a new one took its place
            }
            switch (state) {
              case CONNECTING -> status = status.with(LinkStatus.Phase.CHECKING, "ICE checking");
              case CONNECTED ->
                  status = status.with(LinkStatus.Phase.CONNECTED, "connected to " + carId);
              case DISCONNECTED -> {
                // The car's state described the link that is now down: forget it.
                status =
                    carOffline
                        ? status.withoutCar()
                        : status
                            .with(LinkStatus.Phase.RECONNECTING, "link interrupted")
                            .withoutCar();
                // The driver's own address may have changed too (laptop on a phone's hotspot).
                signaling.probe(java.time.Duration.ofSeconds(1));
              }
              case FAILED ->
                  status =
                      carOffline
                          ? status.withoutCar()
                          : status
                              .with(LinkStatus.Phase.FAILED, "ICE failed: no route to the car")
                              .withoutCar();
              case CLOSED -> status = status.with(LinkStatus.Phase.CLOSED, "closed");
              default -> {}
            }
            onLinkState(state);
          });
    }

    @Override
    public void onMessage(PeerLink.Channel channel, ByteBuffer data) {
      if (channel != PeerLink.Channel.TELEMETRY || stale()) {
        return;
      }
      long received = System.nanoTime();
      if (SenderStatsFrame.isSenderStats(data)) {
        if (SenderStatsFrame.decode(data) instanceof Decoded.Ok<SenderStatsFrame> ok) {
          senderStats = ok.value();
        } else {
          telemetryDropped.incrementAndGet();
        }
        return;
      }
      if (HealthFrame.isHealth(data)) {
        if (HealthFrame.decode(data) instanceof Decoded.Ok<HealthFrame> ok) {
          sessionThread.execute(() -> status = status.withHealth(ok.value()));
        } else {
          telemetryDropped.incrementAndGet();
        }
        return;
      }
      if (StateReason.isReason(data)) {
        if (StateReason.decode(data) instanceof Decoded.Ok<StateReason> ok) {
          sessionThread.execute(() -> status = status.withCarReason(ok.value()));
        } else {
          telemetryDropped.incrementAndGet();
        }
        return;
      }
      Decoded<TelemetryFrame> decoded = TelemetryFrame.decode(data);
      if (decoded instanceof Decoded.Ok<TelemetryFrame> ok) {
        sessionThread.execute(() -> onTelemetry(ok.value(), received));
      } else {
        telemetryDropped.incrementAndGet(); // malformed: dropped and counted, never fatal
      }
    }

    @Override
    public void onVideoFrame(ReceivedFrame frame) {
      if (stale()) {
        return;
      }
      long now = frame.receivedNanos();
      heardNanos = now;
      framesReceived.incrementAndGet();
      lastWidth = frame.width();
      lastHeight = frame.height();
      firstFrameNanos.complete(now);
      FrameStamp stamp = frame.stamp();
      if (stamp != null) {
        double age = stamp.ageMillis(epochMicros());
        lastGlassToGlass = age;
        glassToGlassSamples.add(age);
        captureToDecoded.addMillis(age);
      }
      videoSink.onFrame(frame);
    }

    @Override
    public void onError(String reason) {
      sessionThread.execute(
          () -> {
            if (!stale()) {
              status = status.with(LinkStatus.Phase.FAILED, reason);
            }
          });
    }
  }

  private static long epochMicros() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
  }

  /**
   * Releases the car, closes the link and signaling. Safe to call more than once. Close the control
   * loop first: its last, neutral frame must go out while the link is still up.
   */
  @Override
  public void close() {
    try {
      sessionThread
          .submit(
              () -> {
                if (carId != null) {
                  signaling.send(new Release(carId));
                }
                PeerLink current = link;
                link = null;
                if (current != null) {
                  current.close();
                }
              })
          .get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.debug("close: {}", e.toString());
    }
    statsTimer.shutdownNow();
    signaling.close();
    sessionThread.shutdown();
    status = status.with(LinkStatus.Phase.CLOSED, "closed");
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread thread = new Thread(r, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
