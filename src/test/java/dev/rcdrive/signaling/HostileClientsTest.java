package dev.rcdrive.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rcdrive.protocol.Decoded;
import dev.rcdrive.protocol.ErrorCode;
import dev.rcdrive.protocol.SignalCodec;
import dev.rcdrive.protocol.SignalMessage;
import dev.rcdrive.protocol.SignalMessage.Answer;
import dev.rcdrive.protocol.SignalMessage.Bye;
import dev.rcdrive.protocol.SignalMessage.Candidate;
import dev.rcdrive.protocol.SignalMessage.Cars;
import dev.rcdrive.protocol.SignalMessage.Denied;
import dev.rcdrive.protocol.SignalMessage.Drive;
import dev.rcdrive.protocol.SignalMessage.Granted;
import dev.rcdrive.protocol.SignalMessage.Hello;
import dev.rcdrive.protocol.SignalMessage.ListCars;
import dev.rcdrive.protocol.SignalMessage.Offer;
import dev.rcdrive.protocol.SignalMessage.Release;
import dev.rcdrive.protocol.SignalMessage.ServerError;
import dev.rcdrive.protocol.SignalMessage.Welcome;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.java_websocket.framing.CloseFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The signaling server against hostile clients, on a real server on loopback. After every attack a
 * legitimate car/driver pair, connected before it started, must still relay both ways, and every
 * refusal must carry an error code and a message. The numbers tried are in the test names.
 */
class HostileClientsTest {

  private static final long SEED = 0x5EC0_0008L;

  /** A deadline for an outcome, not a timeout under test: generous, for a busy machine. */
  private static final Duration OUTCOME = Duration.ofSeconds(120);

  /** The server's clock: it stands still unless a test moves it, so counts are exact. */
  private final VirtualTime time = new VirtualTime();

  private SignalingServer server;
  private WsTestClient car;
  private WsTestClient driver;
  private final List<WsTestClient> clients = new ArrayList<>();
  private final List<RawWs> raws = new ArrayList<>();
  private int probes;

  private static SignalingConfig config(SignalingConfig.Limits limits) {
    return new SignalingConfig(
        "127.0.0.1",
        0,
        null,
        List.of(
            new SignalingConfig.Car("buggy", "Red buggy", "buggy-key-0123456789"),
            new SignalingConfig.Car("truck", null, "truck-key-0123456789")),
        List.of(
            new SignalingConfig.Driver("alice", "alice-token-0123456789"),
            new SignalingConfig.Driver("mallory", "mallory-token-0123456789")),
        List.of(),
        limits);
  }

  private static SignalingConfig.Limits limits(
      int perSecond, int burst, int perAddress, long authTimeoutMillis, int maxConnections) {
    return new SignalingConfig.Limits(
        null, perSecond, burst, perAddress, authTimeoutMillis, null, maxConnections);
  }

  /** Starts the server and connects the legitimate pair: buggy, driven by alice. */
  private void start(SignalingConfig.Limits limits) throws Exception {
    server = SignalingServer.start(config(limits), time.clock(), time);
    car = connect();
    car.sendMessage(Hello.car("buggy", "buggy-key-0123456789", "legit-car"));
    car.next(Welcome.class);
    driver = connect();
    driver.sendMessage(Hello.driver("alice-token-0123456789", "legit-driver"));
    driver.welcome = driver.next(Welcome.class);
    driver.sendMessage(new Drive("buggy"));
    driver.next(Granted.class);
    car.next(Granted.class);
    assertPairStillRelays();
  }

  @AfterEach
  void stop() {
    raws.forEach(RawWs::close);
    clients.forEach(WsTestClient::close);
    if (server != null) {
      server.close();
    }
  }

  private WsTestClient connect() throws InterruptedException {
    WsTestClient client = WsTestClient.open(server.uri());
    clients.add(client);
    return client;
  }

  private RawWs raw(InetAddress from) throws Exception {
    RawWs ws = RawWs.open(from, server.port());
    raws.add(ws);
    return ws;
  }

