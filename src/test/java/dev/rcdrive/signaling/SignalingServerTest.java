package dev.rcdrive.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.rcdrive.protocol.ErrorCode;
import dev.rcdrive.protocol.SignalMessage;
import dev.rcdrive.protocol.SignalMessage.Answer;
import dev.rcdrive.protocol.SignalMessage.Bye;
import dev.rcdrive.protocol.SignalMessage.Candidate;
import dev.rcdrive.protocol.SignalMessage.CarInfo;
import dev.rcdrive.protocol.SignalMessage.Cars;
import dev.rcdrive.protocol.SignalMessage.Drive;
import dev.rcdrive.protocol.SignalMessage.Granted;
import dev.rcdrive.protocol.SignalMessage.Hello;
import dev.rcdrive.protocol.SignalMessage.ListCars;
import dev.rcdrive.protocol.SignalMessage.Offer;
import dev.rcdrive.protocol.SignalMessage.Released;
import dev.rcdrive.protocol.SignalMessage.ServerError;
import dev.rcdrive.protocol.SignalMessage.Welcome;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.java_websocket.framing.CloseFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The Java-WebSocket adapter: a real server on an ephemeral loopback port, real WebSocket clients.
 * What a message means is {@link HubTest}'s; the limits are {@link AdmissionTest}'s. Here: that the
 * adapter carries both to the wire — close codes and reasons, frames the WebSocket layer cuts off,
 * deadlines and pings on the injected clock, the cars push, stats, shutdown. The server's time is a
 * {@link VirtualTime}: no timeout fires unless a test advances it, so a busy machine cannot make
 * one fire early.
 */
class SignalingServerTest {

  static final String TURN_SECRET = "north-pole-secret";
  static final Instant NOW = Instant.ofEpochSecond(1_700_000_000L);

  private final VirtualTime time = new VirtualTime(NOW);
  private SignalingServer server;
  private final List<WsTestClient> clients = new ArrayList<>();

  static SignalingConfig config() {
    return new SignalingConfig(
        "127.0.0.1",
        0,
        null,
        List.of(
            new SignalingConfig.Car("buggy", "Red buggy", "buggy-key"),
            new SignalingConfig.Car("truck", null, "truck-key")),
        List.of(
            new SignalingConfig.Driver("alice", "alice-token"),
            new SignalingConfig.Driver("bob", "bob-token")),
        List.of(
            new SignalingConfig.IceServerConfig(
                List.of("stun:127.0.0.1:3478"), null, null, null, null),
            new SignalingConfig.IceServerConfig(
                List.of("turn:127.0.0.1:3478?transport=udp"), null, null, TURN_SECRET, 3600L)),
        SignalingConfig.Limits.defaults().withRate(20, 20).withMaxConnectionsPerAddress(12));
  }

  @BeforeEach
  void start() throws Exception {
    server = SignalingServer.start(config(), time.clock(), time);
  }

  @AfterEach
  void stop() {
    clients.forEach(WsTestClient::close);
    server.close();
  }

  WsTestClient connect() throws InterruptedException {
    WsTestClient client = WsTestClient.open(server.uri());
    clients.add(client);
    return client;
  }

  WsTestClient car(String id, String key) throws Exception {
    WsTestClient car = connect();
    car.sendMessage(Hello.car(id, key, "test-car"));
    car.welcome = car.next(Welcome.class);
    return car;
  }

  WsTestClient driver(String token) throws Exception {
    WsTestClient driver = connect();
    driver.sendMessage(Hello.driver(token, "test-driver"));
    driver.welcome = driver.next(Welcome.class);
    return driver;
  }

  static void assertError(SignalMessage message, ErrorCode code) {
    assertThat(message).isInstanceOf(ServerError.class);
    ServerError error = (ServerError) message;
    assertThat(error.code()).isEqualTo(code.name());
    assertThat(error.message()).isNotBlank();
  }

