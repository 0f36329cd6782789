package dev.rcdrive.bench;

import dev.rcdrive.protocol.Decoded;
import dev.rcdrive.protocol.Role;
import dev.rcdrive.protocol.SignalCodec;
import dev.rcdrive.protocol.SignalMessage;
import dev.rcdrive.protocol.SignalMessage.Candidate;
import dev.rcdrive.protocol.SignalMessage.Denied;
import dev.rcdrive.protocol.SignalMessage.Drive;
import dev.rcdrive.protocol.SignalMessage.Granted;
import dev.rcdrive.protocol.SignalMessage.Hello;
import dev.rcdrive.protocol.SignalMessage.Released;
import dev.rcdrive.protocol.SignalMessage.ServerError;
import dev.rcdrive.protocol.SignalMessage.Welcome;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * One benchmark client, a car or a driver, on the JDK's asynchronous WebSocket. It has no thread of
 * its own: its callbacks run on the shared HttpClient's executor, one at a time per connection.
 */
final class BenchPeer implements WebSocket.Listener {

  private static final String CLIENT = "rcdrive-bench";

  private final Role role;
  private final int index;
  private final String hello;
  private final RelayProbe probe;
  private final ConnectionHealth health;
  private final CompletableFuture<Void> welcomed = new CompletableFuture<>();
  private final CompletableFuture<Void> granted = new CompletableFuture<>();

  /** Text frames of one message; only touched by this connection's (serial) callbacks. */
  private final StringBuilder fragments = new StringBuilder();

  private volatile WebSocket socket;
  private volatile String peerId;
  private volatile BenchPeer partner;

  /** The JDK WebSocket allows one outstanding send, so each send waits for the one before. */
  private CompletableFuture<?> lastSend = CompletableFuture.completedFuture(null);

  private BenchPeer(Role role, int index, Hello hello, RelayProbe probe, ConnectionHealth health) {
    this.role = role;
    this.index = index;
    this.hello = SignalCodec.encode(hello);
    this.probe = probe;
    this.health = health;
  }

  static BenchPeer car(
      int index, String carId, String key, RelayProbe probe, ConnectionHealth health) {
    return new BenchPeer(Role.CAR, index, Hello.car(carId, key, CLIENT), probe, health);
  }

  static BenchPeer driver(int index, String token, RelayProbe probe, ConnectionHealth health) {
    return new BenchPeer(Role.DRIVER, index, Hello.driver(token, CLIENT), probe, health);
  }

  void pairWith(BenchPeer other) {
    partner = other;
  }

  /**
   * Opens the connection and says hello; the result completes when the server welcomes this peer
   * and fails on refusal, error or after {@code timeout}.
   */
  CompletableFuture<Void> connect(HttpClient client, URI uri, Duration timeout) {
    client
        .newWebSocketBuilder()
        .connectTimeout(timeout)
        .buildAsync(uri, this)
        .whenComplete(
            (webSocket, error) -> {
              if (error != null) {
                health.failed(this, error);
                welcomed.completeExceptionally(error);
              } else {
                socket = webSocket;
                send(hello);
              }
            });
    return welcomed.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  CompletableFuture<Void> welcomed() {
    return welcomed;
  }

  /** Completes when the server says this car is driven, or this driver drives. */
  CompletableFuture<Void> granted() {
    return granted;
  }

  void requestDrive(String carId) {
    send(SignalCodec.encode(new Drive(carId)));
  }

  synchronized void send(String text) {
    lastSend =
        lastSend
            .handle((ignored, previousError) -> null)
            .thenCompose(ignored -> socket.sendText(text, true))
            .whenComplete(
                (ignored, error) -> {
                  if (error != null) {
                    health.failed(this, error);
                  }
                });
  }

  boolean isOpen() {
    WebSocket webSocket = socket;
    return webSocket != null && !webSocket.isInputClosed() && !webSocket.isOutputClosed();
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    socket = webSocket;
    webSocket.request(1);
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    long receivedAt = System.nanoTime();
    if (!last) {
      fragments.append(data);
    } else if (fragments.length() == 0) {
      handle(data.toString(), receivedAt);
    } else {
      fragments.append(data);
      handle(fragments.toString(), receivedAt);
      fragments.setLength(0);
    }
    webSocket.request(1);
    return null;
  }

  private void handle(String text, long receivedAt) {
    Decoded<SignalMessage> decoded = SignalCodec.decode(text);
    if (!decoded.isOk()) {
      health.refused(this, "UNDECODABLE", decoded.reasonOrNull());
      return;
    }
    SignalMessage message = decoded.orElseThrow();
    if (message instanceof Candidate candidate) {
      probe.received(candidate, partner.peerId, receivedAt);
    } else if (message instanceof Welcome welcome) {
      peerId = welcome.peerId();
      welcomed.complete(null);
    } else if (message instanceof Granted) {
      granted.complete(null);
    } else if (message instanceof ServerError error) {
      health.refused(this, error.code(), error.message());
      fail(new IOException("server error " + error.code() + ": " + error.message()));
    } else if (message instanceof Denied denied) {
      health.refused(this, denied.code(), denied.reason());
      fail(new IOException("denied " + denied.code() + ": " + denied.reason()));
    } else if (message instanceof Released released) {
      health.refused(this, "RELEASED", released.reason());
    }
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    health.closed(this, statusCode, reason);
    fail(new IOException("closed: " + statusCode + " " + reason));
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    health.failed(this, error);
    fail(error);
  }

  /** Ends a pending handshake; a no-op once welcomed and granted. */
  private void fail(Throwable error) {
    welcomed.completeExceptionally(error);
    granted.completeExceptionally(error);
  }

  @Override
  public String toString() {
    return role.wireName() + "-" + index;
  }
}
