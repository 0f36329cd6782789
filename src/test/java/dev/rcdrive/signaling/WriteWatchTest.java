package dev.rcdrive.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.framing.Framedata;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The watch against a real Java-WebSocket server and client on loopback. The race it mends cannot
 * be timed from a test, so its outcome is made by hand: a frame in the connection's queue with the
 * interest left at reading, which is what the selector's race leaves behind.
 */
class WriteWatchTest {

  /** A deadline for an outcome, not a timeout under test: generous, for a busy machine. */
  private static final Duration OUTCOME = Duration.ofSeconds(20);

  private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);
  private final CompletableFuture<WebSocket> serverSide = new CompletableFuture<>();
  private Server server;
  private WsTestClient client;
  private WriteWatch watch;

  /** Just enough server: hands over its side of the first connection. */
  private final class Server extends WebSocketServer {
    final CountDownLatch started = new CountDownLatch(1);

    Server() {
      super(new InetSocketAddress("127.0.0.1", 0));
      setReuseAddr(true);
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
      serverSide.complete(conn);
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {}

    @Override
    public void onMessage(WebSocket conn, String message) {}

    @Override
    public void onError(WebSocket conn, Exception ex) {}

    @Override
    public void onStart() {
      started.countDown();
    }
  }

  @BeforeEach
  void connect() throws Exception {
    server = new Server();
    server.start();
    assertThat(server.started.await(OUTCOME.toSeconds(), TimeUnit.SECONDS)).isTrue();
    watch = new WriteWatch(timer, server::onWriteDemand);
    client = WsTestClient.open(java.net.URI.create("ws://127.0.0.1:" + server.getPort()));
  }

  @AfterEach
  void close() throws Exception {
    client.close();
    server.stop(1000);
    timer.shutdownNow();
  }

  private WebSocketImpl conn() throws Exception {
    return (WebSocketImpl) serverSide.get(OUTCOME.toSeconds(), TimeUnit.SECONDS);
  }

  /** What the selector's race leaves: {@code text} queued, the interest back at reading only. */
  private static void strand(WebSocketImpl conn, String text) throws Exception {
    // The selector may still be finishing the last write (it drops its write interest once the
    // queue is empty, after the client has the message): a frame queued before that is written by
    // the selector itself, and there is nothing to rescue. So wait for it to be done.
    SelectionKey key = conn.getSelectionKey();
    await()
        .atMost(OUTCOME)
        .until(
            () ->
                conn.outQueue.isEmpty()
                    && (!key.isValid() || (key.interestOps() & SelectionKey.OP_WRITE) == 0));
    for (Framedata frame : conn.getDraft().createFrames(text, false)) {
      ByteBuffer bytes = conn.getDraft().createBinaryFrame(frame);
      conn.outQueue.put(bytes);
    }
    conn.getSelectionKey().interestOps(SelectionKey.OP_READ);
  }

  private String nextMessage() throws InterruptedException {
    return client.received.poll(OUTCOME.toSeconds(), TimeUnit.SECONDS);
  }

  @Test
  void aMessageStrandedInTheQueueIsWrittenOnceWatched() throws Exception {
    WebSocketImpl conn = conn();
    conn.send("first"); // as the race needs: a message written before
    assertThat(nextMessage()).isEqualTo("first");

    strand(conn, "stranded");
    watch.queued(conn);

    assertThat(nextMessage()).isEqualTo("stranded");
    assertThat(watch.rescued()).isEqualTo(1);
    await().atMost(OUTCOME).until(() -> watch.watching() == 0);
  }

  /** Each arrives once and in order, rescued or not (sent from here, they can race too). */
  @Test
  void watchedMessagesArriveOnceInOrderAndTheWatchEnds() throws Exception {
    WebSocketImpl conn = conn();
    for (int i = 0; i < 50; i++) {
      conn.send("m" + i);
      watch.queued(conn);
    }
    for (int i = 0; i < 50; i++) {
      assertThat(nextMessage()).isEqualTo("m" + i);
    }

    await().atMost(OUTCOME).until(() -> watch.watching() == 0);
    assertThat(client.received).isEmpty();
  }

  @Test
  void aClosedConnectionIsNoLongerWatched() throws Exception {
    WebSocketImpl conn = conn();
    strand(conn, "never read");
    conn.closeConnection(1001, "gone"); // the socket closes; the queue is never written

    watch.queued(conn);

    await().atMost(OUTCOME).until(() -> watch.watching() == 0);
    assertThat(watch.rescued()).isZero();
  }
}