  @Test
  void carAndDriverMeetAndExchangeOfferAnswerAndCandidatesInOrder() throws Exception {
    WsTestClient car = car("buggy", "buggy-key");
    WsTestClient driver = driver("alice-token");

    driver.sendMessage(new Drive("buggy"));
    Granted toDriver = driver.next(Granted.class);
    Granted toCar = car.next(Granted.class);
    assertThat(toDriver).isEqualTo(toCar);
    assertThat(toCar.driverName()).isEqualTo("alice");

    driver.sendMessage(new Offer("v=0 offer"));
    for (int i = 0; i < 10; i++) {
      driver.sendMessage(
          new Candidate("candidate:" + i + " 1 udp 1 127.0.0.1 " + i + " typ host", "0", 0));
    }
    driver.sendMessage(Candidate.endOfCandidates("0", 0));
    car.sendMessage(new Answer("v=0 answer"));
    car.sendMessage(new Candidate("candidate:car 1 udp 1 127.0.0.1 9 typ host", null, 0));

    Offer offer = car.next(Offer.class);
    assertThat(offer.sdp()).isEqualTo("v=0 offer");
    assertThat(offer.from()).isEqualTo(toDriver.driverId());
    for (int i = 0; i < 10; i++) {
      assertThat(car.next(Candidate.class).candidate()).startsWith("candidate:" + i + " ");
    }
    assertThat(car.next(Candidate.class).isEndOfCandidates()).isTrue();
    assertThat(driver.next(Answer.class).sdp()).isEqualTo("v=0 answer");
    Candidate fromCar = driver.next(Candidate.class);
    assertThat(fromCar.sdpMLineIndex()).isZero();
    assertThat(fromCar.from()).isEqualTo(car.welcome.peerId());
    assertThat(server.stats().relayedMessages()).isEqualTo(14);
  }

  @Test
  void welcomeHandsOutTurnCredentialsMintedOnTheInjectedClock() throws Exception {
    WsTestClient driver = driver("alice-token");

    SignalMessage.IceServer turn = driver.welcome.iceServers().get(1);
    assertThat(turn.username())
        .isEqualTo((NOW.getEpochSecond() + 3600) + ":" + driver.welcome.peerId());
    assertThat(turn.credential())
        .isEqualTo(TurnCredentials.hmacSha1Base64(TURN_SECRET, turn.username()));
  }

  @Test
  void wrongCarKeyIsRefusedWithTheReasonAndClosed() throws Exception {
    WsTestClient car = connect();
    car.sendMessage(Hello.car("buggy", "guess", "t"));

    assertError(car.next(), ErrorCode.AUTH_FAILED);
    assertThat(car.awaitClose()).isEqualTo(CloseFrame.POLICY_VALIDATION);
    assertThat(car.closeReason).isEqualTo("AUTH_FAILED");
  }

  @Test
  void silentConnectionIsClosedWhenTheAuthTimeoutHasPassed() throws Exception {
    WsTestClient silent = connect();
    // The client may see the upgrade before the server has counted it and set its deadline.
    await().atMost(Duration.ofSeconds(30)).until(() -> server.stats().openConnections() == 1);

    time.advance(Duration.ofMillis(4999));
    silent.sendMessage(new ListCars()); // a refusal that keeps it open: it was not cut off yet
    assertError(silent.next(), ErrorCode.NOT_AUTHENTICATED);
    time.advance(Duration.ofMillis(1));

    assertError(silent.next(), ErrorCode.AUTH_TIMEOUT);
    assertThat(silent.awaitClose()).isEqualTo(CloseFrame.POLICY_VALIDATION);
    assertThat(silent.closeReason).isEqualTo("AUTH_TIMEOUT");
  }

  @Test
  void authenticatedConnectionOutlivesTheAuthTimeout() throws Exception {
    WsTestClient driver = driver("bob-token");

    time.advance(Duration.ofSeconds(10));

    driver.sendMessage(new ListCars());
    assertThat(driver.next(Cars.class).cars()).hasSize(2);
    assertThat(driver.isOpen()).isTrue();
  }

