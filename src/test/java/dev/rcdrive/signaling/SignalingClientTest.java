package dev.rcdrive.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rcdrive.protocol.ErrorCode;
import dev.rcdrive.protocol.SignalMessage;
import dev.rcdrive.protocol.SignalMessage.Drive;
import dev.rcdrive.protocol.SignalMessage.Granted;
import dev.rcdrive.protocol.SignalMessage.Hello;
import dev.rcdrive.protocol.SignalMessage.Offer;
import dev.rcdrive.protocol.SignalMessage.ServerError;
import dev.rcdrive.signaling.SignalingClient.Backoff;
import dev.rcdrive.signaling.SignalingClient.State;
import java.net.URI;
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

/**
 * The reconnecting client against a real server on loopback. Each client waits on a {@link
 * VirtualTime} of its own (backoff, regain retries, pings), so a test moves exactly the client it
 * means to, by exactly the wait under test; the server's clock never moves.
 */
class SignalingClientTest {

  static final Backoff FAST = new Backoff(Duration.ofMillis(50), Duration.ofMillis(400));

  /** Long enough for any outcome on a busy machine; nothing under test is timed by it. */
  static final Duration OUTCOME = Duration.ofSeconds(30);

  private final VirtualTime serverTime = new VirtualTime();
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
    final List<String> details = new CopyOnWriteArrayList<>();
    final List<String> threads = new CopyOnWriteArrayList<>();
    volatile String lastDetail;

    @Override
    public void onState(State state, String detail) {
      states.add(state);
      details.add(detail);
      lastDetail = detail;
      threads.add(Thread.currentThread().getName());
    }

    @Override
    public void onMessage(SignalMessage message) {
      messages.add(message);
      threads.add(Thread.currentThread().getName());
    }

    <T extends SignalMessage> T next(Class<T> type) throws InterruptedException {
      long deadline = System.nanoTime() + OUTCOME.toNanos();
      while (System.nanoTime() < deadline) {
        SignalMessage message = messages.poll(100, TimeUnit.MILLISECONDS);
        if (type.isInstance(message)) {
          return type.cast(message);
        }
      }
      throw new AssertionError("no " + type.getSimpleName());
    }

