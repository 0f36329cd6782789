package dev.rcdrive.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.rcdrive.protocol.ErrorCode;
import dev.rcdrive.protocol.SignalMessage;
import dev.rcdrive.protocol.SignalMessage.Answer;
import dev.rcdrive.protocol.SignalMessage.Bye;
import dev.rcdrive.protocol.SignalMessage.Candidate;
import dev.rcdrive.protocol.SignalMessage.CarInfo;
import dev.rcdrive.protocol.SignalMessage.Cars;
import dev.rcdrive.protocol.SignalMessage.Denied;
import dev.rcdrive.protocol.SignalMessage.Drive;
import dev.rcdrive.protocol.SignalMessage.Granted;
import dev.rcdrive.protocol.SignalMessage.Hello;
import dev.rcdrive.protocol.SignalMessage.ListCars;
import dev.rcdrive.protocol.SignalMessage.Offer;
import dev.rcdrive.protocol.SignalMessage.Release;
import dev.rcdrive.protocol.SignalMessage.Released;
import dev.rcdrive.protocol.SignalMessage.ServerError;
import dev.rcdrive.protocol.SignalMessage.Welcome;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.java_websocket.framing.CloseFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A real server on an ephemeral loopback port, real WebSocket clients. */
class SignalingServerTest {

