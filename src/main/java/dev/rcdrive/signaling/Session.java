package dev.rcdrive.signaling;

import dev.rcdrive.protocol.Role;
import java.net.InetAddress;
import java.util.concurrent.ScheduledFuture;
import java.util.function.LongSupplier;
import org.java_websocket.WebSocket;

/** One client connection on the server. Mutable fields are guarded by the server's lock. */
final class Session {
  final WebSocket conn;
  final String peerId;
  final InetAddress address;
  final RateLimiter limiter;

  boolean authenticated;
  Role role;
  String carId;
  String name;
  ScheduledFuture<?> authTimeout;
  int droppedInARow;

  /** A close is on its way: nothing more is read from or sent to this client. */
  boolean closing;

  /** For drivers: the car whose lock this driver holds, or null. */
  String drivingCarId;

  Session(
      WebSocket conn,
      String peerId,
      InetAddress address,
      SignalingConfig.Limits limits,
      LongSupplier nanoTime) {
    this.conn = conn;
    this.peerId = peerId;
    this.address = address;
    this.limiter = new RateLimiter(limits.messagesPerSecond(), limits.messageBurst(), nanoTime);
  }

  /** For logs: never a credential. */
  String label() {
    String who = carId != null ? carId : name != null ? name : "?";
    return who + " (" + peerId + " from " + address.getHostAddress() + ")";
  }
}
