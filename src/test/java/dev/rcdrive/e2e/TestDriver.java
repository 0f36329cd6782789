package dev.rcdrive.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rcdrive.protocol.ControlFrame;
import dev.rcdrive.protocol.Decoded;
import dev.rcdrive.protocol.FrameStamp;
import dev.rcdrive.protocol.HealthFrame;
import dev.rcdrive.protocol.SenderStatsFrame;
import dev.rcdrive.protocol.SignalMessage;
import dev.rcdrive.protocol.SignalMessage.Answer;
import dev.rcdrive.protocol.SignalMessage.Candidate;
import dev.rcdrive.protocol.SignalMessage.Drive;
import dev.rcdrive.protocol.SignalMessage.Granted;
import dev.rcdrive.protocol.SignalMessage.Hello;
import dev.rcdrive.protocol.TelemetryFrame;
import dev.rcdrive.rtc.LinkOptions;
import dev.rcdrive.rtc.PeerLink;
import dev.rcdrive.rtc.ReceivedFrame;
import dev.rcdrive.rtc.RtcEngine;
import dev.rcdrive.signaling.SignalingClient;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A driver with no control loop of its own: the test decides every byte it sends and when, so it
 * can go silent, send garbage, or vanish. Built from the same public pieces as the station.
 */
final class TestDriver implements AutoCloseable {
  final BlockingQueue<TelemetryFrame> telemetry = new LinkedBlockingQueue<>();
  final BlockingQueue<FrameStamp> stamps = new LinkedBlockingQueue<>();
  final AtomicLong frames = new AtomicLong();
  final AtomicReference<int[]> lastLumaRow = new AtomicReference<>();

  /** HealthFrames from the car, in arrival order. */
  final java.util.Queue<HealthFrame> health = new java.util.concurrent.ConcurrentLinkedQueue<>();

  /** The car's video sender counters, in arrival order. */
  final java.util.Queue<SenderStatsFrame> senderStats =
      new java.util.concurrent.ConcurrentLinkedQueue<>();

  final AtomicReference<PeerLink.State> state = new AtomicReference<>(PeerLink.State.NEW);
  private final ExecutorService thread = Executors.newSingleThreadExecutor();
  private final SignalingClient signaling;
  private final RtcEngine engine;
  private final LinkOptions options;
  private volatile PeerLink link;
  private long seq;

  /** false: behave like a peer that does not trickle (all candidates in the offer's SDP). */
  volatile boolean trickle = true;

  private volatile long lastSentNanos;

  TestDriver(RtcEngine engine, URI server, String token, LinkOptions options) {
    this.engine = engine;
    this.options = options;
    this.signaling =
        SignalingClient.connect(
            server,
            Hello.driver(token, "test-driver"),
            message -> thread.execute(() -> onSignal(message)));
  }

  void drive(String carId) {
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> signaling.state() == SignalingClient.State.READY);
    assertThat(signaling.send(new Drive(carId))).isTrue();
  }

  void awaitOpen() {
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> link != null && link.isOpen(PeerLink.Channel.CONTROL));
  }

  private void onSignal(SignalMessage message) {
    if (message instanceof Granted granted) {
      link =
          engine.newLink(
              PeerLink.Side.DRIVER,
              options.withIceServers(signaling.welcome().iceServers()),
              new PeerLink.Listener() {
                @Override
                public void onLocalDescription(SignalMessage description) {
                  if (trickle) {
                    signaling.send(description);
                  }
                }

                @Override
                public void onLocalCandidate(Candidate candidate) {
                  if (trickle) {
                    signaling.send(candidate);
                  }
                }

                @Override
                public void onGatheringComplete(int candidates) {
                  if (!trickle) {
                    thread.execute(
                        () -> signaling.send(new SignalMessage.Offer(link.currentLocalSdp())));
                  }
                }

                @Override
                public void onState(PeerLink.State s) {
                  state.set(s);
                }

                @Override
                public void onMessage(PeerLink.Channel channel, ByteBuffer data) {
                  if (SenderStatsFrame.isSenderStats(data)) {
                    if (SenderStatsFrame.decode(data) instanceof Decoded.Ok<SenderStatsFrame> ok) {
                      senderStats.add(ok.value());
                    }
                    return;
                  }
                  if (HealthFrame.isHealth(data)) {
                    if (HealthFrame.decode(data) instanceof Decoded.Ok<HealthFrame> ok) {
                      health.add(ok.value());
                    }
                    return;
                  }
                  Decoded<TelemetryFrame> decoded = TelemetryFrame.decode(data);
                  if (decoded instanceof Decoded.Ok<TelemetryFrame> ok) {
                    telemetry.add(ok.value());
                  }
                }

                @Override
                public void onVideoFrame(ReceivedFrame frame) {
                  frames.incrementAndGet();
                  FrameStamp stamp = frame.stamp();
                  if (stamp != null) {
                    stamps.add(stamp);
                  }
                  int y = frame.height() * 3 / 4;
                  int[] row = new int[64];
                  for (int i = 0; i < row.length; i++) {
                    row[i] = frame.luma(i * frame.width() / row.length, y);
                  }
                  lastLumaRow.set(row);
                }
              });
      link.start();
    } else if (message instanceof Answer answer && link != null) {
      link.applyRemote(answer);
    } else if (message instanceof Candidate candidate && link != null) {
      link.addRemoteCandidate(candidate);
    }
  }

  boolean send(double steering, double throttle, boolean armed, boolean estop) {
    seq++;
    return sendRaw(
        new ControlFrame(seq, System.nanoTime() / 1000, steering, throttle, 0, armed, estop, 0)
            .encode());
  }

  boolean sendRaw(byte[] bytes) {
    lastSentNanos = System.nanoTime();
    return link.send(PeerLink.Channel.CONTROL, bytes);
  }

  /** System.nanoTime() of the last frame handed to the data channel. */
  long lastSentNanos() {
    return lastSentNanos;
  }

  /** Keeps sending one command every 20 ms for this long, as a station would. */
  void hold(double steering, double throttle, boolean armed, long millis)
      throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (System.nanoTime() < end) {
      send(steering, throttle, armed, false);
      Thread.sleep(20);
    }
  }

  /** The newest telemetry frame that arrives within the timeout, skipping older ones. */
  TelemetryFrame latestTelemetry() throws InterruptedException {
    TelemetryFrame frame = telemetry.poll(2, TimeUnit.SECONDS);
    TelemetryFrame newer;
    while ((newer = telemetry.poll()) != null) {
      frame = newer;
    }
    return frame;
  }

  PeerLink link() {
    return link;
  }

  SignalingClient.State signalingState() {
    return signaling.state();
  }

  /** Vanishes without a word: no neutral frame, no release (a crashed station). */
  void vanish() throws Exception {
    thread
        .submit(
            () -> {
              if (link != null) {
                link.close();
              }
            })
        .get(5, TimeUnit.SECONDS);
    signaling.close();
  }

  @Override
  public void close() throws Exception {
    vanish();
    thread.shutdownNow();
  }
}
