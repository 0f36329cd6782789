package dev.rcdrive.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rcdrive.protocol.SignalMessage.Cars;
import dev.rcdrive.protocol.SignalMessage.Hello;
import dev.rcdrive.signaling.SignalingClient.State;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.java_websocket.WebSocket;
import org.java_websocket.framing.Framedata;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How the client finds out that a server stopped answering: {@link SignalingClient#probe} (asked
 * for when the WebRTC link breaks: the socket may have died silently with a handover) and its own
 * pings every 10 s. On the client's virtual clock: a silent server is left exactly when the wait
 * has passed, and one that answers is kept however long the clock runs.
 */
class SignalingProbeTest {

  private static final Duration OUTCOME = SignalingClientTest.OUTCOME;

  /**
   * Accepts connections and answers pings unless muted; after each answer it sends a {@code cars}
   * message, so a test knows the client has read the pong before it. Counts what it saw.
   */
  static final class MutableServer extends WebSocketServer {
    final AtomicInteger opened = new AtomicInteger();
    final AtomicInteger pings = new AtomicInteger();
    final AtomicInteger messages = new AtomicInteger();
    volatile boolean answerPings = true;

    MutableServer() {
      super(new InetSocketAddress("127.0.0.1", 0));
      setReuseAddr(true);
      setConnectionLostTimeout(0); // only the client's checks are under test
    }

    @Override
    public void onWebsocketPing(WebSocket conn, Framedata frame) {
      pings.incrementAndGet();
      if (answerPings) {
        super.onWebsocketPing(conn, frame);
        conn.send("{\"type\":\"cars\",\"cars\":[]}");
      }
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
      opened.incrementAndGet();
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {}

    @Override
    public void onMessage(WebSocket conn, String message) {
      messages.incrementAndGet();
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {}

    @Override
    public void onStart() {}
  }

  private final VirtualTime time = new VirtualTime();
  private final SignalingClientTest.Recorder events = new SignalingClientTest.Recorder();
  private MutableServer server;
  private SignalingClient client;

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    server.stop(1000);
  }

  private void connect() throws Exception {
    server = new MutableServer();
    server.start();
    await().atMost(OUTCOME).until(() -> server.getPort() > 0);
    client =
        SignalingClient.connect(
            URI.create("ws://127.0.0.1:" + server.getPort()),
            Hello.car("car", "key", "t"),
            events,
            null,
            new SignalingClient.Backoff(Duration.ofMillis(50), Duration.ofMillis(200)),
            time,
            new Random(7));
    // Its hello is sent when it has seen the socket open (at 0 s on its clock).
    await().atMost(OUTCOME).until(() -> server.messages.get() == 1);
    time.advance(Duration.ofSeconds(1));
  }

  /** One ping answered, and the client has read the answer. */
  private void pingAnswered(int pingsSoFar) throws Exception {
    await().atMost(OUTCOME).until(() -> server.pings.get() == pingsSoFar);
    events.next(Cars.class);
  }

  /** After the client's checks ran: it has decided, and any close it made has reached it. */
  private void settle() throws Exception {
    client.awaitEvents();
    client.awaitEvents();
  }

  @Test
  void aServerThatNoLongerAnswersAProbeIsLeftOnceTheProbeTimesOut() throws Exception {
    connect();
    server.answerPings = false;

    client.probe(Duration.ofMillis(300));
    await().atMost(OUTCOME).until(() -> server.pings.get() == 1);
    client.awaitEvents();
    time.advance(Duration.ofMillis(299));
    settle();
    assertThat(events.states).doesNotContain(State.RECONNECTING);
    time.advance(Duration.ofMillis(1));

    await().atMost(OUTCOME).until(() -> events.states.contains(State.RECONNECTING));
    client.awaitEvents();
    time.advance(Duration.ofMillis(200)); // the backoff
    await().atMost(OUTCOME).until(() -> server.opened.get() == 2);
  }

  @Test
  void aServerThatAnswersAProbeKeepsItsConnection() throws Exception {
    connect();

    client.probe(Duration.ofMillis(300));
    pingAnswered(1);
    time.advance(Duration.ofMillis(300));
    settle();

    assertThat(events.states).doesNotContain(State.RECONNECTING);
    assertThat(server.opened.get()).isEqualTo(1);
  }

  /** Pings every 10 s; after 1.5 intervals with no pong (checked at the next ping) it leaves. */
  @Test
  void aServerThatStopsAnsweringPingsIsLeftAtTheFirstCheckPastFifteenSeconds() throws Exception {
    connect(); // opened at 0 s; the clock reads 1 s
    server.answerPings = false;

    time.advance(Duration.ofSeconds(9)); // 10 s: no pong for 10 s, not over 15: a ping
    await().atMost(OUTCOME).until(() -> server.pings.get() == 1);
    settle();
    time.advance(Duration.ofSeconds(9)); // 19 s: no check between pings
    settle();
    assertThat(events.states).doesNotContain(State.RECONNECTING);
    time.advance(Duration.ofSeconds(1)); // 20 s: no pong for 20 s, over 15: gone

    await().atMost(OUTCOME).until(() -> events.states.contains(State.RECONNECTING));
    assertThat(server.pings.get()).isEqualTo(1);
    client.awaitEvents();
    time.advance(Duration.ofMillis(200));
    await().atMost(OUTCOME).until(() -> server.opened.get() == 2);
  }

  @Test
  void aServerThatAnswersPingsIsKeptForAsLongAsTheClockRuns() throws Exception {
    connect();

    for (int ping = 1; ping <= 30; ping++) { // five minutes
      time.advance(Duration.ofSeconds(10));
      pingAnswered(ping);
      client.awaitEvents();
    }
    settle();

    assertThat(events.states).doesNotContain(State.RECONNECTING);
    assertThat(server.opened.get()).isEqualTo(1);
  }
}