  static final String TURN_SECRET = "north-pole-secret";
  static final Instant NOW = Instant.ofEpochSecond(1_700_000_000L);

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
        SignalingConfig.Limits.defaults()
            .withAuthTimeoutMillis(400)
            .withRate(20, 20)
            .withMaxConnectionsPerAddress(12));
  }

  @BeforeEach
  void start() throws Exception {
    server = SignalingServer.start(config(), Clock.fixed(NOW, ZoneOffset.UTC));
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
  void welcomeHandsOutStunAndMintedTurnCredentials() throws Exception {
    WsTestClient driver = connect();
    driver.sendMessage(Hello.driver("alice-token", "t"));

    Welcome welcome = driver.next(Welcome.class);

    assertThat(welcome.protocol()).isEqualTo(SignalMessage.PROTOCOL_VERSION);
    assertThat(welcome.iceServers()).hasSize(2);
    assertThat(welcome.iceServers().get(0).urls()).containsExactly("stun:127.0.0.1:3478");
    assertThat(welcome.iceServers().get(0).username()).isNull();
    SignalMessage.IceServer turn = welcome.iceServers().get(1);
    assertThat(turn.username()).isEqualTo((NOW.getEpochSecond() + 3600) + ":" + welcome.peerId());
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
  void unknownCarIsRefusedLikeAWrongKey() throws Exception {
    WsTestClient car = connect();
    car.sendMessage(Hello.car("ghost", "buggy-key", "t"));

    ServerError error = car.next(ServerError.class);
    assertThat(error.code()).isEqualTo("AUTH_FAILED");
    assertThat(error.message()).isEqualTo("wrong car id or key");
    assertThat(car.awaitClose()).isEqualTo(CloseFrame.POLICY_VALIDATION);
  }

  @Test
  void wrongDriverTokenIsRefusedAndClosed() throws Exception {
    WsTestClient driver = connect();
    driver.sendMessage(Hello.driver("alice-token-x", "t"));

    assertError(driver.next(), ErrorCode.AUTH_FAILED);
    assertThat(driver.awaitClose()).isEqualTo(CloseFrame.POLICY_VALIDATION);
  }

  @Test
  void silentConnectionIsClosedAfterTheAuthTimeout() throws Exception {
    WsTestClient silent = connect();

    assertError(silent.next(), ErrorCode.AUTH_TIMEOUT);
    assertThat(silent.awaitClose()).isEqualTo(CloseFrame.POLICY_VALIDATION);
    assertThat(silent.closeReason).isEqualTo("AUTH_TIMEOUT");
  }

  @Test
  void authenticatedConnectionOutlivesTheAuthTimeout() throws Exception {
    WsTestClient driver = driver("bob-token");

    driver.expectSilence(700);
    assertThat(driver.isOpen()).isTrue();
  }

  @Test
  void anythingBeforeHelloIsRefused() throws Exception {
    WsTestClient client = connect();
    client.sendMessage(new Drive("buggy"));

    assertError(client.next(), ErrorCode.NOT_AUTHENTICATED);
  }

  @Test
  void protocolVersionMismatchIsRefusedAndClosed() throws Exception {
    WsTestClient client = connect();
    client.sendMessage(
        new Hello(dev.rcdrive.protocol.Role.DRIVER, null, "alice-token", "t", 99, null));

    ServerError error = client.next(ServerError.class);
    assertThat(error.code()).isEqualTo("PROTOCOL_VERSION");
    assertThat(error.message()).contains("protocol 1").contains("99");
    assertThat(client.awaitClose()).isEqualTo(CloseFrame.POLICY_VALIDATION);
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
  void nonJsonAndUnknownTypesAreRefusedButTheConnectionStays() throws Exception {
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
    // Frozen time: no token refills while the test sends, so the counts below are exact.
    server =
        SignalingServer.start(
            config().withLimits(config().limits().withRate(1, 20)),
            Clock.fixed(NOW, ZoneOffset.UTC),
            () -> 42L);
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
  void burstWithinTheLimitIsServed() throws Exception {
    WsTestClient driver = driver("alice-token");

    for (int i = 0; i < 15; i++) {
      driver.sendMessage(new ListCars());
    }

    for (int i = 0; i < 15; i++) {
      driver.next(Cars.class);
    }
  }

  @Test
  void tooManyConnectionsFromOneAddressAreRefused() throws Exception {
    for (int i = 0; i < 12; i++) {
      driver(
          i % 2 == 0 ? "alice-token" : "bob-token"); // authenticated: the auth timeout frees none
    }

    WsTestClient extra = WsTestClient.openMayBeRefused(server.uri());
    clients.add(extra);

    assertError(extra.next(), ErrorCode.TOO_MANY_CONNECTIONS);
    assertThat(extra.awaitClose()).isEqualTo(CloseFrame.POLICY_VALIDATION);
  }

  @Test
  void secondDriverIsDeniedThenAdmittedAfterRelease() throws Exception {
    WsTestClient car = car("buggy", "buggy-key");
    WsTestClient alice = driver("alice-token");
    WsTestClient bob = driver("bob-token");
    alice.sendMessage(new Drive("buggy"));
    alice.next(Granted.class);
    car.next(Granted.class);

    bob.sendMessage(new Drive("buggy"));
    Denied denied = bob.next(Denied.class);
    assertThat(denied.code()).isEqualTo("CAR_BUSY");
    assertThat(denied.reason()).isEqualTo("Red buggy is being driven by alice");

    bob.sendMessage(new Offer("sneaky"));
    assertError(bob.next(), ErrorCode.NOT_PAIRED);
    car.expectSilence(200);

    alice.sendMessage(new Release(null));
    assertThat(alice.next(Released.class).reason()).isEqualTo("released by the driver");
    assertThat(car.next(Released.class).carId()).isEqualTo("buggy");

    bob.sendMessage(new Drive("buggy"));
    assertThat(bob.next(Granted.class).driverName()).isEqualTo("bob");
    assertThat(car.next(Granted.class).driverName()).isEqualTo("bob");
  }

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
        java.time.Duration.ofSeconds(30),
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

  @Test
  void deadConnectionIsDetectedByPingAndItsLockReleased() throws Exception {
    server.close();
    server =
        SignalingServer.start(config().withLimits(config().limits().withPingIntervalSeconds(1)));
    WsTestClient car = car("buggy", "buggy-key");
    try (Socket raw = new Socket("127.0.0.1", server.port())) {
      handshakeAndHello(raw); // then never read again, never answer a ping
      car.next(Granted.class);

      Released released = car.next(Released.class);

      assertThat(released.reason()).isEqualTo("driver disconnected");
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
  void carReconnectReplacesTheOldConnectionAndKeepsItsDriver() throws Exception {
    WsTestClient oldCar = car("buggy", "buggy-key");
    WsTestClient alice = driver("alice-token");
    alice.sendMessage(new Drive("buggy"));
    Granted granted = alice.next(Granted.class);
    oldCar.next(Granted.class);

    WsTestClient newCar = car("buggy", "buggy-key");

    ServerError replaced = oldCar.next(ServerError.class);
    assertThat(replaced.code()).isEqualTo("REPLACED");
    assertThat(oldCar.awaitClose()).isEqualTo(CloseFrame.POLICY_VALIDATION);
    assertThat(newCar.next(Granted.class)).isEqualTo(granted);
    alice.sendMessage(new Offer("again"));
    assertThat(newCar.next(Offer.class).sdp()).isEqualTo("again");
    assertThat(server.stats().onlineCars()).isEqualTo(1);
  }

  @Test
  void driveRequestsForUnknownOrOfflineCarsAreDeniedWithTheReason() throws Exception {
    WsTestClient alice = driver("alice-token");

    alice.sendMessage(new Drive("ghost"));
    Denied unknown = alice.next(Denied.class);
    alice.sendMessage(new Drive("truck"));
    Denied offline = alice.next(Denied.class);

    assertThat(unknown.code()).isEqualTo("UNKNOWN_CAR");
    assertThat(offline.code()).isEqualTo("CAR_OFFLINE");
    assertThat(offline.reason()).isEqualTo("truck is offline");
  }

  @Test
  void driverHoldsOneCarAtATime() throws Exception {
    car("buggy", "buggy-key");
    car("truck", "truck-key");
    WsTestClient alice = driver("alice-token");
    alice.sendMessage(new Drive("buggy"));
    alice.next(Granted.class);

    alice.sendMessage(new Drive("truck"));

    Denied denied = alice.next(Denied.class);
    assertThat(denied.code()).isEqualTo("ALREADY_DRIVING");
    assertThat(denied.reason()).contains("buggy");
  }

  @Test
  void carsMayNotAskToDriveAndDriversMayNotRelayWithoutALock() throws Exception {
    WsTestClient car = car("buggy", "buggy-key");
    WsTestClient alice = driver("alice-token");

    car.sendMessage(new Drive("truck"));
    assertError(car.next(), ErrorCode.WRONG_ROLE);
    car.sendMessage(new Offer("no driver"));
    ServerError noDriver = car.next(ServerError.class);
    alice.sendMessage(new Candidate("candidate:x", "0", 0));
    ServerError noCar = alice.next(ServerError.class);
    alice.sendMessage(new Welcome("me", List.of(), null, 1));
    ServerError serverOnly = alice.next(ServerError.class);

    assertThat(noDriver.code()).isEqualTo("NOT_PAIRED");
    assertThat(noCar.code()).isEqualTo("NOT_PAIRED");
    assertThat(serverOnly.code()).isEqualTo("WRONG_ROLE");
    assertThat(server.stats().relayedMessages()).isZero();
  }

  @Test
  void secondHelloIsRefused() throws Exception {
    WsTestClient alice = driver("alice-token");

    alice.sendMessage(Hello.driver("bob-token", "t"));

    assertError(alice.next(), ErrorCode.ALREADY_AUTHENTICATED);
  }

  @Test
  void carListIsPushedToListeningDriversWhenItChanges() throws Exception {
    WsTestClient alice = driver("alice-token");
    alice.sendMessage(new ListCars());
    assertThat(alice.next(Cars.class).cars())
        .extracting(CarInfo::online)
        .containsExactly(false, false);

    WsTestClient car = car("buggy", "buggy-key");
    Cars online = alice.next(Cars.class);
    assertThat(online.cars().get(0)).isEqualTo(new CarInfo("buggy", "Red buggy", true, false));

    WsTestClient bob = driver("bob-token");
    bob.sendMessage(new Drive("buggy"));
    assertThat(alice.next(Cars.class).cars().get(0).driven()).isTrue();

    car.closeBlocking();
    assertThat(alice.next(Cars.class).cars().get(0).online()).isFalse();
  }

  @Test
  void statsCountOpenConnectionsAndRefusals() throws Exception {
    car("buggy", "buggy-key");
    WsTestClient bad = connect();
    bad.sendMessage(Hello.driver("nope", "t"));
    bad.awaitClose();
    await()
        .atMost(java.time.Duration.ofSeconds(5))
        .until(() -> server.stats().openConnections() == 1);

    SignalingServer.Stats stats = server.stats();

    assertThat(stats.onlineCars()).isEqualTo(1);
    assertThat(stats.openConnections()).isEqualTo(1);
    assertThat(stats.refusals()).containsEntry(ErrorCode.AUTH_FAILED, 1L);
    assertThat(Map.copyOf(stats.refusals())).doesNotContainKey(ErrorCode.INTERNAL);
  }

  @Test
  void binaryFloodIsRateLimitedThenClosed() throws Exception {
    server.close();
    server =
        SignalingServer.start(
            config().withLimits(config().limits().withRate(1, 20)),
            Clock.fixed(NOW, ZoneOffset.UTC),
            () -> 42L);
    WsTestClient driver = driver("alice-token");

    for (int i = 0; i < 39; i++) {
      driver.send(ByteBuffer.wrap(new byte[] {7}));
    }

    assertThat(driver.awaitClose()).isEqualTo(CloseFrame.POLICY_VALIDATION);
    assertThat(server.stats().refusals().get(ErrorCode.BAD_MESSAGE)).isEqualTo(19);
  }

  @Test
  void unfinishedHandshakeIsCutOffAtTheAuthTimeout() throws Exception {
    try (Socket raw = new Socket("127.0.0.1", server.port())) {
      raw.getOutputStream()
          .write("GET / HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
      raw.setSoTimeout(5000);

      assertThat(raw.getInputStream().read()).as("closed by the server").isEqualTo(-1);
    }
    assertThat(server.stats().refusals()).containsEntry(ErrorCode.AUTH_TIMEOUT, 1L);
  }

  @Test
  void reconnectingDriverResumesItsLockWhileTheOldConnectionLingers() throws Exception {
    WsTestClient car = car("buggy", "buggy-key");
    WsTestClient old = connect();
    old.sendMessage(Hello.driver("alice-token", "t"));
    Welcome first = old.next(Welcome.class);
    old.sendMessage(new Drive("buggy"));
    old.next(Granted.class);
    car.next(Granted.class);
    assertThat(first.resumeToken()).isNotBlank();

    WsTestClient resumed = connect();
    resumed.sendMessage(
        Hello.driver("alice-token", "t").resuming(first.peerId(), first.resumeToken()));
    Welcome second = resumed.next(Welcome.class);

    Granted toCar = car.next(Granted.class);
    assertThat(toCar.driverId()).isEqualTo(second.peerId());
    assertThat(old.next(ServerError.class).code()).isEqualTo("REPLACED");
    resumed.sendMessage(new Offer("after the blip"));
    assertThat(car.next(Offer.class).from()).isEqualTo(second.peerId());
  }

  @Test
  void wrongResumeTokenTakesNothing() throws Exception {
    WsTestClient car = car("buggy", "buggy-key");
    WsTestClient alice = connect();
    alice.sendMessage(Hello.driver("alice-token", "t"));
    Welcome first = alice.next(Welcome.class);
    alice.sendMessage(new Drive("buggy"));
    car.next(Granted.class);

    WsTestClient thief = connect();
    thief.sendMessage(Hello.driver("bob-token", "t").resuming(first.peerId(), "guessed"));
    thief.next(Welcome.class);
    thief.sendMessage(new Drive("buggy"));

    assertThat(thief.next(Denied.class).code()).isEqualTo("CAR_BUSY");
    assertThat(alice.isOpen()).isTrue();
  }

  @Test
  void shutdownTellsClientsWhy() throws Exception {
    WsTestClient driver = driver("alice-token");

    server.close();

    assertThat(driver.next(ServerError.class).code()).isEqualTo("SERVER_SHUTDOWN");
    assertThat(driver.awaitClose()).isEqualTo(CloseFrame.GOING_AWAY);
  }

  @Test
  void ipv6ClientsAreCountedByTheirSlash64() throws Exception {
    assertThat(Session.addressKey(java.net.InetAddress.getByName("2001:db8:1:2:aaaa::1")))
        .isEqualTo(Session.addressKey(java.net.InetAddress.getByName("2001:db8:1:2:ffff::9")))
        .isEqualTo("2001:db8:1:2::/64");
    assertThat(Session.addressKey(java.net.InetAddress.getByName("192.0.2.7")))
        .isEqualTo("192.0.2.7");
  }
}
