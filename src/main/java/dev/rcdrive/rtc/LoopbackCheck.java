package dev.rcdrive.rtc;

import dev.rcdrive.protocol.I420Image;
import dev.rcdrive.protocol.SignalMessage;
import dev.rcdrive.protocol.SignalMessage.Candidate;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Proves the WebRTC native library works on this machine, for {@code rcdrive agent --check}: a
 * driver's and a car's peer connection in this process, connected to each other (what signaling
 * would relay is handed over directly), until both data channels are open and a video frame went
 * through the encoder and the decoder; then both are closed. Needs a network interface with an
 * address: libwebrtc gathers no 127.0.0.1 candidates.
 */
public final class LoopbackCheck {

  private LoopbackCheck() {}

  /**
   * Connects, sends one frame and closes; returns what happened in a few words.
   *
   * @throws IllegalStateException with the reason when the connection did not form in time
   */
  public static String run(RtcEngine engine, Duration timeout) throws InterruptedException {
    ExecutorService relay =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "loopback-check");
              t.setDaemon(true);
              return t;
            });
    Side driver = new Side(relay);
    Side car = new Side(relay);
    VideoFeed feed = engine.newVideoFeed();
    long started = System.nanoTime();
    try {
      driver.link = engine.newLink(PeerLink.Side.DRIVER, LinkOptions.defaults(), driver);
      car.link = engine.newLink(PeerLink.Side.CAR, LinkOptions.defaults(), car, feed);
      driver.peer = car;
      car.peer = driver;
      driver.link.start();
      long deadline = started + timeout.toNanos();
      while (!driver.channelsOpen.await(50, TimeUnit.MILLISECONDS)) {
        if (driver.gathered == 0
            || driver.error != null
            || car.error != null
            || System.nanoTime() > deadline) {
          throw new IllegalStateException(failure(driver, car, timeout));
        }
      }
      long connectedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      I420Image gray = new I420Image(64, 64);
      java.util.Arrays.fill(gray.y(), (byte) 128);
      while (driver.frame.getCount() > 0 && System.nanoTime() < deadline) {
        feed.push(gray, System.nanoTime());
        driver.frame.await(40, TimeUnit.MILLISECONDS);
      }
      if (driver.frame.getCount() > 0) {
        throw new IllegalStateException(
            "peer connection opened, but no video frame came through in "
                + timeout.toSeconds()
                + " s");
      }
      return "a peer connection to itself opened in "
          + connectedMs
          + " ms (data channels open, a video frame went through) and closed";
    } finally {
      try {
        relay
            .submit(
                () -> {
                  close(driver.link);
                  close(car.link);
                  feed.close();
                })
            .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
        throw new IllegalStateException("closing the loopback connection failed: " + e, e);
      } finally {
        relay.shutdownNow();
      }
    }
  }

  private static String failure(Side driver, Side car, Duration timeout) {
    if (driver.error != null || car.error != null) {
      return "negotiation failed: " + (driver.error != null ? driver.error : car.error);
    }
    if (driver.gathered == 0) {
      return "no local network address to connect over (libwebrtc ignores 127.0.0.1):"
          + " bring up a network interface";
    }
    return "no connection in " + timeout.toSeconds() + " s (state: " + driver.state + ")";
  }

  private static void close(PeerLink link) {
    if (link != null) {
      link.close();
    }
  }

  /** One end: hands what it makes to the other end on the relay thread. */
  private static final class Side implements PeerLink.Listener {
    private final ExecutorService relay;
    final CountDownLatch channelsOpen = new CountDownLatch(PeerLink.Channel.values().length);
    final CountDownLatch frame = new CountDownLatch(1);
    volatile PeerLink link;
    volatile Side peer;
    volatile int gathered = -1;
    volatile PeerLink.State state = PeerLink.State.NEW;
    volatile String error;

    Side(ExecutorService relay) {
      this.relay = relay;
    }

    @Override
    public void onLocalDescription(SignalMessage description) {
      relay.execute(() -> peer.link.applyRemote(description));
    }

    @Override
    public void onLocalCandidate(Candidate candidate) {
      relay.execute(() -> peer.link.addRemoteCandidate(candidate));
    }

    @Override
    public void onGatheringComplete(int candidates) {
      gathered = candidates;
    }

    @Override
    public void onState(PeerLink.State newState) {
      state = newState;
    }

    @Override
    public void onChannelOpen(PeerLink.Channel channel) {
      channelsOpen.countDown();
    }

    @Override
    public void onVideoFrame(ReceivedFrame received) {
      frame.countDown();
    }

    @Override
    public void onError(String reason) {
      error = reason;
    }
  }
}