    long count(State state) {
      return states.stream().filter(s -> s == state).count();
    }
  }

  private SignalingClient connect(Hello hello, Recorder recorder, VirtualTime time) {
    return connect(server.uri(), hello, recorder, time);
  }

  private SignalingClient connect(URI uri, Hello hello, Recorder recorder, VirtualTime time) {
    SignalingClient client =
        SignalingClient.connect(uri, hello, recorder, null, FAST, time, new Random(7));
    closeables.add(client);
    return client;
  }

  private void startServer(int port) throws Exception {
    server =
        SignalingServer.start(
            SignalingServerTest.config().withPort(port), serverTime.clock(), serverTime);
  }

  /** Lets {@code client}'s backoff run out: it connects again. */
  private static void backoffPasses(SignalingClient client, VirtualTime time) throws Exception {
    client.awaitEvents(); // the wait is scheduled
    time.advance(FAST.max());
  }

  @Test
  void carAndDriverClientsMeetAndRelay() throws Exception {
    startServer(0);
    Recorder carEvents = new Recorder();
    Recorder driverEvents = new Recorder();
    SignalingClient car =
        connect(Hello.car("buggy", "buggy-key", "agent"), carEvents, new VirtualTime());
    SignalingClient driver =
        connect(Hello.driver("alice-token", "station"), driverEvents, new VirtualTime());
    await()
        .atMost(OUTCOME)
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
    VirtualTime carTime = new VirtualTime();
    VirtualTime driverTime = new VirtualTime();
    Recorder carEvents = new Recorder();
    Recorder driverEvents = new Recorder();
    SignalingClient car = connect(Hello.car("buggy", "buggy-key", "agent"), carEvents, carTime);
    SignalingClient driver =
        connect(Hello.driver("alice-token", "station"), driverEvents, driverTime);
    await()
        .atMost(OUTCOME)
        .until(() -> car.state() == State.READY && driver.state() == State.READY);
    driver.send(new Drive("buggy"));
    driverEvents.next(Granted.class);
    String firstPeerId = driver.welcome().peerId();

    server.close();
    await()
        .atMost(OUTCOME)
        .until(() -> car.state() == State.RECONNECTING && driver.state() == State.RECONNECTING);
    assertThat(driver.send(new Offer("lost"))).isFalse();
    startServer(port);

    backoffPasses(car, carTime); // the car first, so the driver finds it back
    await().atMost(OUTCOME).until(() -> server.stats().onlineCars() == 1);
    backoffPasses(driver, driverTime);

    Granted regained = driverEvents.next(Granted.class);
    assertThat(regained.carId()).isEqualTo("buggy");
    assertThat(regained.driverId()).isEqualTo(driver.welcome().peerId()).isNotEqualTo(firstPeerId);
    await().atMost(OUTCOME).until(() -> server.stats().drivenCars() == 1);
    assertThat(driverEvents.states)
        .containsSubsequence(State.READY, State.RECONNECTING, State.CONNECTING, State.READY);
  }

  @Test
  void driverAsksAgainEachSecondUntilTheCarIsBack() throws Exception {
    startServer(0);
    int port = server.port();
    VirtualTime driverTime = new VirtualTime();
    Recorder carEvents = new Recorder();
    Recorder driverEvents = new Recorder();
    SignalingClient car =
        connect(Hello.car("buggy", "buggy-key", "agent"), carEvents, new VirtualTime());
    SignalingClient driver =
        connect(Hello.driver("alice-token", "station"), driverEvents, driverTime);
    await()
        .atMost(OUTCOME)
        .until(() -> car.state() == State.READY && driver.state() == State.READY);
    driver.send(new Drive("buggy"));
    driverEvents.next(Granted.class);
    car.close(); // the car's 4G is slower to come back than the driver

    server.close();
    startServer(port);
    await().atMost(OUTCOME).until(() -> driver.state() == State.RECONNECTING);
    backoffPasses(driver, driverTime);
    await()
        .atMost(OUTCOME)
        .until(() -> Long.valueOf(1).equals(server.stats().refusals().get(ErrorCode.CAR_OFFLINE)));
    driver.awaitEvents(); // the denial is handled: the next ask waits a second
    driverTime.advance(Duration.ofMillis(999));
    SignalingClient returningCar =
        connect(Hello.car("buggy", "buggy-key", "agent"), new Recorder(), new VirtualTime());
    await().atMost(OUTCOME).until(() -> server.stats().onlineCars() == 1);
    assertThat(server.stats().drivenCars()).isZero(); // no ask before the second is up

    driverTime.advance(Duration.ofMillis(1));

    Granted regained = driverEvents.next(Granted.class);
    assertThat(regained.driverId()).isEqualTo(driver.welcome().peerId());
    assertThat(returningCar.state()).isEqualTo(State.READY);
    assertThat(driverEvents.messages).noneMatch(m -> m instanceof SignalMessage.Denied);
  }

  @Test
  void listenerThatThrowsDoesNotStopReconnecting() throws Exception {
    startServer(0);
    int port = server.port();
    VirtualTime time = new VirtualTime();
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
            FAST,
            time,
            new Random(7));
    closeables.add(client);
    await().atMost(OUTCOME).until(() -> client.state() == State.READY);

    server.close();
    startServer(port);
    await().atMost(OUTCOME).until(() -> client.state() == State.RECONNECTING);
    backoffPasses(client, time);

    await()
        .atMost(OUTCOME)
        .until(() -> client.state() == State.READY && server.stats().openConnections() == 1);
  }

  /**
   * While the server is down each attempt waits exactly the backoff's next delay on the client's
   * clock (drawn from the same seeded jitter), and no attempt starts before it has passed.
   */
  @Test
  void attemptsWhileTheServerIsDownAreSpacedByTheBackoff() throws Exception {
    startServer(0);
    int port = server.port();
    server.close();
    server = null;
    VirtualTime time = new VirtualTime();
    Recorder events = new Recorder();
    SignalingClient client =
        connect(
            URI.create("ws://127.0.0.1:" + port), Hello.driver("alice-token", "t"), events, time);
    Random sameJitter = new Random(7);

    for (int attempt = 0; attempt < 6; attempt++) {
      int failures = attempt + 1;
      await().atMost(OUTCOME).until(() -> events.count(State.RECONNECTING) == failures);
      client.awaitEvents();
      Duration expected = FAST.delay(attempt, sameJitter);
      assertThat(time.nextDue()).as("wait after attempt " + attempt).isEqualTo(expected);
      assertThat(events.lastDetail).endsWith("retrying in " + expected.toMillis() + " ms");

      time.advance(expected.minusNanos(1));
      client.awaitEvents();
      assertThat(events.count(State.CONNECTING)).as("no attempt early").isEqualTo(failures);
      time.advance(Duration.ofNanos(1));
      await().atMost(OUTCOME).until(() -> events.count(State.CONNECTING) == failures + 1);
    }
    await().atMost(OUTCOME).until(() -> events.count(State.RECONNECTING) == 7);

    startServer(port);
    backoffPasses(client, time);
    await().atMost(OUTCOME).until(() -> client.state() == State.READY);
  }

  @Test
  void wrongTokenStopsRetryingAndSaysWhy() throws Exception {
    startServer(0);
    VirtualTime time = new VirtualTime();
    Recorder events = new Recorder();
    SignalingClient client = connect(Hello.driver("wrong", "t"), events, time);

    await().atMost(OUTCOME).until(() -> client.state() == State.STOPPED);
    assertThat(events.next(ServerError.class).code()).isEqualTo("AUTH_FAILED");
    assertThat(events.lastDetail).startsWith("AUTH_FAILED");

    time.advance(Duration.ofMinutes(1)); // every wait the client could have set runs out
    client.awaitEvents();

    assertThat(events.states).doesNotContain(State.RECONNECTING);
    assertThat(events.count(State.CONNECTING)).isEqualTo(1);
    assertThat(client.state()).isEqualTo(State.STOPPED);
    assertThat(server.stats().refusals().get(ErrorCode.AUTH_FAILED)).isEqualTo(1L);
  }

  /** A blocked address is worth retrying: the credential may be right (issue #15's budget). */
  @Test
  void blockedLoginIsRetriedWithBackoffNotGivenUpOn() throws Exception {
    server =
        SignalingServer.start(
            SignalingServerTest.config()
                .withLimits(SignalingServerTest.config().limits().withLoginBudget(1, 300)),
            serverTime.clock(),
            serverTime);
    for (String guess : List.of("guess-1", "guess-2")) {
      Recorder refused = new Recorder();
      SignalingClient guesser = connect(Hello.driver(guess, "t"), refused, new VirtualTime());
      await().atMost(OUTCOME).until(() -> guesser.state() == State.STOPPED);
    }
    VirtualTime time = new VirtualTime();
    Recorder events = new Recorder();
    SignalingClient client = connect(Hello.driver("alice-token", "t"), events, time);

    await().atMost(OUTCOME).until(() -> client.state() == State.RECONNECTING);
    assertThat(events.details).anyMatch(detail -> detail.startsWith("AUTH_BLOCKED"));
    serverTime.advance(Duration.ofSeconds(1)); // the block ends
    backoffPasses(client, time);

    await().atMost(OUTCOME).until(() -> client.state() == State.READY);
  }

  /** One replayed hello must not take a car offline for good (issue 15). */
  @Test
  void aReplacedCarTakesItsIdBackWithBackoff() throws Exception {
    startServer(0);
    VirtualTime time = new VirtualTime();
    Recorder events = new Recorder();
    SignalingClient car = connect(Hello.car("buggy", "buggy-key", "agent"), events, time);
    await().atMost(OUTCOME).until(() -> car.state() == State.READY);

    for (int round = 1; round <= 2; round++) {
      WsTestClient replay = WsTestClient.open(server.uri());
      closeables.add(replay::close);
      replay.sendMessage(Hello.car("buggy", "buggy-key", "replayed"));
      await().atMost(OUTCOME).until(() -> car.state() == State.RECONNECTING);
      assertThat(events.lastDetail).contains("retrying in");
      car.awaitEvents();
      Duration expected =
          SignalingClient.REPLACED_BACKOFF.initial().multipliedBy(1L << (round - 1));
      time.advance(expected.dividedBy(2).minusMillis(1)); // less than the shortest possible wait
      car.awaitEvents();
      assertThat(car.state()).as("round %d: not yet", round).isEqualTo(State.RECONNECTING);
      time.advance(expected); // the longest possible wait has passed
      await().atMost(OUTCOME).until(() -> car.state() == State.READY);
      assertThat(server.stats().onlineCars()).isEqualTo(1);
    }
    assertThat(events.states).doesNotContain(State.STOPPED);
  }

  @Test
  void closeSaysByeAndReleasesTheLock() throws Exception {
    startServer(0);
    Recorder carEvents = new Recorder();
    Recorder driverEvents = new Recorder();
    connect(Hello.car("buggy", "buggy-key", "agent"), carEvents, new VirtualTime());
    SignalingClient driver =
        connect(Hello.driver("alice-token", "station"), driverEvents, new VirtualTime());
    await().atMost(OUTCOME).until(() -> driver.state() == State.READY);
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
                    URI.create("http://127.0.0.1:1"), Hello.driver("t", "t"), m -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ws:// or wss://");
  }
}