  @Test
  void unfinishedHandshakeIsCutOffAtTheAuthTimeout() throws Exception {
    int waiting = time.pending();
    try (Socket raw = new Socket("127.0.0.1", server.port())) {
      raw.getOutputStream()
          .write("GET / HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
      raw.setSoTimeout(30_000);
      await().atMost(Duration.ofSeconds(30)).until(() -> time.pending() > waiting); // accepted

      time.advance(Duration.ofSeconds(5));

      assertThat(raw.getInputStream().read()).as("closed by the server").isEqualTo(-1);
    }
    assertThat(server.stats().refusals()).containsEntry(ErrorCode.AUTH_TIMEOUT, 1L);
  }

  @Test
  void oversizedMessageIsRefusedAndTheServerStaysUp() throws Exception {
    WsTestClient driver = driver("alice-token");
    driver.send("{\"type\":\"offer\",\"sdp\":\"" + "x".repeat(70 * 1024) + "\"}");

    assertError(driver.next(), ErrorCode.TOO_LARGE);
    assertThat(driver.awaitClose()).isEqualTo(CloseFrame.TOOBIG);

    WsTestClient next = driver("bob-token");
    next.sendMessage(new ListCars());
    assertThat(next.next(Cars.class).cars()).hasSize(2);
  }

  @Test
  void hugeFrameIsCutOffByTheWebSocketLayer() throws Exception {
    WsTestClient driver = driver("alice-token");
    driver.send("x".repeat(1024 * 1024));

    // 1009 when the close handshake completes; 1006 when the server's close, with most of the
    // megabyte still unread, reaches the client as a TCP reset first. Either way it is cut off.
    assertThat(driver.awaitClose()).isIn(CloseFrame.TOOBIG, CloseFrame.ABNORMAL_CLOSE);
    assertThat(driver("bob-token").isOpen()).isTrue();
  }

  @Test
  void nonJsonUnknownTypesAndBinaryFramesAreRefusedButTheConnectionStays() throws Exception {
    WsTestClient driver = driver("alice-token");

    driver.send("this is not json");
    ServerError notJson = driver.next(ServerError.class);
    driver.send("{\"type\":\"teleport\"}");
    ServerError unknown = driver.next(ServerError.class);
    driver.send(ByteBuffer.wrap(new byte[] {1, 2, 3}));
    ServerError binary = driver.next(ServerError.class);

    assertThat(notJson.code()).isEqualTo("BAD_MESSAGE");
    assertThat(notJson.message()).startsWith("not valid JSON");
    assertThat(unknown.message()).isEqualTo("unknown type 'teleport'");
    assertThat(binary.message()).startsWith("binary frames are not part of the protocol");
    driver.sendMessage(new ListCars());
    assertThat(driver.next(Cars.class).cars())
        .extracting(CarInfo::carId)
        .containsExactly("buggy", "truck");
  }

  @Test
  void floodIsRateLimitedThenClosed() throws Exception {
    server.close();
    // The clock stands still: no token refills while the test sends, so the counts are exact.
    server =
        SignalingServer.start(
            config().withLimits(config().limits().withRate(1, 20)), time.clock(), time);
    WsTestClient driver = driver("alice-token"); // hello took one token: 19 left

    for (int i = 0; i < 19; i++) {
      driver.sendMessage(new ListCars());
      driver.next(Cars.class);
    }
    driver.sendMessage(new ListCars());
    ServerError warning = driver.next(ServerError.class);
    // Nineteen more dropped in a row make twenty: the server gives up on this client. Sending
    // no more than that keeps the close clean (no unread data for the kernel to reset).
    for (int i = 0; i < 19; i++) {
      driver.sendMessage(new ListCars());
    }

    assertThat(warning.code()).isEqualTo("RATE_LIMITED");
    assertThat(warning.message()).isEqualTo("over 1 messages/s: message dropped");
    ServerError closing = driver.next(ServerError.class);
    assertThat(closing.message()).isEqualTo("kept sending over 1 messages/s");
    assertThat(driver.awaitClose()).isEqualTo(CloseFrame.POLICY_VALIDATION);
    assertThat(server.stats().refusals().get(ErrorCode.RATE_LIMITED)).isEqualTo(2);
  }

  @Test
  void binaryFloodIsRateLimitedThenClosed() throws Exception {
    server.close();
    server =
        SignalingServer.start(
            config().withLimits(config().limits().withRate(1, 20)), time.clock(), time);
    WsTestClient driver = driver("alice-token");

    for (int i = 0; i < 39; i++) {
      driver.send(ByteBuffer.wrap(new byte[] {7}));
    }

    assertThat(driver.awaitClose()).isEqualTo(CloseFrame.POLICY_VALIDATION);
    assertThat(server.stats().refusals().get(ErrorCode.BAD_MESSAGE)).isEqualTo(19);
  }

  @Test
  void tooManyConnectionsFromOneAddressAreRefused() throws Exception {
    for (int i = 0; i < 12; i++) {
      driver(i % 2 == 0 ? "alice-token" : "bob-token");
    }

    WsTestClient extra = WsTestClient.openMayBeRefused(server.uri());
    clients.add(extra);

    assertError(extra.next(), ErrorCode.TOO_MANY_CONNECTIONS);
    assertThat(extra.awaitClose()).isEqualTo(CloseFrame.POLICY_VALIDATION);
  }

  /** Issue #15: wrong tokens cost nothing. Now a few are free, then the address waits. */
  @Test
  void failedLoginsBlockTheAddressForAWhileAndTheWarningNamesItButNoSecret() throws Exception {
    Logger admissionLog = (Logger) LoggerFactory.getLogger(Admission.class);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    admissionLog.addAppender(logs);
    try {
      for (int i = 0; i < 6; i++) {
        WsTestClient guess = connect();
        guess.sendMessage(Hello.driver("guess-" + i, "t"));
        assertError(guess.next(), ErrorCode.AUTH_FAILED);
        guess.awaitClose();
      }

      WsTestClient right = connect();
      right.sendMessage(Hello.driver("alice-token", "t"));
      ServerError blocked = right.next(ServerError.class);
      assertThat(blocked.code()).isEqualTo("AUTH_BLOCKED");
      assertThat(blocked.message()).endsWith("try again in 1 s");
      assertThat(right.awaitClose()).isEqualTo(CloseFrame.TRY_AGAIN_LATER);
      assertThat(right.closeReason).isEqualTo("AUTH_BLOCKED");

      time.advance(Duration.ofSeconds(1));
      driver("alice-token"); // the block is over: the right token is welcome
    } finally {
      admissionLog.detachAppender(logs);
    }
    List<ILoggingEvent> warnings =
        logs.list.stream().filter(e -> e.getLevel() == Level.WARN).toList();
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0).getFormattedMessage())
        .contains("6 failed logins from 127.0.0.1")
        .contains("for 1 s");
    assertThat(logs.list)
        .filteredOn(e -> e.getLevel() == Level.INFO)
        .hasSize(5)
        .allMatch(e -> e.getFormattedMessage().contains("127.0.0.1"));
    assertThat(logs.list).noneMatch(e -> e.getFormattedMessage().contains("guess-"));
    assertThat(server.stats().refusals())
        .containsEntry(ErrorCode.AUTH_FAILED, 6L)
        .containsEntry(ErrorCode.AUTH_BLOCKED, 1L);
  }

  /** Issue #14: failed on a busy machine when the 400 ms auth timeout ran on the wall clock. */
  @Test
  void driverDisconnectReleasesTheLockAndTellsTheCar() throws Exception {
    WsTestClient car = car("buggy", "buggy-key");
    WsTestClient alice = driver("alice-token");
    alice.sendMessage(new Drive("buggy"));
    Granted granted = car.next(Granted.class);

    alice.closeBlocking();

    Released released = car.next(Released.class);
    assertThat(released.driverId()).isEqualTo(granted.driverId());
    assertThat(released.reason()).isEqualTo("driver disconnected");
    WsTestClient bob = driver("bob-token");
    bob.sendMessage(new Drive("buggy"));
    bob.next(Granted.class);
  }

  @Test
  void driverByeReleasesTheLockAndClosesNormally() throws Exception {
    WsTestClient car = car("buggy", "buggy-key");
    WsTestClient alice = driver("alice-token");
    alice.sendMessage(new Drive("buggy"));
    car.next(Granted.class);

    alice.sendMessage(new Bye("done"));

    assertThat(car.next(Released.class).reason()).isEqualTo("driver left");
    assertThat(alice.awaitClose()).isEqualTo(CloseFrame.NORMAL);
  }

  /**
   * Regression: the server closed connections while holding its lock, and Java-WebSocket calls
   * onClose holding the connection's monitor; a client closing at the same moment deadlocked the
   * hub. Each round races the server's close (after bye) against the client's own close.
   */
  @Test
  void byeRacingTheClientsOwnCloseNeverDeadlocks() throws Exception {
    WsTestClient car = car("buggy", "buggy-key");
    assertTimeoutPreemptively(
        Duration.ofSeconds(120),
        () -> {
          for (int round = 0; round < 40; round++) {
            WsTestClient driver = driver(round % 2 == 0 ? "alice-token" : "bob-token");
            driver.sendMessage(new Drive("buggy"));
            car.next(Granted.class);
            driver.sendMessage(new Bye("round " + round));
            driver.close();
            car.next(Released.class);
            clients.remove(driver);
          }
        });
    assertThat(server.stats().drivenCars()).isZero();
  }

  /**
   * Pings every 20 s (on the virtual clock): the car answers, a hand-made driver never does and is
   * dropped once 1.5 intervals pass without a pong, which releases its lock.
   */
  @Test
  void deadConnectionIsDetectedByPingAndItsLockReleased() throws Exception {
    WsTestClient car = car("buggy", "buggy-key");
    try (Socket raw = new Socket("127.0.0.1", server.port())) {
      handshakeAndHello(raw); // then never read again, never answer a ping
      car.next(Granted.class);

      time.advance(Duration.ofSeconds(20)); // first pings
      await().atMost(Duration.ofSeconds(30)).until(() -> car.pings.get() == 1);
      car.sendMessage(new ListCars()); // its answer comes after the server has read the pong
      assertError(car.next(), ErrorCode.WRONG_ROLE);
      time.advance(Duration.ofSeconds(20)); // 40 s without a pong from the driver

      Released released = car.next(Released.class);
      assertThat(released.reason()).isEqualTo("driver disconnected");
      assertThat(car.isOpen()).isTrue();
    }
  }

  /** A WebSocket client by hand, so that it can stop answering pings. */
  private static void handshakeAndHello(Socket raw) throws Exception {
    OutputStream out = raw.getOutputStream();
    out.write(
        ("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    for (String json :
        List.of(
            "{\"type\":\"hello\",\"role\":\"driver\",\"credential\":\"alice-token\",\"protocol\":1}",
            "{\"type\":\"drive\",\"carId\":\"buggy\"}")) {
      out.write(maskedTextFrame(json.getBytes(StandardCharsets.UTF_8)));
    }
    out.flush();
  }

  private static byte[] maskedTextFrame(byte[] payload) {
    ByteBuffer frame = ByteBuffer.allocate(2 + 4 + payload.length);
    frame.put((byte) 0x81).put((byte) (0x80 | payload.length));
    byte[] mask = {1, 2, 3, 4};
    frame.put(mask);
    for (int i = 0; i < payload.length; i++) {
      frame.put((byte) (payload[i] ^ mask[i % 4]));
    }
    return frame.array();
  }

  @Test
  void carListIsPushedToListeningDriversOnceTheCoalescingDelayHasPassed() throws Exception {
    WsTestClient alice = driver("alice-token");
    alice.sendMessage(new ListCars());
    assertThat(alice.next(Cars.class).cars())
        .extracting(CarInfo::online)
        .containsExactly(false, false);

    WsTestClient car = car("buggy", "buggy-key");
    time.advance(Hub.CARS_PUSH_DELAY);
    Cars online = alice.next(Cars.class);
    assertThat(online.cars().get(0)).isEqualTo(new CarInfo("buggy", "Red buggy", true, false));

    WsTestClient bob = driver("bob-token");
    bob.sendMessage(new Drive("buggy"));
    bob.next(Granted.class);
    time.advance(Hub.CARS_PUSH_DELAY);
    assertThat(alice.next(Cars.class).cars().get(0).driven()).isTrue();

    car.closeBlocking();
    await().atMost(Duration.ofSeconds(30)).until(() -> server.stats().onlineCars() == 0);
    time.advance(Hub.CARS_PUSH_DELAY);
    assertThat(alice.next(Cars.class).cars().get(0).online()).isFalse();
  }

  @Test
  void statsCountOpenConnectionsAndRefusals() throws Exception {
    car("buggy", "buggy-key");
    WsTestClient bad = connect();
    bad.sendMessage(Hello.driver("nope", "t"));
    bad.awaitClose();
    await().atMost(Duration.ofSeconds(30)).until(() -> server.stats().openConnections() == 1);

    SignalingServer.Stats stats = server.stats();

    assertThat(stats.onlineCars()).isEqualTo(1);
    assertThat(stats.openConnections()).isEqualTo(1);
    assertThat(stats.refusals()).containsEntry(ErrorCode.AUTH_FAILED, 1L);
    assertThat(Map.copyOf(stats.refusals())).doesNotContainKey(ErrorCode.INTERNAL);
  }

  @Test
  void shutdownTellsClientsWhy() throws Exception {
    WsTestClient driver = driver("alice-token");

    server.close();

    assertThat(driver.next(ServerError.class).code()).isEqualTo("SERVER_SHUTDOWN");
    assertThat(driver.awaitClose()).isEqualTo(CloseFrame.GOING_AWAY);
  }
}
