package dev.rcdrive.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rcdrive.protocol.SignalCodec;
import dev.rcdrive.protocol.SignalMessage;
import java.net.URI;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;

/**
 * A plain WebSocket client for server tests: sends raw text, collects what arrives, records how the
 * connection closed. It speaks no protocol by itself, so tests can misbehave on purpose.
 */
final class WsTestClient extends WebSocketClient {

  /**
   * How long to wait for an outcome before failing: generous, since nothing under test is timed by
   * it (server timeouts run on a {@link VirtualTime}), and a busy machine may be slow.
   */
  private static final long WAIT_SECONDS = 30;

  final BlockingQueue<String> received = new LinkedBlockingQueue<>();
  final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
  final java.util.concurrent.atomic.AtomicInteger pings =
      new java.util.concurrent.atomic.AtomicInteger();
  volatile String closeReason;
  volatile Exception error;

  /** Set by tests' helpers once authenticated. */
  volatile dev.rcdrive.protocol.SignalMessage.Welcome welcome;

  private WsTestClient(URI uri) {
    super(uri);
    setDaemon(true);
  }

  static WsTestClient open(URI uri) throws InterruptedException {
    return open(uri, null);
  }

  static WsTestClient open(URI uri, SSLContext ssl) throws InterruptedException {
    WsTestClient client = new WsTestClient(uri);
    if (ssl != null) {
      client.setSocketFactory(ssl.getSocketFactory());
    }
    boolean connected = client.connectBlocking(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(connected).as("connected to " + uri + " (error: " + client.error + ")").isTrue();
    return client;
  }

  /** Connects without asserting success: the server may refuse and close at once. */
  static WsTestClient openMayBeRefused(URI uri) throws InterruptedException {
    WsTestClient client = new WsTestClient(uri);
    client.connectBlocking(WAIT_SECONDS, TimeUnit.SECONDS);
    return client;
  }

  void sendMessage(SignalMessage message) {
    send(SignalCodec.encode(message));
  }

  /** The next message, decoded; fails the test if none arrives in time or it does not decode. */
  SignalMessage next() throws InterruptedException {
    String text = received.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(text).as("a message within " + WAIT_SECONDS + " s").isNotNull();
    return SignalCodec.decode(text).orElseThrow();
  }

  /** The next message, which must be of this type. */
  <T extends SignalMessage> T next(Class<T> type) throws InterruptedException {
    SignalMessage message = next();
    assertThat(message).isInstanceOf(type);
    return type.cast(message);
  }

  /** Skips messages of other types (e.g. cars pushes) until one of this type arrives. */
  <T extends SignalMessage> T nextOf(Class<T> type) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (System.nanoTime() < deadline) {
      String text = received.poll(100, TimeUnit.MILLISECONDS);
      if (text != null) {
        SignalMessage message = SignalCodec.decode(text).orElseThrow();
        if (type.isInstance(message)) {
          return type.cast(message);
        }
      }
    }
    throw new AssertionError("no " + type.getSimpleName() + " within " + WAIT_SECONDS + " s");
  }

  int awaitClose() throws Exception {
    return closeCode.get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  @Override
  public void onWebsocketPing(
      org.java_websocket.WebSocket conn, org.java_websocket.framing.Framedata f) {
    super.onWebsocketPing(conn, f); // the pong goes out before the count shows the ping
    pings.incrementAndGet();
  }

  @Override
  public void onOpen(ServerHandshake handshake) {}

  @Override
  public void onMessage(String message) {
    received.add(message);
  }

  @Override
  public void onClose(int code, String reason, boolean remote) {
    closeReason = reason;
    closeCode.complete(code);
  }

  @Override
  public void onError(Exception ex) {
    error = ex;
  }
}
