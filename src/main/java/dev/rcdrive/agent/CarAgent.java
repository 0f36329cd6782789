package dev.rcdrive.agent;

import dev.rcdrive.agent.telemetry.PiSensors;
import dev.rcdrive.protocol.CarState;
import dev.rcdrive.protocol.ControlFrame;
import dev.rcdrive.protocol.Decoded;
import dev.rcdrive.protocol.HealthFrame;
import dev.rcdrive.protocol.I420Image;
import dev.rcdrive.protocol.SenderStatsFrame;
import dev.rcdrive.protocol.SignalMessage;
import dev.rcdrive.protocol.SignalMessage.Candidate;
import dev.rcdrive.protocol.SignalMessage.Granted;
import dev.rcdrive.protocol.SignalMessage.Hello;
import dev.rcdrive.protocol.SignalMessage.Offer;
import dev.rcdrive.protocol.SignalMessage.Released;
import dev.rcdrive.protocol.SignalMessage.ServerError;
import dev.rcdrive.protocol.StateReason;
import dev.rcdrive.protocol.StateReason.Cause;
import dev.rcdrive.protocol.TelemetryFrame;
import dev.rcdrive.protocol.Version;
import dev.rcdrive.rtc.CarLink;
import dev.rcdrive.rtc.CarMedia;
import dev.rcdrive.rtc.LinkOptions;
import dev.rcdrive.rtc.PeerLink;
import dev.rcdrive.rtc.RtcEngine;
import dev.rcdrive.rtc.VideoFeed;
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
 * The car: registers with signaling, answers a driver's offer, sends its camera, and applies
 * control frames through {@link SafetyGovernor} (with its watchdog) to the {@link Actuator},
 * reporting telemetry at 20 Hz. It drives the {@link CarParts} it is given ({@link CarAssembly}
 * chooses them).
 *
 * <p>Threads: the control thread owns the governor and the actuator (control frames, 100 Hz ticks,
 * telemetry); the link thread owns the peer connection's lifecycle (signaling messages, link
 * failures, recycling the WebRTC factory between sessions). WebRTC and WebSocket callbacks only
 * hand values to these two.
 *
 * <p>Nothing on the control thread dies quietly: every task runs guarded; any {@link Throwable}
 * puts the outputs to neutral first, then is logged; an {@link Error} then ends the process ({@link
 * ProcessExit}) so the service restarts it. {@link #lastTickNanos()} tells the service watchdog
 * whether the tick really runs.
 */
public final class CarAgent implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(CarAgent.class);
  static final long TICK_MILLIS = 10;

  /** How long a failed link waits for the driver's ICE restart before it is closed. */
  static final long FAILED_GRACE_SECONDS = 30;

  private static final long TELEMETRY_MILLIS = 50;
  private static final long SENSOR_MILLIS = 2000;
  private static final long MEMORY_CHECK_SECONDS = 30;

  /** The exit status after an Error on the control thread (sysexits' EX_SOFTWARE). */
  public static final int ERROR_EXIT_STATUS = 70;

  /** A HealthFrame every this many telemetry frames: once a second. */
  private static final int HEALTH_EVERY = 20;

  /** How the process ends when it must; tests record the call instead. */
  @FunctionalInterface
  public interface ProcessExit {
    void exit(int status, String why);

    /**
     * System.exit on a thread of its own (the shutdown hook then closes the agent: neutral, then no
     * pulses), and Runtime.halt if that has not ended the process within 5 s.
     */
    ProcessExit SYSTEM =
        (status, why) -> {
          try {
            Thread halt =
                new Thread(
                    () -> {
                      try {
                        Thread.sleep(5000);
                      } catch (InterruptedException e) {
                        // halting now is as good
                      }
                      Runtime.getRuntime().halt(status);
                    },
                    "agent-halt");
            halt.setDaemon(true);
            halt.start();
            Thread exit = new Thread(() -> System.exit(status), "agent-exit");
            exit.start();
          } catch (Throwable cannotEvenStartAThread) {
            Runtime.getRuntime().halt(status);
          }
        };
  }

  private final AgentConfig config;
  private final CarMedia media;
  private final Actuator actuator;
  private final CameraSource camera;
  private final CarParts.Heartbeat heartbeat;
  private final ProcessExit processExit;

  /** The sending link's last stats snapshot, taken half a second before each health frame. */
  private volatile SenderSnapshot senderSnapshot;

  private record SenderSnapshot(CarLink link, dev.rcdrive.rtc.LinkStats stats) {}

  private final SafetyGovernor governor;
  private final Drivetrain drivetrain;
  private final ScheduledExecutorService control;
  private final ExecutorService linkThread;
  private final ScheduledExecutorService memoryThread;
  private final SignalingClient signaling;
  private final HeapGuard heapGuard;

  /**
   * How long the server may take to answer a ping when the link broke (a 4G RTT is ~0.1 s). Short
   * enough that, after a handover, the car has re-registered before the driver's first ICE restart
   * (DriverSession.ICE_RESTART_AFTER_MILLIS, 2 s after the same loss is seen): an offer sent to the
   * car's dead socket is lost, and the next restart comes 4 s later.
   */
  static final java.time.Duration SIGNALING_PROBE = java.time.Duration.ofSeconds(1);

  /**
   * After this car's own address changed, a ping unanswered this long reconnects signaling: the old
   * socket is very likely dead, and a live one answers within a round trip.
   */
  static final java.time.Duration ADDRESS_CHANGE_PROBE = java.time.Duration.ofMillis(300);

  private final AtomicLong malformedFrames = new AtomicLong();

  /** Data-channel messages received since the WebRTC factory was last made (each one leaks). */
  private final AtomicLong messagesSinceRecycle = new AtomicLong();

  private final AtomicLong rtcRecycles = new AtomicLong();

  // Written by the link thread; read by link events to ignore a replaced link's late events.
  private volatile CarLink link;
  private final ControlSilence controlSilence = new ControlSilence(); // control thread
  private final AddressWatch addressWatch = new AddressWatch(); // memory thread
  private String linkPeerId;

  // Owned by the control thread.
  private long telemetrySeq;
  private StateReason sentReason; // control thread
  private CarLink telemetryLink;
  private boolean heartbeatFailed;

  /** When the control tick last completed (System.nanoTime()); read by the service watchdog. */
  private volatile long lastTickNanos = System.nanoTime();

  private final PiSensors sensors;
  private final ScheduledExecutorService sensorThread;
  private final List<AutoCloseable> resources;
  private volatile PiSensors.Reading reading = PiSensors.Reading.NONE;

  private volatile Status status =
      new Status(
          CarState.DISARMED, "starting", Output.NEUTRAL, 0, 0, null, CameraSource.Health.STARTING);
  private volatile boolean closed;

  /** Completed when the signaling server first welcomed the car (see {@link #registered}). */
  private final CompletableFuture<Void> registered = new CompletableFuture<>();

  /** What the car is doing, for tests, logs and {@code --status}. */
  public record Status(
      CarState state,
      String reason,
      Output output,
      double speedMps,
      long rejectedFrames,
      PeerLink.State link,
      CameraSource.Health camera) {}

  private CarAgent(AgentConfig config, CarMedia media, CarParts parts, ProcessExit processExit) {
    this.config = config;
    this.sensors = parts.sensors();
    this.resources = parts.resources();
    this.heartbeat = parts.heartbeat();
    this.processExit = processExit;
    this.sensorThread = sensors == null ? null : daemonScheduler("agent-sensors");
    this.actuator = parts.actuator();
    this.camera = parts.camera();
    this.media = media;
    long now = System.nanoTime();
    this.governor =
        new SafetyGovernor(
            config.limits(), TimeUnit.MILLISECONDS.toNanos(config.failsafeMs()), now);
    this.drivetrain = new Drivetrain(governor, actuator);
    this.control = daemonScheduler("agent-control");
    this.linkThread = Executors.newSingleThreadExecutor(daemon("agent-link"));
    this.memoryThread = daemonScheduler("agent-memory");
    this.heapGuard =
        new HeapGuard(
            config.memory().restartAtHeapPercent(), HeapGuard::liveHeapAfterGc, this::idle);
    this.signaling =
        SignalingClient.connect(
            URI.create(config.server()),
            new Hello(
                dev.rcdrive.protocol.Role.CAR,
                config.carId(),
                config.key(),
                "rcdrive-agent/" + Version.current(),
                SignalMessage.PROTOCOL_VERSION,
                null),
            new SignalingClient.Listener() {
              @Override
              public void onState(SignalingClient.State state, String detail) {
                log.info("signaling {}: {}", state, detail);
                if (state == SignalingClient.State.READY) {
                  registered.complete(null);
                } else if (state == SignalingClient.State.STOPPED) { // refused for good, or closed
                  registered.completeExceptionally(
                      new IllegalStateException("signaling stopped: " + detail));
                }
              }

              @Override
              public void onMessage(SignalMessage message) {
                linkThread.execute(() -> onSignal(message));
              }
            });
  }

  /** Starts a car with the given actuator and camera only (tests, benchmarks). */
  public static CarAgent start(
      AgentConfig config, RtcEngine engine, Actuator actuator, CameraSource camera) {
    return start(config, engine, new CarParts(actuator, camera));
  }

  /**
   * Starts a car on {@code parts} (outputs already at neutral); they are closed with the agent, the
   * actuator first. An Error on the control thread ends the process.
   */
  public static CarAgent start(AgentConfig config, RtcEngine engine, CarParts parts) {
    return start(config, engine, parts, ProcessExit.SYSTEM);
  }

  /**
   * As {@link #start(AgentConfig, RtcEngine, CarParts)}, ending the process through {@code exit}.
   * The video goes out on the media path {@code camera.encoder} names (software: through {@code
   * engine}; hardware: GStreamer).
   */
  public static CarAgent start(
      AgentConfig config, RtcEngine engine, CarParts parts, ProcessExit exit) {
    return start(config, MediaPath.forCamera(config.camera(), engine), parts, exit);
  }

  /**
   * As {@link #start(AgentConfig, RtcEngine, CarParts, ProcessExit)}, the video put on the wire by
   * the media path {@code mediaFor} makes for the camera ({@link CarAssembly} chooses it).
   */
  public static CarAgent start(
      AgentConfig config,
      java.util.function.Function<CameraSource, CarMedia> mediaFor,
      CarParts parts,
      ProcessExit exit) {
    if (!config.problems().isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", config.problems()));
    }
    CarMedia media = mediaFor.apply(parts.camera()); // fails first: nothing else started yet
    CarAgent agent;
    try {
      agent = new CarAgent(config, media, parts, exit);
    } catch (RuntimeException | Error e) {
      media.close();
      throw e;
    }
    agent.control.scheduleAtFixedRate(
        agent.guarded("control tick", agent::tick),
        TICK_MILLIS,
        TICK_MILLIS,
        TimeUnit.MILLISECONDS);
    agent.control.scheduleAtFixedRate(
        agent.guarded("telemetry", agent::sendTelemetry),
        TELEMETRY_MILLIS,
        TELEMETRY_MILLIS,
        TimeUnit.MILLISECONDS);
    if (agent.sensorThread != null) {
      agent.sensorThread.scheduleWithFixedDelay(
          agent::readSensors, 0, SENSOR_MILLIS, TimeUnit.MILLISECONDS);
    }
    agent.memoryThread.scheduleWithFixedDelay(
        agent::checkMemory, MEMORY_CHECK_SECONDS, MEMORY_CHECK_SECONDS, TimeUnit.SECONDS);
    agent.memoryThread.scheduleWithFixedDelay(
        agent::checkAddresses,
        AddressWatch.POLL_MILLIS,
        AddressWatch.POLL_MILLIS,
        TimeUnit.MILLISECONDS);
    parts.camera().start(agent.new CameraFeed());
    log.info(
        "car {} started: camera {}, video {}, actuator {}",
        config.carId(),
        parts.camera().describe(),
        agent.media.describe(),
        parts.actuator());
    return agent;
  }

  /** The camera's frames go to the media path; they are wanted while a link is open. */
  private final class CameraFeed implements CameraSource.FrameConsumer {
    @Override
    public void onFrame(I420Image image, long captureNanos) {
      media.push(image, captureNanos);
    }

    @Override
    public boolean wantsFrames() {
      return media.openLinks() > 0;
    }
  }

  /** How the video goes out: "software (webrtc-java)", "hardware path, H.264 by …". */
  public String describeMedia() {
    return media.describe();
  }

  /**
   * Completes when the signaling server has first welcomed the car: from then on a driver who asks
   * for it is granted it rather than told it is offline. The demo waits for it before the station
   * asks (a station quicker than the car was refused, under load). Completes exceptionally when
   * signaling stops before that: the server refused the car for good (a wrong key), or it closed.
   */
  public CompletableFuture<Void> registered() {
    return registered.copy();
  }

  public Status status() {
    return status;
  }

  public String carId() {
    return config.carId();
  }

  // ---- control thread ---------------------------------------------------------------------

  /** When the control tick last completed, System.nanoTime(); the service watchdog reads it. */
  public long lastTickNanos() {
    return lastTickNanos;
  }

  /** How many times the WebRTC factory was made anew between sessions. */
  public long rtcRecycles() {
    return rtcRecycles.get();
  }

  /**
   * This car's addresses changed (a handover): its signaling socket may be bound to one that is
   * gone. A short probe reconnects it at once if so, ready for the driver's ICE restart.
   */
  private void checkAddresses() {
    try {
      if (addressWatch.changed(AddressWatch.current())) {
        log.info("this car's network addresses changed: checking signaling");
        signaling.probe(ADDRESS_CHANGE_PROBE);
      }
    } catch (Exception e) {
      log.debug("reading network addresses: {}", e.toString());
    }
  }

  private void tick() {
    long now = System.nanoTime();
    if (drivetrain.tick(now)) {
      log.warn("failsafe: {}", governor.reason()); // the frame timeout, logged like the others
    }
    if (link != null
        && controlSilence.probeDue(
            governor.lastAccepted() != null, governor.lastAcceptedNanos(), now)) {
      log.info(
          "no control frames for {} ms: checking signaling", ControlSilence.PROBE_AFTER_MILLIS);
      signaling.probe(SIGNALING_PROBE); // a handover kills signaling too: find out now
    }
    publishStatus();
    if (heartbeat != null) {
      try {
        heartbeat.toggle();
        heartbeatFailed = false;
      } catch (Exception e) {
        if (!heartbeatFailed) {
          log.error(
              "the output heartbeat failed (the board disables its outputs): {}", e.toString());
        }
        heartbeatFailed = true;
      }
    }
    lastTickNanos = System.nanoTime();
  }

  /**
   * A control-thread task that cannot die quietly. A scheduled task that throws is never run again
   * and the executor says nothing: the frame timeout would be gone with the tick. So: neutral
   * first, then the log; an Error (out of memory, stack overflow, linkage) ends the process, for
   * the service to restart it and its stop step to write neutral again from outside.
   */
  private Runnable guarded(String what, Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (Throwable t) {
        onControlFault(what, t);
      }
    };
  }

  private void onControlFault(String what, Throwable t) {
    try {
      drivetrain.failsafe(Cause.INTERNAL_ERROR, "internal error in the " + what);
    } catch (Throwable again) {
      try {
        actuator.apply(Output.NEUTRAL); // the governor itself failed: straight to the outputs
      } catch (Throwable ignored) {
        // the stop step writes neutral from outside once the process is gone
      }
    }
    try {
      log.error("{} failed; outputs to neutral", what, t);
      publishStatus();
    } catch (Throwable ignored) {
      // logging must not keep the process from ending
    }
    if (t instanceof Error) {
      try {
        log.error("exiting with status {} after an Error: {}", ERROR_EXIT_STATUS, t.toString());
      } catch (Throwable ignored) {
        // as above
      }
      processExit.exit(ERROR_EXIT_STATUS, what + ": " + t);
    }
  }

  private void onControlBytes(byte[] bytes, long receivedNanos) {
    if (closed) {
      return; // shutting down: neutral already, and no frame may arm the car again
    }
    Decoded<ControlFrame> decoded = ControlFrame.decode(bytes);
    if (decoded instanceof Decoded.Rejected<ControlFrame> rejected) {
      governor.countMalformed();
      if (malformedFrames.incrementAndGet() % 100 == 1) {
        log.warn("dropped a malformed control frame: {}", rejected.reason());
      }
      return;
    }
    drivetrain.accept(decoded.orElseThrow(), receivedNanos);
    publishStatus();
  }

  private void publishStatus() {
    status =
        new Status(
            governor.state(),
            governor.reason(),
            governor.output(),
            actuator.speedMps(),
            governor.rejectedFrames(),
            status.link(),
            camera.health());
  }

  /** On the sensor thread: commands and sysfs reads are slow, the control thread never waits. */
  private void readSensors() {
    try {
      reading = sensors.read();
    } catch (RuntimeException e) {
      log.debug("sensors: {}", e.toString());
    }
  }

  private void failsafe(Cause cause, String reason) {
    if (drivetrain.failsafe(cause, reason)) {
      log.warn("failsafe: {}", reason);
    }
    publishStatus();
  }

  private void sendTelemetry() {
    CarLink current = telemetryLink;
    if (current == null || !current.isOpen(PeerLink.Channel.TELEMETRY)) {
      return;
    }
    long now = System.nanoTime();
    ControlFrame echoed = governor.lastAccepted();
    long hold =
        echoed == null ? 0 : Math.min(0xFFFF_FFFFL, (now - governor.lastAcceptedNanos()) / 1000);
    Output output = governor.output();
    double speed = actuator.speedMps();
    double battery =
        Double.isNaN(reading.batteryVolts()) ? actuator.batteryVolts() : reading.batteryVolts();
    TelemetryFrame frame =
        new TelemetryFrame(
            telemetrySeq++ & 0xFFFF_FFFFL,
            echoed == null ? 0 : echoed.seq(),
            echoed == null ? 0 : echoed.sentMicros(),
            hold,
            now / 1000,
            clamp(output.steering()),
            clamp(output.throttle()),
            governor.state(),
            Double.isNaN(speed) ? 0 : Math.max(-327, Math.min(327, speed)),
            Double.isNaN(battery) ? Double.NaN : Math.max(0, Math.min(65, battery)),
            Math.min(0xFFFF_FFFFL, governor.rejectedFrames()));
    current.send(PeerLink.Channel.TELEMETRY, frame.encode());
    StateReason reason = governor.stateReason();
    if (frame.seq() % HEALTH_EVERY == 0) {
      current.send(PeerLink.Channel.TELEMETRY, health().encode());
      SenderStatsFrame sender = senderStats(current);
      if (sender != null) {
        current.send(PeerLink.Channel.TELEMETRY, sender.encode());
      }
    } else if (frame.seq() % HEALTH_EVERY == HEALTH_EVERY / 2) {
      // Collected here, sent with the next health frame from this thread: getStats completes on
      // a libwebrtc thread, which must not send on a link that may be closing.
      // The software path; the hardware path's link keeps its own counters.
      if (current instanceof PeerLink peer) {
        peer.stats().thenAccept(stats -> senderSnapshot = new SenderSnapshot(current, stats));
      }
    }
    // At once when it changes, then once a second: the channel may drop any one frame.
    if (!reason.equals(sentReason) || frame.seq() % HEALTH_EVERY == 0) {
      current.send(PeerLink.Channel.TELEMETRY, reason.encode());
      sentReason = reason;
    }
  }

  /**
   * The video sender's counters for the driver's stage breakdown, or null before the link's first
   * stats snapshot.
   */
  SenderStatsFrame senderStats(CarLink current) {
    SenderStatsFrame own = current.senderStats();
    if (own != null) {
      return own;
    }
    SenderSnapshot snapshot = senderSnapshot;
    VideoFeed feed = media.videoFeed();
    if (snapshot == null || snapshot.link() != current || feed == null) {
      return null;
    }
    dev.rcdrive.rtc.VideoCounters c = snapshot.stats().counters();
    return new SenderStatsFrame(
        feed.framesPushed(),
        feed.captureToPushNanos() / 1000,
        c.framesEncoded(),
        Math.round(c.totalEncodeTime() * 1e6),
        c.packetsSent(),
        Math.round(c.totalPacketSendDelay() * 1e6));
  }

  /** The camera's state and the Pi's readings, as the driver gets them once a second. */
  HealthFrame health() {
    PiSensors.Reading r = reading;
    double temp = r.cpuTempC();
    return new HealthFrame(
        HealthFrame.Camera.valueOf(camera.health().name()),
        (int) Math.min(0xFFFF, camera.restarts()),
        Double.isNaN(temp) || temp < -273 || temp > 3000 ? Double.NaN : temp,
        r.throttled(),
        r.signalPercent());
  }

  private static double clamp(double value) {
    return Math.max(-1, Math.min(1, value));
  }

  // ---- link thread ------------------------------------------------------------------------

  private void onSignal(SignalMessage message) {
    if (closed) {
      return;
    }
    if (message instanceof Granted granted) {
      log.info("driver {} ({}) holds the car", granted.driverName(), granted.driverId());
    } else if (message instanceof Released released) {
      if (released.driverRevoked()) {
        // The operator revoked the driver holding this car: the link needs no server, so only we
        // can end it. Whatever peer id the link was made with (a resumed driver gets a new one),
        // it is this driver's or an older one's: neither may keep driving.
        log.warn("driver {} was revoked: ending the link", released.driverId());
        closeLink("the driver's token was revoked");
        recycleRtc();
      } else {
        // The driver's signaling may only have dropped: the link's own health decides (ADR 2).
        log.info("driver {} released the car: {}", released.driverId(), released.reason());
      }
    } else if (message instanceof Offer offer) {
      onOffer(offer);
    } else if (message instanceof Candidate candidate) {
      if (link != null && candidate.from() != null && candidate.from().equals(linkPeerId)) {
        link.addRemoteCandidate(candidate);
      }
    } else if (message instanceof ServerError error) {
      log.warn("signaling refused: {} {}", error.code(), error.message());
    }
  }

  private void onOffer(Offer offer) {
    if (link != null && link.isSamePeer(offer)) {
      // Renegotiation or ICE restart of this very peer connection (the same DTLS certificate),
      // whatever id signaling gives the driver now (a restarted server hands out new ones).
      linkPeerId = offer.from();
      link.applyRemote(offer);
      return;
    }
    closeLink("a new driver connected");
    recycleRtc();
    LinkOptions options =
        LinkOptions.defaults()
            .withIceServers(signaling.welcome() == null ? null : signaling.welcome().iceServers())
            .withVideoCaps(config.video().maxBitrateKbps(), config.video().maxFramerate())
            .withStartBitrate(config.video().startBitrateKbps())
            .withRelayOnly(config.relayOnly());
    LinkEvents events = new LinkEvents();
    CarLink next = media.newLink(options, events);
    events.owner = next;
    link = next;
    linkPeerId = offer.from();
    control.execute(
        guarded(
            "new session",
            () -> {
              governor.newSession();
              telemetryLink = next;
            }));
    log.info("answering driver {}", offer.from());
    next.applyRemote(offer);
  }

  private void closeLink(String reason) {
    if (link == null) {
      return;
    }
    CarLink old = link;
    link = null;
    linkPeerId = null;
    control.execute(
        guarded(
            "link closed",
            () -> {
              if (telemetryLink == old) {
                telemetryLink = null;
              }
              failsafe(Cause.LINK_LOST, reason);
            }));
    old.close();
    log.info("closed the link: {}", reason);
  }

  /**
   * Between drive sessions (no link), a new WebRTC factory: webrtc-java 0.14.0 keeps every received
   * data-channel message alive as a JNI local reference on a libwebrtc thread
   * (docs/decisions/0007), and disposing the factory ends those threads and frees them. Only when a
   * message came since the last one; on the link thread, so no link can be made meanwhile.
   */
  private void recycleRtc() {
    if (!config.memory().recycleWebRtc()
        || link != null
        || closed
        || messagesSinceRecycle.get() == 0
        || media.openLinks() > 0) { // an engine shared with a driver (tests, the demo)
      return;
    }
    long started = System.nanoTime();
    long messages = messagesSinceRecycle.getAndSet(0);
    try {
      if (!media.recycle()) {
        return;
      }
    } catch (RuntimeException e) {
      log.error("could not make a new WebRTC factory: {}", e.toString());
      return;
    }
    rtcRecycles.incrementAndGet();
    log.info(
        "new WebRTC factory after {} data-channel messages ({} ms)",
        messages,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }

  /**
   * No one drives: the car is not armed and has no link (a failed one is kept 30 s for the driver's
   * ICE restart, and counts as a driver until then). A restart now costs no one a drive.
   */
  private boolean idle() {
    boolean noLink = link == null || status.link() == PeerLink.State.CLOSED;
    return !closed && noLink && status.state() != CarState.ARMED;
  }

  private void checkMemory() {
    try {
      HeapGuard.Verdict verdict = heapGuard.check();
      if (verdict.restart()) {
        log.warn("{}: restarting the agent while no one drives", verdict.reason());
        processExit.exit(0, verdict.reason());
      }
    } catch (RuntimeException e) {
      log.warn("memory check: {}", e.toString());
    }
  }

  /** Callbacks from libwebrtc's threads: hand over, never block. */
  private final class LinkEvents implements PeerLink.Listener {
    /** The link these events belong to: a late event of an old link must not touch a new one. */
    volatile CarLink owner;

    volatile PeerLink.State lastState = PeerLink.State.NEW;

    final FailedGrace grace = new FailedGrace();

    @Override
    public void onLocalDescription(SignalMessage description) {
      signaling.send(description);
    }

    @Override
    public void onLocalCandidate(Candidate candidate) {
      signaling.send(candidate);
    }

    @Override
    public void onGatheringComplete(int candidates) {
      if (candidates == 0) {
        log.warn("no local ICE candidates: this machine has no usable network address");
      }
    }

    @Override
    public void onState(PeerLink.State state) {
      if (owner != null && owner != link) {
        return; // an old link closing after a new driver took over
      }
      status = withLink(state);
      if (state == PeerLink.State.DISCONNECTED
          || state == PeerLink.State.FAILED
          || state == PeerLink.State.CLOSED) {
        control.execute(
            guarded(
                "link state",
                () -> failsafe(Cause.LINK_LOST, "link " + state.name().toLowerCase())));
      }
      if (state == PeerLink.State.DISCONNECTED && lastState != PeerLink.State.DISCONNECTED) {
        signaling.probe(SIGNALING_PROBE); // a handover kills signaling too: find out now
      }
      lastState = state;
      if (state != PeerLink.State.FAILED) {
        grace.recovered();
      } else {
        // Not closed at once: the driver's ICE restart (after a handover, say) revives this
        // link, data channels and all; a new link would have none. Neutral already. The grace
        // counts from the latest failure, not the first.
        long failure = grace.failed();
        control.schedule(
            () ->
                linkThread.execute(
                    () -> {
                      if (link != null && link == owner && grace.expired(failure)) {
                        closeLink(
                            "ICE failed and no restart within " + FAILED_GRACE_SECONDS + " s");
                        recycleRtc();
                      }
                    }),
            FAILED_GRACE_SECONDS,
            TimeUnit.SECONDS);
      }
    }

    @Override
    public void onChannelClosed(PeerLink.Channel channel) {
      if (channel == PeerLink.Channel.CONTROL && owner == link) {
        control.execute(
            guarded(
                "link state",
                () -> failsafe(Cause.CONTROL_CHANNEL_CLOSED, "control channel closed")));
      }
    }

    @Override
    public void onMessage(PeerLink.Channel channel, ByteBuffer data) {
      if (channel != PeerLink.Channel.CONTROL || owner != link) {
        return; // only the current driver's link commands the car
      }
      long received = System.nanoTime();
      byte[] bytes = new byte[data.remaining()];
      data.get(bytes);
      messagesSinceRecycle.incrementAndGet();
      control.execute(guarded("control frame", () -> onControlBytes(bytes, received)));
    }

    @Override
    public void onError(String reason) {
      if (owner != link) {
        return;
      }
      control.execute(
          guarded("link error", () -> failsafe(Cause.LINK_ERROR, "link error: " + reason)));
    }
  }

  private Status withLink(PeerLink.State state) {
    Status s = status;
    return new Status(
        s.state(), s.reason(), s.output(), s.speedMps(), s.rejectedFrames(), state, s.camera());
  }

  /**
   * Neutral first, then everything else: used on shutdown (and by the shutdown hook), so the car
   * stops even if the rest of the teardown hangs.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    boolean neutral = false;
    try {
      control
          .submit(() -> failsafe(Cause.SHUTTING_DOWN, "agent shutting down"))
          .get(1, TimeUnit.SECONDS);
      neutral = true;
    } catch (Exception e) {
      log.warn("could not go neutral through the control thread: {}", e.toString());
    }
    if (!neutral) {
      // The control thread is stuck (a frozen tick): the outputs go neutral from here now, not
      // after the camera, signaling and the link have taken their time to close.
      stopControl();
      actuator.close();
    }
    camera.close();
    signaling.close();
    try {
      linkThread.submit(() -> closeLink("agent shutting down")).get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("link close: {}", e.toString());
    }
    linkThread.shutdown();
    memoryThread.shutdownNow();
    if (neutral) {
      stopControl();
      actuator.close(); // neutral again and held, then no pulses; the hardware is released
    }
    if (heartbeat != null) {
      heartbeat.close();
    }
    if (sensorThread != null) {
      sensorThread.shutdownNow();
    }
    if (sensors != null) {
      sensors.close();
    }
    for (AutoCloseable resource : resources) {
      closeQuietly(resource);
    }
    media.close();
  }

  /** Ends the control thread's ticks; a thread that does not stop within 1 s is left behind. */
  private void stopControl() {
    control.shutdownNow();
    try {
      if (!control.awaitTermination(1, TimeUnit.SECONDS)) {
        log.warn("the control thread did not stop within 1 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(AutoCloseable resource) {
    try {
      resource.close();
    } catch (Exception e) {
      log.warn("closing {}: {}", resource, e.toString());
    }
  }

  private static ScheduledExecutorService daemonScheduler(String name) {
    return Executors.newSingleThreadScheduledExecutor(daemon(name));
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread thread = new Thread(r, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