  private static InetAddress loopback(int last) throws Exception {
    return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last});
  }

  /** An offer one way and an answer back, each arriving intact, from the right peer. */
  private void assertPairStillRelays() throws Exception {
    String sdp = "probe-" + probes++;
    driver.sendMessage(new Offer(sdp));
    Offer offer = car.nextOf(Offer.class);
    assertThat(offer.sdp()).isEqualTo(sdp);
    assertThat(offer.from()).isEqualTo(driver.welcome.peerId());
    car.sendMessage(new Answer("re-" + sdp));
    assertThat(driver.nextOf(Answer.class).sdp()).isEqualTo("re-" + sdp);
  }

  /**
   * Nothing was queued to {@code client} before now: what it asks now is the next thing it gets.
   * Everything the attackers sent was answered before this is called, so anything of theirs that
   * reached the client would have been queued to it first. No waiting for silence.
   */
  private static void assertNothingReached(WsTestClient client) throws Exception {
    client.sendMessage(new Release(null)); // a car may not: refused at once
    ServerError refusal = client.next(ServerError.class);
    assertThat(refusal.code()).isEqualTo("WRONG_ROLE");
  }

  private static void assertRefusal(RawWs.Frame frame, ErrorCode code) {
    assertThat(frame).as("a refusal " + code).isNotNull();
    SignalMessage message = SignalCodec.decode(frame.text()).orElseThrow();
    assertThat(message).isInstanceOf(ServerError.class);
    assertThat(((ServerError) message).code()).isEqualTo(code.name());
    assertThat(((ServerError) message).message()).isNotBlank();
  }

  private static void assertClosed(RawWs ws, int code, ErrorCode reason) throws Exception {
    RawWs.Frame close = ws.next();
    assertThat(close).isNotNull();
    assertThat(close.isClose()).as("a close frame, not " + close.text()).isTrue();
    assertThat(close.closeCode()).isEqualTo(code);
    assertThat(close.text()).isEqualTo(reason.name());
  }

  // ---- fuzzed JSON ---------------------------------------------------------------------------

  private enum Phase {
    UNAUTHENTICATED,
    DRIVER,
    CAR
  }

  /**
   * What the server must answer, from what our own codec makes of the text: the codec is tested on
   * its own; here the point is that the server answers every message, correctly, and survives.
   */
  private static Set<String> expected(Phase phase, String text) {
    if (text.getBytes(StandardCharsets.UTF_8).length > 64 * 1024) {
      return Set.of("TOO_LARGE");
    }
    Decoded<SignalMessage> decoded = SignalCodec.decode(text);
    if (!decoded.isOk()) {
      return Set.of("BAD_MESSAGE");
    }
    SignalMessage message = decoded.orElseThrow();
    if (phase == Phase.UNAUTHENTICATED) {
      return message instanceof Hello
          ? Set.of("AUTH_FAILED", "PROTOCOL_VERSION")
          : Set.of("NOT_AUTHENTICATED");
    }
    if (message instanceof Hello) {
      return Set.of("ALREADY_AUTHENTICATED");
    }
    if (message instanceof Bye) {
      return Set.of("bye");
    }
    boolean relayed =
        message instanceof Offer || message instanceof Answer || message instanceof Candidate;
    if (phase == Phase.DRIVER) {
      if (message instanceof ListCars) {
        return Set.of("cars");
      }
      if (message instanceof Drive) {
        return Set.of("denied");
      }
      return relayed || message instanceof Release ? Set.of("NOT_PAIRED") : Set.of("WRONG_ROLE");
    }
    return relayed ? Set.of("NOT_PAIRED") : Set.of("WRONG_ROLE");
  }

  private RawWs fuzzClient(Phase phase) throws Exception {
    RawWs ws = raw(loopback(phase.ordinal() + 2));
    if (phase == Phase.DRIVER) {
      ws.sendText(SignalCodec.encode(Hello.driver("mallory-token-0123456789", "fuzz")));
      assertThat(SignalCodec.decode(ws.next().text()).orElseThrow()).isInstanceOf(Welcome.class);
    } else if (phase == Phase.CAR) {
      ws.sendText(SignalCodec.encode(Hello.car("truck", "truck-key-0123456789", "fuzz")));
      assertThat(SignalCodec.decode(ws.next().text()).orElseThrow()).isInstanceOf(Welcome.class);
    }
    return ws;
  }

  /** Sends each input and checks the one answer it must get; reconnects after a closing one. */
  private void fuzz(Phase phase, int count) throws Exception {
    JsonFuzz fuzz = new JsonFuzz(SEED + phase.ordinal());
    RawWs ws = fuzzClient(phase);
    for (int i = 0; i < count; i++) {
      String text = fuzz.next();
      Set<String> expected = expected(phase, text);
      ws.sendText(text);
      if (expected.contains("bye")) {
        assertThat(ws.next().closeCode()).isEqualTo(CloseFrame.NORMAL);
        ws = fuzzClient(phase);
        continue;
      }
      RawWs.Frame frame = ws.next();
      assertThat(frame).as("an answer to input " + i).isNotNull();
      assertThat(frame.isClose()).as("input " + i + " closed: " + frame.text()).isFalse();
      SignalMessage answer = SignalCodec.decode(frame.text()).orElseThrow();
      while (answer instanceof Cars && !expected.contains("cars")) {
        answer = SignalCodec.decode(ws.next().text()).orElseThrow(); // a push: not the answer
      }
      String got =
          answer instanceof ServerError error
              ? error.code()
              : answer instanceof Cars ? "cars" : answer instanceof Denied ? "denied" : "other";
      assertThat(got)
          .as("answer to input %d (%.80s)", i, text)
          .isIn(expected.toArray(Object[]::new));
      if (answer instanceof ServerError error) {
        assertThat(error.message()).isNotBlank();
        if (Set.of("TOO_LARGE", "AUTH_FAILED", "PROTOCOL_VERSION").contains(got)) {
          int code = got.equals("TOO_LARGE") ? CloseFrame.TOOBIG : CloseFrame.POLICY_VALIDATION;
          assertClosed(ws, code, ErrorCode.valueOf(got));
          ws = fuzzClient(phase);
        }
      }
    }
    assertThat(fuzz.counts).hasSize(JsonFuzz.Kind.values().length);
  }

  @Test
  void fuzzed3000JsonMessagesEachFromAnUnauthenticatedClientADriverAndACarAreAllAnswered()
      throws Exception {
    // The failed-login budget would answer every later hello alike (AUTH_BLOCKED, tested below);
    // here each hello must get the answer its own content deserves.
    start(limits(100_000, 100_000, 64, 60_000, 10_000).withLoginBudget(100_000, 300));

    for (Phase phase : Phase.values()) {
      fuzz(phase, 3000);
      assertPairStillRelays();
    }

    assertThat(server.stats().refusals().get(ErrorCode.BAD_MESSAGE)).isGreaterThan(3000);
    assertThat(server.stats().refusals()).doesNotContainKey(ErrorCode.INTERNAL);
  }

  // ---- floods --------------------------------------------------------------------------------

  /**
   * Ten clients from ten addresses at once, 200 messages each against a burst of 100: with the rate
   * limiter's clock standing still the counts are exact, so each must see 99 answers, the warning,
   * the closing refusal and a 1008 close, while the pair relays 40 offers meanwhile.
   */
  @Test
  void tenClientsFlooding200MessagesEachAreCutOffWhileThePairRelays() throws Exception {
    start(limits(50, 100, 64, 60_000, 10_000));
    List<RawWs> flooders = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      RawWs ws = raw(loopback(10 + i));
      ws.sendText(SignalCodec.encode(Hello.driver("mallory-token-0123456789", "flood")));
      assertThat(SignalCodec.decode(ws.next().text()).orElseThrow()).isInstanceOf(Welcome.class);
      flooders.add(ws);
    }
    String list = SignalCodec.encode(new ListCars());
    List<Thread> threads = new ArrayList<>();
    AtomicInteger failures = new AtomicInteger();
    for (RawWs ws : flooders) {
      Thread thread =
          new Thread(
              () -> {
                try {
                  for (int i = 0; i < 200; i++) {
                    ws.sendText(list);
                  }
                } catch (Exception e) {
                  failures.incrementAndGet();
                }
              });
      thread.start();
      threads.add(thread);
    }
    for (int i = 0; i < 40; i++) {
      assertPairStillRelays();
    }
    for (Thread thread : threads) {
      thread.join(120_000);
    }

    assertThat(failures).hasValue(0);
    for (RawWs ws : flooders) {
      for (int i = 0; i < 99; i++) {
        RawWs.Frame frame = ws.next();
        assertThat(SignalCodec.decode(frame.text()).orElseThrow()).isInstanceOf(Cars.class);
      }
      assertRefusal(ws.next(), ErrorCode.RATE_LIMITED);
      assertRefusal(ws.next(), ErrorCode.RATE_LIMITED);
      assertClosed(ws, CloseFrame.POLICY_VALIDATION, ErrorCode.RATE_LIMITED);
    }
    assertThat(server.stats().refusals().get(ErrorCode.RATE_LIMITED)).isEqualTo(20);
    assertPairStillRelays();
  }

  // ---- connection storms ---------------------------------------------------------------------

  private static int waitingBytes(RawWs ws) {
    try {
      return ws.available();
    } catch (Exception e) {
      return 0;
    }
  }

  /**
   * 200 unauthenticated connections from one address against a per-address limit of 64, then 1,500
   * from 30 more addresses (50 each) against a server limit of 500: every connection over a limit
   * is refused with TOO_MANY_CONNECTIONS and a reason and closed; the pair relays after each wave
   * and the server takes new clients once the storm is gone.
   */
  @Test
  void stormOf1700UnauthenticatedConnectionsIsRefusedOverTheLimitsWithReasons() throws Exception {
    start(limits(50, 100, 64, 60_000, 500));
    int threadsBefore = Thread.activeCount();

    List<RawWs> wave = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      wave.add(raw(loopback(2)));
    }
    await()
        .atMost(OUTCOME)
        .until(() -> wave.stream().filter(ws -> waitingBytes(ws) > 0).count() == 200 - 64);
    for (RawWs ws : wave) {
      if (waitingBytes(ws) > 0) {
        assertRefusal(ws.next(), ErrorCode.TOO_MANY_CONNECTIONS);
        assertClosed(ws, CloseFrame.POLICY_VALIDATION, ErrorCode.TOO_MANY_CONNECTIONS);
      }
    }
    await().atMost(OUTCOME).until(() -> server.stats().openConnections() == 2 + 64);
    assertPairStillRelays();

    List<RawWs> storm = new ArrayList<>();
    for (int i = 0; i < 1500; i++) {
      storm.add(raw(loopback(10 + i % 30)));
    }
    int room = 500 - 2 - 64;
    await()
        .atMost(OUTCOME)
        .until(() -> storm.stream().filter(ws -> waitingBytes(ws) > 0).count() == 1500 - room);
    int refused = 0;
    for (RawWs ws : storm) {
      if (waitingBytes(ws) > 0) {
        RawWs.Frame frame = ws.next();
        assertRefusal(frame, ErrorCode.TOO_MANY_CONNECTIONS);
        assertThat(SignalCodec.decode(frame.text()).orElseThrow().toString())
            .contains("server full");
        assertClosed(ws, CloseFrame.TRY_AGAIN_LATER, ErrorCode.TOO_MANY_CONNECTIONS);
        refused++;
      }
    }
    assertThat(refused).isEqualTo(1500 - room);
    assertPairStillRelays();

    raws.forEach(RawWs::close);
    await().atMost(OUTCOME).until(() -> server.stats().openConnections() == 2);
    // The server's threads are a fixed pool: a storm must not have grown them.
    assertThat(Thread.activeCount()).isLessThanOrEqualTo(threadsBefore + 2);
    WsTestClient later = connect();
    later.sendMessage(Hello.driver("mallory-token-0123456789", "after the storm"));
    later.next(Welcome.class);
    assertPairStillRelays();
  }

  /** 300 connections from 5 addresses that never say hello are all shown out after 1 s. */
  @Test
  void silent300ConnectionsAreAllClosedByTheAuthTimeout() throws Exception {
    start(limits(50, 100, 64, 1000, 10_000));
    List<RawWs> silent = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      silent.add(raw(loopback(40 + i % 5)));
    }
    await().atMost(OUTCOME).until(() -> server.stats().openConnections() == 302);

    time.advance(Duration.ofMillis(999));
    assertThat(server.stats().refusals()).doesNotContainKey(ErrorCode.AUTH_TIMEOUT);
    time.advance(Duration.ofMillis(1));

    for (RawWs ws : silent) {
      assertRefusal(ws.next(), ErrorCode.AUTH_TIMEOUT);
      assertClosed(ws, CloseFrame.POLICY_VALIDATION, ErrorCode.AUTH_TIMEOUT);
    }

    await().atMost(OUTCOME).until(() -> server.stats().openConnections() == 2);
    assertThat(server.stats().refusals().get(ErrorCode.AUTH_TIMEOUT)).isEqualTo(300);
    assertPairStillRelays();
  }

  // ---- a driver that holds no car, impostors -------------------------------------------------

  @Test
  void driverWithoutTheLockCanNeitherReachTheCarNorTakeIt() throws Exception {
    start(limits(50, 100, 64, 60_000, 10_000));
    WsTestClient mallory = connect();
    mallory.sendMessage(Hello.driver("mallory-token-0123456789", "mallory"));
    mallory.next(Welcome.class);

    List<SignalMessage> attempts =
        List.of(
            new Offer("v=0 evil"),
            new Answer("v=0 evil"),
            new Candidate("candidate:1 1 udp 1 10.0.0.1 9 typ host", "0", 0, null),
            new Release("buggy"));
    for (SignalMessage attempt : attempts) {
      mallory.sendMessage(attempt);
      ServerError error = mallory.next(ServerError.class);
      assertThat(error.code()).isEqualTo("NOT_PAIRED");
      assertThat(error.message()).isNotBlank();
    }
    mallory.sendMessage(new Drive("buggy"));
    Denied denied = mallory.next(Denied.class);
    assertThat(denied.code()).isEqualTo("CAR_BUSY");
    assertThat(denied.reason()).contains("alice");
    // Spoofing a session to resume: a guessed token takes nothing.
    WsTestClient resumer = connect();
    resumer.send(
        "{\"type\":\"hello\",\"role\":\"driver\",\"credential\":\"mallory-token-0123456789\","
            + "\"protocol\":1,\"resumePeerId\":\""
            + driver.welcome.peerId()
            + "\",\"resumeToken\":\"guessed\"}");
    resumer.next(Welcome.class);

    assertNothingReached(car); // nothing of mallory's
    assertThat(server.stats().drivenCars()).isEqualTo(1);
    assertPairStillRelays();
  }

  /**
   * 200 wrong keys for an online car (and for an unknown id) from 4 addresses: each address's first
   * 5 are refused alike ("wrong car id or key") and closed; after that its logins are blocked (the
   * clock stands still, so the block never ends) and refused without a look at the key. The real
   * car keeps its session.
   */
  @Test
  void carImpersonationWith200WrongKeysIsRefusedThenBlockedAndTheRealCarKeepsItsSession()
      throws Exception {
    start(limits(50, 100, 64, 60_000, 10_000));

    for (int i = 0; i < 200; i++) {
      RawWs ws = raw(loopback(50 + i % 4));
      String id = i % 10 == 0 ? "no-such-car" : "buggy";
      ws.sendText(SignalCodec.encode(Hello.car(id, "buggy-key-" + i, "impostor")));
      RawWs.Frame frame = ws.next();
      if (i < 4 * 6) { // the 6th failure from an address is still checked, and starts its block
        assertRefusal(frame, ErrorCode.AUTH_FAILED);
        assertThat(frame.text()).contains("wrong car id or key");
        assertClosed(ws, CloseFrame.POLICY_VALIDATION, ErrorCode.AUTH_FAILED);
      } else {
        assertRefusal(frame, ErrorCode.AUTH_BLOCKED);
        assertClosed(ws, CloseFrame.TRY_AGAIN_LATER, ErrorCode.AUTH_BLOCKED);
      }
      ws.close();
    }

    assertThat(server.stats().refusals().get(ErrorCode.AUTH_FAILED)).isEqualTo(24);
    assertThat(server.stats().refusals().get(ErrorCode.AUTH_BLOCKED)).isEqualTo(176);
    assertThat(server.stats().onlineCars()).isEqualTo(1);
    assertNothingReached(car);
    assertPairStillRelays();
  }

  /**
   * Issue #15's probe: 300 wrong driver tokens from one address used to cost nothing. With the
   * budget, 6 are looked at and the other 294 refused unseen; each block doubles (the clock moves
   * on by the block each time, as a patient guesser would wait), so the next hundred guesses would
   * take days. The right token from another address is welcome meanwhile.
   */
  @Test
  void guessing300DriverTokensFromOneAddressIsBlockedAfterAFewWithGrowingBlocks() throws Exception {
    // Minutes pass on the server's clock here, in one go: pings would find the pair's real
    // clients silent (they answer in real time), so there are none in this test. The guesses
    // come faster than the server forgets closed sockets: the per-address limit is not under test.
    start(limits(50, 100, 1000, 60_000, 10_000).withPingIntervalSeconds(3600));
    InetAddress guesser = loopback(70);

    int checked = 0;
    int blocked = 0;
    for (int i = 0; i < 300; i++) {
      RawWs ws = raw(guesser);
      ws.sendText(SignalCodec.encode(Hello.driver("guess-" + i + "-0123456789", "guesser")));
      RawWs.Frame answer = ws.next();
      assertThat(answer).as("an answer to guess " + i).isNotNull();
      String code = ((ServerError) SignalCodec.decode(answer.text()).orElseThrow()).code();
      checked += code.equals("AUTH_FAILED") ? 1 : 0;
      blocked += code.equals("AUTH_BLOCKED") ? 1 : 0;
      assertThat(ws.next().isClose()).isTrue();
      ws.close();
    }
    assertThat(checked).isEqualTo(6);
    assertThat(blocked).isEqualTo(294);

    long waited = 0;
    for (int block = 1; block <= 8; block++) {
      Duration wait = Duration.ofSeconds(1L << (block - 1));
      time.advance(wait);
      waited += wait.toSeconds();
      RawWs ws = raw(guesser);
      ws.sendText(SignalCodec.encode(Hello.driver("patient-" + block + "-0123456789", "g")));
      assertRefusal(ws.next(), ErrorCode.AUTH_FAILED);
      ws.close();
    }
    assertThat(waited).as("seconds of waiting for 8 more guesses").isEqualTo(255);

    RawWs other = raw(loopback(71));
    other.sendText(SignalCodec.encode(Hello.driver("alice-token-0123456789", "alice again")));
    assertThat(SignalCodec.decode(other.next().text()).orElseThrow()).isInstanceOf(Welcome.class);
    assertPairStillRelays();
  }

  /**
   * The right key on a second connection is the car itself as far as the server can tell (a car
   * that changed networks reconnects before its old socket is found dead), so the newest connection
   * wins and the older one is told why. A stolen key therefore takes the car's place in signaling
   * (but never its safety: the real car's outputs obey its own failsafe) until the key is changed;
   * docs/security.md says so.
   */
  @Test
  void secondConnectionWithTheRightKeyReplacesTheOlderOneAndTellsItWhy() throws Exception {
    start(limits(50, 100, 64, 60_000, 10_000));

    WsTestClient twin = connect();
    twin.sendMessage(Hello.car("buggy", "buggy-key-0123456789", "twin"));
    twin.next(Welcome.class);

    ServerError replaced = car.nextOf(ServerError.class);
    assertThat(replaced.code()).isEqualTo("REPLACED");
    assertThat(replaced.message()).isNotBlank();
    assertThat(car.awaitClose()).isEqualTo(CloseFrame.POLICY_VALIDATION);
    assertThat(twin.next(Granted.class).driverId()).isEqualTo(driver.welcome.peerId());
    car = twin;
    assertPairStillRelays();
    assertThat(server.stats().onlineCars()).isEqualTo(1);
  }

  /**
   * Frames that break RFC 6455 itself, below JSON: each connection is closed with a close code and
   * a reason from the WebSocket layer, and the pair keeps relaying.
   */
  @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.CsvSource(
      textBlock =
          """
          invalid UTF-8 in a text frame,   81 82 01020304 fe fe,             1007
          reserved opcode 0x3,             83 80 01020304,                   1002
          reserved bits set,               f1 80 01020304,                   1002
          continuation without a start,    80 80 01020304,                   1002
          length of 2^62 bytes,            81 ff 4000000000000000 01020304, 1009
          ping longer than 125 bytes,      89 fe 00c8 01020304,              1002
          """)
  void framesThatBreakTheWebSocketProtocolAreClosedWithAReason(
      String what, String hex, int expectedCode) throws Exception {
    start(limits(50, 100, 64, 60_000, 10_000));
    RawWs ws = raw(loopback(60));

    ws.sendRaw(java.util.HexFormat.of().parseHex(hex.replace(" ", "")));

    RawWs.Frame close = ws.next();
    assertThat(close).as(what + ": a close frame").isNotNull();
    assertThat(close.isClose()).as(what + ": " + close.text()).isTrue();
    assertThat(close.closeCode()).as(what).isEqualTo(expectedCode);
    assertThat(close.text()).as(what + ": the close carries a reason").isNotBlank();
    await().atMost(OUTCOME).until(() -> server.stats().openConnections() == 2);
    assertPairStillRelays();
  }

  /**
   * RFC 6455 §5.1 says a server must close on an unmasked client frame; Java-WebSocket reads it
   * like any other. Masking only protects caching proxies from browsers' scripts, so the message
   * goes through the same validation as every other: pinned here so a change is noticed.
   */
  @Test
  void unmaskedClientFrameIsValidatedLikeAnyOtherMessage() throws Exception {
    start(limits(50, 100, 64, 60_000, 10_000));
    RawWs ws = raw(loopback(61));

    ws.sendRaw(java.util.HexFormat.of().parseHex("81027b7d")); // "{}", unmasked

    assertRefusal(ws.next(), ErrorCode.BAD_MESSAGE);
    assertPairStillRelays();
  }
}
