package dev.rcdrive.signaling;

import dev.rcdrive.protocol.ErrorCode;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may connect and how much they may ask, before and around the {@link Hub}: connections in all
 * and per address, message size, messages per second, the time to authenticate, the liveness of the
 * connection, and a budget of failed logins per address. It decides; the transport acts on its
 * {@link Refusal}s. Plain Java on an injected clock, so every limit is tested without sockets.
 *
 * <p>Threads: the connection counts and the login budget are shared and must be used under the
 * server's lock; a {@link Ticket}'s rate limiter is only ever used by the one thread that reads
 * that connection (Java-WebSocket's rule), and its heartbeat is safe from any thread.
 */
final class Admission {

  private static final Logger log = LoggerFactory.getLogger(Admission.class);

  /** RFC 6455 close codes the limits use. */
  static final int POLICY = 1008;

  static final int TOO_BIG = 1009;
  static final int TRY_AGAIN_LATER = 1013;

  /**
   * What to tell a client ({@code message}; none when it is null) and whether to close it ({@code
   * closeCode} 0: it stays open).
   */
  record Refusal(ErrorCode code, String message, int closeCode) {
    boolean silent() {
      return message == null;
    }
  }

  /** A message dropped over the rate with no answer: the client was warned at its first drop. */
  static final Refusal SILENT_DROP = new Refusal(ErrorCode.RATE_LIMITED, null, 0);

  /** One connection's account: where it comes from, its message rate, its liveness. */
  final class Ticket {
    final InetAddress address;

    /** What the per-address limits count: the address, or its /64 for IPv6. */
    final String addressKey;

    final long openedAt;
    final Heartbeat heartbeat;
    private final RateLimiter limiter;
    private int droppedInARow;
    private boolean counted = true;

    /** Non-null when the connection is over a limit and must be refused at once. */
    final Refusal refusal;

    private Ticket(InetAddress address, Refusal refusal) {
      this.address = address;
      this.addressKey = addressKey(address);
      this.openedAt = nanoTime.getAsLong();
      this.heartbeat = new Heartbeat(pingInterval(), openedAt);
      this.limiter = new RateLimiter(limits.messagesPerSecond(), limits.messageBurst(), nanoTime);
      this.refusal = refusal;
    }
  }

  private final SignalingConfig.Limits limits;
  private final LongSupplier nanoTime;
  private final LoginBudget logins;
  private final Map<String, Integer> connectionsByAddress = new HashMap<>();
  private int openConnections;

  Admission(SignalingConfig.Limits limits, LongSupplier nanoTime) {
    this.limits = limits;
    this.nanoTime = nanoTime;
    this.logins =
        new LoginBudget(
            limits.failedLoginsAllowed(),
            Duration.ofSeconds(limits.loginBlockMaxSeconds()),
            nanoTime);
  }

  // ---- connections (under the lock) ----------------------------------------------------------

  /**
   * Counts a new connection (until {@link #close}); its {@link Ticket#refusal} says whether it is
   * over the server's or its address's limit.
   */
  Ticket open(InetAddress address) {
    String key = addressKey(address);
    openConnections++;
    int fromAddress = connectionsByAddress.merge(key, 1, Integer::sum);
    Refusal refusal = null;
    if (openConnections > limits.maxConnections()) {
      refusal =
          new Refusal(
              ErrorCode.TOO_MANY_CONNECTIONS,
              "server full (" + limits.maxConnections() + " connections)",
              TRY_AGAIN_LATER);
    } else if (fromAddress > limits.maxConnectionsPerAddress()) {
      refusal =
          new Refusal(
              ErrorCode.TOO_MANY_CONNECTIONS,
              "more than " + limits.maxConnectionsPerAddress() + " connections from " + key,
              POLICY);
    }
    return new Ticket(address, refusal);
  }

  /** The connection is gone: it no longer counts. Idempotent. */
  void close(Ticket ticket) {
    if (!ticket.counted) {
      return;
    }
    ticket.counted = false;
    openConnections--;
    connectionsByAddress.computeIfPresent(ticket.addressKey, (a, n) -> n > 1 ? n - 1 : null);
  }

  int openConnections() {
    return openConnections;
  }

  // ---- messages (the connection's own thread) ------------------------------------------------

  /** {@code TOO_LARGE} for a text over the size limit (in UTF-8 bytes), else null. */
  Refusal size(String text) {
    int limit = limits.maxMessageBytes();
    // A char is at most 3 UTF-8 bytes: short texts need no encoding to be known small enough.
    if (text.length() > limit / 3 && text.getBytes(StandardCharsets.UTF_8).length > limit) {
      return new Refusal(ErrorCode.TOO_LARGE, "message over " + limit + " bytes", TOO_BIG);
    }
    return null;
  }

  /**
   * Token bucket per connection. Null admits the message; otherwise it is dropped, and the answer
   * says so: a warning on the first drop, {@link #SILENT_DROP} after it, and a close after as many
   * drops in a row as the burst.
   */
  Refusal rate(Ticket ticket) {
    if (ticket.limiter.tryAcquire()) {
      ticket.droppedInARow = 0;
      return null;
    }
    ticket.droppedInARow++;
    int perSecond = limits.messagesPerSecond();
    if (ticket.droppedInARow == 1) {
      return new Refusal(
          ErrorCode.RATE_LIMITED, "over " + perSecond + " messages/s: message dropped", 0);
    }
    if (ticket.droppedInARow >= limits.messageBurst()) {
      return new Refusal(
          ErrorCode.RATE_LIMITED, "kept sending over " + perSecond + " messages/s", POLICY);
    }
    return SILENT_DROP;
  }

  // ---- authentication (under the lock) -------------------------------------------------------

  Duration authTimeout() {
    return Duration.ofMillis(limits.authTimeoutMillis());
  }

  /** {@code AUTH_TIMEOUT} once the time to authenticate has run out and it has not, else null. */
  Refusal authDeadline(Ticket ticket, boolean authenticated) {
    long age = nanoTime.getAsLong() - ticket.openedAt;
    if (authenticated || age < authTimeout().toNanos()) {
      return null;
    }
    return new Refusal(
        ErrorCode.AUTH_TIMEOUT, "no hello within " + limits.authTimeoutMillis() + " ms", POLICY);
  }

  /**
   * Before a {@code hello}'s credential is looked at: {@code AUTH_BLOCKED} while its address has
   * spent its failed-login budget, else null.
   */
  Refusal login(Ticket ticket) {
    Duration blocked = logins.blockedFor(ticket.addressKey);
    if (blocked.isZero()) {
      return null;
    }
    long seconds = (blocked.toMillis() + 999) / 1000;
    return new Refusal(
        ErrorCode.AUTH_BLOCKED,
        "too many failed logins from your address: try again in " + seconds + " s",
        TRY_AGAIN_LATER);
  }

  /** A {@code hello} from this connection had a wrong credential. */
  void loginFailed(Ticket ticket, String who) {
    Duration blocked = logins.failed(ticket.addressKey);
    int failures = logins.failures(ticket.addressKey);
    if (blocked.isZero()) {
      log.info(
          "failed login as {} from {} ({} of {} allowed)",
          who,
          ticket.addressKey,
          failures,
          logins.allowed());
    } else {
      log.warn(
          "{} failed logins from {} (the last as {}): refusing its logins for {} s",
          failures,
          ticket.addressKey,
          who,
          blocked.toSeconds());
    }
  }

  // ---- liveness (any thread) -----------------------------------------------------------------

  Duration pingInterval() {
    return Duration.ofSeconds(limits.pingIntervalSeconds());
  }

  /** A pong from this connection arrived. */
  void heard(Ticket ticket) {
    ticket.heartbeat.heard(nanoTime.getAsLong());
  }

  /** No pong for 1.5 ping intervals: close it rather than ping it again. */
  boolean lost(Ticket ticket) {
    return ticket.heartbeat.lost(nanoTime.getAsLong());
  }

  /** IPv6 hosts get a /64 each: one host can use any address in it. */
  static String addressKey(InetAddress address) {
    if (address instanceof Inet6Address) {
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
}
