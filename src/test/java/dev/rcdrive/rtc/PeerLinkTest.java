package dev.rcdrive.rtc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rcdrive.protocol.FrameStamp;
import dev.rcdrive.protocol.I420Image;
import dev.rcdrive.protocol.SignalMessage;
import dev.rcdrive.protocol.SignalMessage.Candidate;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two real peer connections in one JVM, the driver's and the car's, wired to each other directly
 * (what signaling would relay is handed over on a thread of the test's own).
 */
class PeerLinkTest {

  private static RtcEngine engine;
  private final ExecutorService relay = Executors.newSingleThreadExecutor();
  private PeerLink driver;
  private PeerLink car;
  private VideoFeed feed;

  @BeforeAll
  static void startEngine() {
    engine = RtcEngine.create();
  }

  @AfterAll
  static void stopEngine() {
    engine.close();
  }

  @AfterEach
  void closeLinks() throws Exception {
    relay
        .submit(
            () -> {
              if (driver != null) {
                driver.close();
              }
              if (car != null) {
                car.close();
              }
              if (feed != null) {
                feed.close();
              }
            })
        .get(10, TimeUnit.SECONDS);
    relay.shutdown();
  }

  /** Records what a link reports. */
  static final class Events implements PeerLink.Listener {
    volatile PeerLink peer;
    final ExecutorService relay;
    final List<PeerLink.State> states = new CopyOnWriteArrayList<>();
    final List<PeerLink.Channel> open = new CopyOnWriteArrayList<>();
    final BlockingQueue<byte[]> messages = new LinkedBlockingQueue<>();
    final BlockingQueue<FrameStamp> stamps = new LinkedBlockingQueue<>();
    volatile int gathered = -1;
    volatile String error;

    Events(ExecutorService relay) {
      this.relay = relay;
    }

    @Override
    public void onLocalDescription(SignalMessage description) {
      relay.execute(() -> peer.applyRemote(description));
    }

    @Override
    public void onLocalCandidate(Candidate candidate) {
      relay.execute(() -> peer.addRemoteCandidate(candidate));
    }

    @Override
    public void onGatheringComplete(int candidates) {
      gathered = candidates;
    }

    @Override
    public void onState(PeerLink.State state) {
      states.add(state);
    }

    @Override
    public void onChannelOpen(PeerLink.Channel channel) {
      open.add(channel);
    }

    @Override
    public void onMessage(PeerLink.Channel channel, ByteBuffer data) {
      byte[] copy = new byte[data.remaining()];
      data.get(copy);
      messages.add(copy);
    }

    @Override
    public void onVideoFrame(ReceivedFrame frame) {
      FrameStamp stamp = frame.stamp();
      if (stamp != null) {
        stamps.add(stamp);
      }
    }

    @Override
    public void onError(String reason) {
      error = reason;
    }
  }

  @Test
  void driverAndCarConnectExchangeDataAndVideo() throws Exception {
    Events driverEvents = new Events(relay);
    Events carEvents = new Events(relay);
    feed = engine.newVideoFeed();
    driver = engine.newLink(PeerLink.Side.DRIVER, LinkOptions.defaults(), driverEvents);
    car =
        engine.newLink(
            PeerLink.Side.CAR, LinkOptions.defaults().withVideoCaps(2000, 30), carEvents, feed);
    driverEvents.peer = car;
    carEvents.peer = driver;

    driver.start();

    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> driver.isOpen(PeerLink.Channel.CONTROL) && car.isOpen(PeerLink.Channel.CONTROL));
    assertThat(driverEvents.states).contains(PeerLink.State.CONNECTED);
    assertThat(driver.send(PeerLink.Channel.CONTROL, new byte[] {1, 2, 3})).isTrue();
    assertThat(carEvents.messages.poll(5, TimeUnit.SECONDS)).containsExactly(1, 2, 3);
    await().atMost(Duration.ofSeconds(5)).until(() -> car.isOpen(PeerLink.Channel.TELEMETRY));
    assertThat(car.send(PeerLink.Channel.TELEMETRY, new byte[] {9})).isTrue();
    assertThat(driverEvents.messages.poll(5, TimeUnit.SECONDS)).containsExactly(9);

    I420Image image = new I420Image(640, 360);
    for (int i = 0; i < 60; i++) {
      new FrameStamp(i, FrameStamp.tenthsOfMillis(System.currentTimeMillis() * 1000))
          .writeInto(image);
      feed.push(image, System.nanoTime());
      Thread.sleep(33);
    }
    FrameStamp first = driverEvents.stamps.poll(5, TimeUnit.SECONDS);
    assertThat(first).isNotNull();
    await().atMost(Duration.ofSeconds(5)).until(() -> !driverEvents.stamps.isEmpty());
    LinkStats stats = driver.stats().get(5, TimeUnit.SECONDS);
    System.out.println(stats);
    assertThat(stats.framesDecoded()).isPositive();
    assertThat(stats.localCandidateType()).isEqualTo("host");
    assertThat(driverEvents.error).isNull();
    assertThat(carEvents.error).isNull();
  }
}
