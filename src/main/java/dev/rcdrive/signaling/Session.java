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

  /** A driver presents it (with {@link #peerId}) after a reconnect to take this session's lock. */
  final String resumeToken;

  final InetAddress address;

  /** What the per-address limit counts: the address, or its /64 for IPv6. */
  final String addressKey;

  final RateLimiter limiter;

  /** Counted in the connection totals (onOpen ran before onClose). */
  boolean counted;

  boolean authenticated;
  Role role;
  String carId;
  String name;
  ScheduledFuture<?> authTimeout;
  int droppedInARow;

  /** A close is on its way: nothing more is read from or sent to this client. */
  volatile boolean closing;

  /** For drivers: the car whose lock this driver holds, or null. */
  String drivingCarId;

  Session(
      WebSocket conn,
      String peerId,
      String resumeToken,
      InetAddress address,
      SignalingConfig.Limits limits,
      LongSupplier nanoTime) {
    this.conn = conn;
    this.peerId = peerId;
    this.resumeToken = resumeToken;
    this.address = address;
    this.addressKey = addressKey(address);
    this.limiter = new RateLimiter(limits.messagesPerSecond(), limits.messageBurst(), nanoTime);
  }

  /** IPv6 hosts get a /64 each: one host can use any address in it. */
  static String addressKey(InetAddress address) {
    if (address instanceof java.net.Inet6Address) {
      byte[] bytes = address.getAddress();
      StringBuilder prefix = new StringBuilder();
      for (int i = 0; i < 8; i += 2) {
        prefix
            .append(Integer.toHexString(((bytes[i] & 0xFF) << 8) | (bytes[i + 1] & 0xFF)))
            .append(':');
      }
      return prefix + ":/64";
    }
    return address.getHostAddress();
  }

  /** For logs: never a credential. */
  String label() {
    String who = carId != null ? carId : name != null ? name : "?";
    return who + " (" + peerId + " from " + address.getHostAddress() + ")";
  }
}
