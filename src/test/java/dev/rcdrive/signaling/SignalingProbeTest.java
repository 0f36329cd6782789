package dev.rcdrive.signaling;

import static org.awaitility.Awaitility.await;

import dev.rcdrive.protocol.SignalMessage.Hello;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.java_websocket.WebSocket;
import org.java_websocket.framing.Framedata;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link SignalingClient#probe}: when the WebRTC link breaks, a server that no longer answers (the
 * socket died silently with a handover) is found out within the probe's timeout and the client
 * reconnects at once; a server that answers is left alone.
 */
class SignalingProbeTest {

  /** Accepts connections and answers pings unless muted; counts the connections it saw. */
  static final class MutableServer extends WebSocketServer {
    final AtomicInteger opened = new AtomicInteger();
    final AtomicInteger pings = new AtomicInteger();
    volatile boolean answerPings = true;

    MutableServer() {
      super(new InetSocketAddress("127.0.0.1", 0));
      setReuseAddr(true);
      setConnectionLostTimeout(0); // only the client's probe is under test
    }

    @Override
    public void onWebsocketPing(WebSocket conn, Framedata frame) {
      pings.incrementAndGet();
      if (answerPings) {
        super.onWebsocketPing(conn, frame);
      }
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
      opened.incrementAndGet();
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {}

    @Override
    public void onMessage(WebSocket conn, String message) {}

    @Override
    public void onError(WebSocket conn, Exception ex) {}

    @Override
    public void onStart() {}
  }

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
    await().atMost(Duration.ofSeconds(5)).until(() -> server.getPort() > 0);
    client =
        SignalingClient.connect(
            URI.create("ws://127.0.0.1:" + server.getPort()),
            Hello.car("car", "key", "t"),
            new SignalingClientTest.Recorder(),
            null,
            new SignalingClient.Backoff(Duration.ofMillis(50), Duration.ofMillis(200)));
    await().atMost(Duration.ofSeconds(5)).until(() -> server.opened.get() == 1);
  }

  @Test
  void aServerThatNoLongerAnswersIsLeftAtOnce() throws Exception {
    connect();
    server.answerPings = false;

    client.probe(Duration.ofMillis(300));

    // Reconnected well before the 10 s lost-connection check would have noticed.
    await().atMost(Duration.ofSeconds(3)).until(() -> server.opened.get() == 2);
  }

  @Test
  void aServerThatAnswersKeepsItsConnection() throws Exception {
    connect();

    client.probe(Duration.ofMillis(300));

    await().atMost(Duration.ofSeconds(2)).until(() -> server.pings.get() >= 1); // it did ask
    await()
        .during(Duration.ofMillis(1200))
        .atMost(Duration.ofSeconds(3))
        .until(() -> server.opened.get() == 1);
  }
}
