package dev.rcdrive.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rcdrive.protocol.SignalMessage;
import dev.rcdrive.protocol.SignalMessage.Drive;
import dev.rcdrive.protocol.SignalMessage.Granted;
import dev.rcdrive.protocol.SignalMessage.Hello;
import dev.rcdrive.protocol.SignalMessage.Offer;
import dev.rcdrive.protocol.SignalMessage.ServerError;
import dev.rcdrive.signaling.SignalingClient.Backoff;
import dev.rcdrive.signaling.SignalingClient.State;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SignalingClientTest {

  private static final Backoff FAST = new Backoff(Duration.ofMillis(50), Duration.ofMillis(400));

  private SignalingServer server;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable closeable : closeables) {
      closeable.close();
    }
    if (server != null) {
      server.close();
    }
  }

  /** Records every event with the thread it arrived on. */
  static final class Recorder implements SignalingClient.Listener {
    final BlockingQueue<SignalMessage> messages = new LinkedBlockingQueue<>();
    final List<State> states = new CopyOnWriteArrayList<>();
    final List<String> threads = new CopyOnWriteArrayList<>();
    volatile String lastDetail;

    @Override
    public void onState(State state, String detail) {
      states.add(state);
      lastDetail = detail;
      threads.add(Thread.currentThread().getName());
    }

    @Override
    public void onMessage(SignalMessage message) {
      messages.add(message);
      threads.add(Thread.currentThread().getName());
    }

    <T extends SignalMessage> T next(Class<T> type) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (System.nanoTime() < deadline) {
        SignalMessage message = messages.poll(100, TimeUnit.MILLISECONDS);
        if (type.isInstance(message)) {
          return type.cast(message);
        }
      }
      throw new AssertionError("no " + type.getSimpleName());
    }
  }

  private SignalingClient connect(Hello hello, Recorder recorder) {
    SignalingClient client = SignalingClient.connect(server.uri(), hello, recorder, null, FAST);
    closeables.add(client);
    return client;
  }

  private void startServer(int port) throws Exception {
    server = SignalingServer.start(SignalingServerTest.config().withPort(port));
  }

  @Test
  void carAndDriverClientsMeetAndRelay() throws Exception {
    startServer(0);
    Recorder carEvents = new Recorder();
    Recorder driverEvents = new Recorder();
    SignalingClient car = connect(Hello.car("buggy", "buggy-key", "agent"), carEvents);
    SignalingClient driver = connect(Hello.driver("alice-token", "station"), driverEvents);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> car.state() == State.READY && driver.state() == State.READY);

    assertThat(driver.send(new Drive("buggy"))).isTrue();
    driverEvents.next(Granted.class);
    carEvents.next(Granted.class);
    driver.send(new Offer("sdp-1"));

    assertThat(carEvents.next(Offer.class).from()).isEqualTo(driver.welcome().peerId());
    assertThat(carEvents.threads).allMatch(name -> name.startsWith("signaling-client-car-buggy"));
    assertThat(driverEvents.threads).allMatch(name -> name.startsWith("signaling-client-driver"));
  }

  @Test
  void reconnectsAfterTheServerRestartsAndGetsItsLockBack() throws Exception {
    startServer(0);
    int port = server.port();
    Recorder carEvents = new Recorder();
    Recorder driverEvents = new Recorder();
    SignalingClient car = connect(Hello.car("buggy", "buggy-key", "agent"), carEvents);
    SignalingClient driver = connect(Hello.driver("alice-token", "station"), driverEvents);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> car.state() == State.READY && driver.state() == State.READY);
    driver.send(new Drive("buggy"));
    driverEvents.next(Granted.class);
    String firstPeerId = driver.welcome().peerId();

    server.close();
    await().atMost(Duration.ofSeconds(5)).until(() -> driver.state() == State.RECONNECTING);
    assertThat(driver.send(new Offer("lost"))).isFalse();
    startServer(port);

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> car.state() == State.READY && driver.state() == State.READY);
    Granted regained = driverEvents.next(Granted.class);
    assertThat(regained.carId()).isEqualTo("buggy");
    assertThat(regained.driverId()).isEqualTo(driver.welcome().peerId()).isNotEqualTo(firstPeerId);
    await().atMost(Duration.ofSeconds(5)).until(() -> server.stats().drivenCars() == 1);
    assertThat(server.stats().onlineCars()).isEqualTo(1);
    assertThat(driverEvents.states)
        .containsSubsequence(State.READY, State.RECONNECTING, State.CONNECTING, State.READY);
  }

  @Test
  void driverGetsItsLockBackWhenTheCarReturnsAfterIt() throws Exception {
    startServer(0);
    int port = server.port();
    Recorder carEvents = new Recorder();
    Recorder driverEvents = new Recorder();
    SignalingClient car = connect(Hello.car("buggy", "buggy-key", "agent"), carEvents);
    SignalingClient driver = connect(Hello.driver("alice-token", "station"), driverEvents);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> car.state() == State.READY && driver.state() == State.READY);
    driver.send(new Drive("buggy"));
    driverEvents.next(Granted.class);
    car.close(); // the car's 4G is slower to come back than the driver

    server.close();
    startServer(port);
    await().atMost(Duration.ofSeconds(10)).until(() -> driver.state() == State.READY);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                server.stats().refusals().containsKey(dev.rcdrive.protocol.ErrorCode.CAR_OFFLINE));
    SignalingClient returningCar =
        connect(Hello.car("buggy", "buggy-key", "agent"), new Recorder());

    Granted regained = driverEvents.next(Granted.class);
    assertThat(regained.driverId()).isEqualTo(driver.welcome().peerId());
    assertThat(returningCar.state()).isEqualTo(State.READY);
    assertThat(driverEvents.messages).noneMatch(m -> m instanceof SignalMessage.Denied);
  }

  @Test
  void listenerThatThrowsDoesNotStopReconnecting() throws Exception {
    startServer(0);
    int port = server.port();
    SignalingClient client =
        SignalingClient.connect(
            server.uri(),
            Hello.driver("alice-token", "t"),
            new SignalingClient.Listener() {
              @Override
              public void onState(State state, String detail) {
                throw new IllegalStateException("buggy listener");
              }

              @Override
              public void onMessage(SignalMessage message) {
                throw new IllegalStateException("buggy listener");
              }
            },
            null,
            FAST);
    closeables.add(client);
    await().atMost(Duration.ofSeconds(5)).until(() -> client.state() == State.READY);

    server.close();
    startServer(port);

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> client.state() == State.READY && server.stats().openConnections() == 1);
  }

  @Test
  void keepsRetryingWhileTheServerIsDown() throws Exception {
    startServer(0);
    int port = server.port();
    server.close();
    server = null;
    Recorder events = new Recorder();
    SignalingClient client =
        SignalingClient.connect(
            java.net.URI.create("ws://127.0.0.1:" + port),
            Hello.driver("alice-token", "t"),
            events,
            null,
            FAST);
    closeables.add(client);

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> events.states.stream().filter(s -> s == State.RECONNECTING).count() >= 3);
    startServer(port);

    await().atMost(Duration.ofSeconds(5)).until(() -> client.state() == State.READY);
  }

  @Test
  void wrongTokenStopsRetryingAndSaysWhy() throws Exception {
    startServer(0);
    Recorder events = new Recorder();
    SignalingClient client = connect(Hello.driver("wrong", "t"), events);

    await().atMost(Duration.ofSeconds(5)).until(() -> client.state() == State.STOPPED);
    assertThat(events.next(ServerError.class).code()).isEqualTo("AUTH_FAILED");
    assertThat(events.lastDetail).startsWith("AUTH_FAILED");
    assertThat(events.states).doesNotContain(State.RECONNECTING);
    // One refused attempt and no more: a retry would open a second connection.
    await()
        .during(Duration.ofMillis(600))
        .atMost(Duration.ofSeconds(2))
        .until(
            () -> server.stats().refusals().get(dev.rcdrive.protocol.ErrorCode.AUTH_FAILED) == 1L);
  }

  @Test
  void closeSaysByeAndReleasesTheLock() throws Exception {
    startServer(0);
    Recorder carEvents = new Recorder();
    Recorder driverEvents = new Recorder();
    connect(Hello.car("buggy", "buggy-key", "agent"), carEvents);
    SignalingClient driver = connect(Hello.driver("alice-token", "station"), driverEvents);
    await().atMost(Duration.ofSeconds(5)).until(() -> driver.state() == State.READY);
    driver.send(new Drive("buggy"));
    carEvents.next(Granted.class);

    driver.close();

    // "driver left" when the server reads the bye first; "driver disconnected" when its selector
    // sees the end of the stream before the worker thread has decoded the bye (Java-WebSocket
    // handles the two on different threads). Either way the lock is released and the car told.
    assertThat(carEvents.next(SignalMessage.Released.class).reason())
        .isIn("driver left", "driver disconnected");
    assertThat(driver.state()).isEqualTo(State.STOPPED);
  }

  @Test
  void backoffDoublesUpToItsCapWithJitter() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2));
    Random random = new Random(42);

    for (int attempt = 0; attempt < 30; attempt++) {
      long step = Math.min(2000, 100L << Math.min(attempt, 20));
      long delay = backoff.delay(attempt, random).toMillis();
      assertThat(delay).isBetween(step / 2, step);
    }
  }

  @Test
  void refusesUrlsThatAreNotWebSockets() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                SignalingClient.connect(
                    java.net.URI.create("http://127.0.0.1:1"), Hello.driver("t", "t"), m -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ws:// or wss://");
  }
}
