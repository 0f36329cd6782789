package dev.rcdrive.signaling;

import dev.rcdrive.protocol.Decoded;
import dev.rcdrive.protocol.ErrorCode;
import dev.rcdrive.protocol.SignalCodec;
import dev.rcdrive.protocol.SignalMessage;
import dev.rcdrive.protocol.SignalMessage.Hello;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketAdapter;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.WebSocketServerFactory;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.framing.Framedata;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.protocols.Protocol;
import org.java_websocket.server.DefaultSSLWebSocketServerFactory;
import org.java_websocket.server.DefaultWebSocketServerFactory;
import org.java_websocket.server.WebSocketServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signaling server: the Java-WebSocket transport (TLS, handshake deadline, pings) around an
 * {@link Admission} that decides what a connection may do and a {@link Hub} that decides what a
 * message means. This class only moves things between them and the sockets. Protocol in
 * docs/protocol.md; the design in docs/decisions/0001.
 *
 * <p>Java-WebSocket calls back on its worker threads (messages of one connection stay in order).
 * The hub, the admission counts and the stats are guarded by {@link #lock}; size, rate and decoding
 * happen before it. Sending only queues bytes, so holding the lock while sending never blocks on
 * the network. Closing is never done under the lock (see {@link #closeLater}).
 */
public final class SignalingServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SignalingServer.class);

  /** Frames past this multiple of the message limit are cut off by the WebSocket layer itself. */
  private static final int HARD_LIMIT_FACTOR = 4;

  /** Frames queued for one client before it counts as not reading (a session needs a few). */
  private static final int MAX_QUEUED_FRAMES = 1024;

  private final SignalingConfig config;
  private final Endpoint endpoint;
  private final WriteWatch writes;
  private final boolean tls;

  /** The certificate of wss://, replaced by {@link #reload}; null without TLS. */
  private final TlsContexts.Reloadable certificates;

  private final CountDownLatch startup = new CountDownLatch(1);
  private volatile Exception startupError;
  private volatile boolean stopped;

  /** Runs closes outside the lock; in production also the {@link #time} timers. */
  private final ScheduledThreadPoolExecutor timer;

  private final Scheduler time;

  private final Object lock = new Object();
  private final Hub hub;
  private final Admission admission;
  private final Map<Hub.Peer, Session> sessions = new HashMap<>();
  private final EnumMap<ErrorCode, Long> refusals = new EnumMap<>(ErrorCode.class);

  /** One connection: its socket, what the hub knows of it, what admission counts for it. */
  private static final class Session {
    final WebSocket conn;
    final Hub.Peer peer;
    final Admission.Ticket ticket;
    Scheduler.Cancellable authDeadline = Scheduler.Cancellable.NONE;

    Session(WebSocket conn, Hub.Peer peer, Admission.Ticket ticket) {
      this.conn = conn;
      this.peer = peer;
      this.ticket = ticket;
    }
  }

  private SignalingServer(
      SignalingConfig config,
      Clock clock,
      Scheduler injectedTime,
      TlsContexts.Reloadable certificates) {
    this.config = config;
    // Connections still closing while the server stops may ask for a close after the timer was
    // shut down: drop those (the server is going), never throw in a socket's thread.
    this.timer =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread thread = new Thread(r, "signaling-timer");
              thread.setDaemon(true);
              return thread;
            },
            new ThreadPoolExecutor.DiscardPolicy());
    this.time = injectedTime != null ? injectedTime : Scheduler.on(timer);
    this.hub = new Hub(config, clock, Hub.Ids.random(new SecureRandom()));
    this.admission = new Admission(config.limits(), time::nanoTime);
    int hardLimit = config.limits().maxMessageBytes() * HARD_LIMIT_FACTOR;
    // Protocol("") accepts clients that ask for no subprotocol, i.e. every client of ours.
    List<Draft> drafts = List.of(new Draft_6455(List.of(), List.of(new Protocol("")), hardLimit));
    this.endpoint = new Endpoint(new InetSocketAddress(config.host(), config.port()), drafts);
    this.writes = new WriteWatch(timer, endpoint::onWriteDemand);
    this.certificates = certificates;
    this.tls = certificates != null;
    WebSocketServerFactory sockets =
        certificates != null
            ? new DefaultSSLWebSocketServerFactory(certificates.context())
            : new DefaultWebSocketServerFactory();
    endpoint.setWebSocketFactory(new HandshakeDeadline(sockets));
    endpoint.setReuseAddr(true);
    endpoint.setTcpNoDelay(true);
    endpoint.setConnectionLostTimeout(0); // our own pings, on our clock: see #pingAll
  }

  /**
   * Validates the config (resolving {@code env:} secrets from the process environment), binds and
   * starts serving; returns once the port is bound.
   */
  public static SignalingServer start(SignalingConfig config)
      throws IOException, InvalidConfigException {
    return start(config, Clock.systemUTC());
  }

  /** With the wall clock injected (the expiry of minted TURN credentials). */
  public static SignalingServer start(SignalingConfig config, Clock clock)
      throws IOException, InvalidConfigException {
    return start(config, clock, null);
  }

  /** With every deadline and limit on {@code time} as well, for tests; null: real time. */
  static SignalingServer start(SignalingConfig config, Clock clock, Scheduler time)
      throws IOException, InvalidConfigException {
    SignalingConfig resolved = config.resolved(System.getenv());
    TlsContexts.Reloadable ssl =
        resolved.tls() == null ? null : TlsContexts.reloadable(resolved.tls());
    refuseTakenPort(resolved);
    SignalingServer server = new SignalingServer(resolved, clock, time, ssl);
    server.endpoint.start();
    try {
      if (!server.startup.await(10, TimeUnit.SECONDS)) {
        server.close();
        throw new IOException("signaling server did not start within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.close();
      throw new IOException("interrupted while starting", e);
    }
    if (server.startupError != null) {
      server.close();
      throw new IOException(
          "cannot listen on "
              + config.host()
              + ":"
              + config.port()
              + ": "
              + server.startupError.getMessage(),
          server.startupError);
    }
    server.time.schedule(server.admission.pingInterval(), server::pingAll);
    log.info(
        "signaling server on {} ({} cars, {} driver tokens, {} ICE servers)",
        server.uri(),
        resolved.cars().size(),
        resolved.drivers().size(),
        resolved.iceServers().size());
    return server;
  }

  /**
   * A port in use is the usual start-up failure (a second server, an old one still running): found
   * here it is one line, while Java-WebSocket would log it as a fatal error with a trace.
   */
  private static void refuseTakenPort(SignalingConfig config) throws IOException {
    if (config.port() == 0) {
      return;
    }
    try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
      probe.setReuseAddress(true); // as Java-WebSocket binds: a closing socket is no conflict
      probe.bind(new InetSocketAddress(config.host(), config.port()));
    } catch (java.net.BindException e) {
      throw new IOException(
          "port "
              + config.port()
              + " on "
              + config.host()
              + " is in use: stop the program that holds it (ss -ltnp 'sport = :"
              + config.port()
              + "') or give another --port");
    } catch (java.net.SocketException e) {
      throw new IOException(
          "cannot listen on " + config.host() + ":" + config.port() + ": " + e.getMessage());
    }
  }

  /**
   * Applies a changed configuration without a restart (SIGHUP, a changed file, {@code rcdrive
   * signal add-car}…): cars, drivers and ICE servers follow it, and connections whose key or token
   * was removed are closed, their cars told to end the WebRTC link (see {@link Hub#reload}). With
   * TLS, the certificate and key are read again: new connections get the new certificate, open ones
   * keep theirs. The address, the port and the limits stay as started; a restart applies them. An
   * invalid configuration changes nothing.
   *
   * @return what changed, in one line with no secret in it
   */
  public String reload(SignalingConfig next) throws InvalidConfigException {
    SignalingConfig resolved = next.resolved(System.getenv());
    String summary;
    synchronized (lock) {
      Outbox out = hub.reload(resolved);
      summary = out.reloaded();
      deliver(out);
    }
    if (certificates != null && resolved.tls() != null) {
      try {
        certificates.reload(resolved.tls());
        summary += "; certificate " + describe(certificates.certificate());
      } catch (InvalidConfigException e) {
        // Revocations above stand; a renewal half-copied is retried on the next change.
        log.warn("kept the current certificate: {}", e.getMessage());
        summary += "; certificate kept (" + e.getMessage() + ")";
      }
    }
    if (!resolved.host().equals(config.host())
        || (resolved.port() != 0 && resolved.port() != port())
        || (resolved.tls() == null) == tls
        || !resolved.limits().equals(config.limits())) {
      log.warn("the address, port, TLS on/off and limits changed too: a restart applies them");
    }
    return summary;
  }

  private static String describe(java.security.cert.X509Certificate certificate) {
    return certificate == null
        ? "none"
        : certificate.getSubjectX500Principal().getName()
            + " valid until "
            + certificate.getNotAfter().toInstant();
  }

  /** The TLS context of wss:// (shared with the driver page so a reload renews both); or null. */
  public SSLContext tlsContext() {
    return certificates == null ? null : certificates.context();
  }

  /** The certificate new wss:// connections are shown, or null without TLS. */
  public java.security.cert.X509Certificate certificate() {
    return certificates == null ? null : certificates.certificate();
  }

  public int port() {
    return endpoint.getPort();
  }

  /** The URI clients on this machine use (loopback when bound to all interfaces). */
  public URI uri() {
    String host = config.host();
    if (host.equals("0.0.0.0") || host.equals("::")) {
      host = "127.0.0.1";
    }
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return URI.create((tls ? "wss://" : "ws://") + host + ":" + port());
  }

  /** Counters for logs, tests and benchmarks. */
  public record Stats(
      int openConnections,
      int onlineCars,
      int drivenCars,
      long relayedMessages,
      Map<ErrorCode, Long> refusals) {}

  public Stats stats() {
    synchronized (lock) {
      return new Stats(
          admission.openConnections(),
          hub.onlineCars(),
          hub.drivenCars(),
          hub.relayedMessages(),
          Map.copyOf(refusals));
    }
  }

  @Override
  public void close() {
    stopped = true;
    synchronized (lock) {
      deliver(hub.shutdown());
    }
    try {
      endpoint.stop(1000, ErrorCode.SERVER_SHUTDOWN.name());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      timer.shutdownNow();
    }
  }

  // ---- connection lifecycle -------------------------------------------------------------------

  private void opened(WebSocket conn) {
    InetSocketAddress remote = conn.getRemoteSocketAddress();
    InetAddress address = remote == null ? InetAddress.getLoopbackAddress() : remote.getAddress();
    synchronized (lock) {
      if (conn.isClosing() || conn.isClosed()) {
        return; // closed before we got here: nothing to count, onClose has nothing to undo
      }
      Session session = new Session(conn, hub.join(address), admission.open(address));
      conn.setAttachment(session);
      sessions.put(session.peer, session);
      Admission.Refusal overLimit = session.ticket.refusal;
      if (overLimit != null) {
        deliver(
            hub.refuse(session.peer, overLimit.code(), overLimit.message(), overLimit.closeCode()));
      } else {
        session.authDeadline =
            time.schedule(admission.authTimeout(), () -> authDeadlinePassed(session));
      }
    }
  }

  private void authDeadlinePassed(Session session) {
    synchronized (lock) {
      if (session.conn.isOpen() && !session.peer.closing()) {
        refuse(session, admission.authDeadline(session.ticket, session.peer.authenticated()));
      }
    }
  }

  private void closed(WebSocket conn, int code, String reason) {
    Session session = conn.getAttachment();
    if (session == null) {
      return;
    }
    synchronized (lock) {
      if (sessions.remove(session.peer) == null) {
        return;
      }
      session.authDeadline.cancel();
      admission.close(session.ticket);
      deliver(hub.leave(session.peer, code, reason));
    }
  }

  /**
   * Every ping interval: a connection with no pong for 1.5 intervals is dropped (which releases a
   * driver's lock), every other one is pinged. Java-WebSocket's own lost-connection check, on the
   * injected clock.
   */
  private void pingAll() {
    if (stopped) {
      return;
    }
    try {
      for (WebSocket conn : endpoint.getConnections()) {
        Session session = conn.getAttachment();
        if (session == null) {
          continue;
        }
        if (admission.lost(session.ticket) && conn instanceof WebSocketImpl impl) {
          impl.closeConnection(CloseFrame.ABNORMAL_CLOSE, "no pong within 1.5 ping intervals");
        } else if (conn.isOpen()) {
          try {
            conn.sendPing();
            writes.queued(conn);
          } catch (WebsocketNotConnectedException closing) {
            // closed meanwhile
          }
        }
      }
    } finally {
      time.schedule(admission.pingInterval(), this::pingAll);
    }
  }

  // ---- messages ------------------------------------------------------------------------------

  /**
   * Size, rate and decoding happen outside the lock: Java-WebSocket calls one connection's
   * callbacks on one worker thread, in order, so only the shared state needs the lock.
   */
  private void received(WebSocket conn, String text) {
    Session session = conn.getAttachment();
    if (session == null || session.peer.closing() || !conn.isOpen()) {
      return;
    }
    Admission.Refusal refusal = admission.size(text);
    if (refusal == null) {
      refusal = admission.rate(session.ticket);
    }
    if (refusal != null) {
      refuseUnlocked(session, refusal);
      return;
    }
    Decoded<SignalMessage> decoded = SignalCodec.decode(text);
    if (decoded instanceof Decoded.Rejected<SignalMessage> rejected) {
      refuseUnlocked(session, new Admission.Refusal(ErrorCode.BAD_MESSAGE, rejected.reason(), 0));
      return;
    }
    SignalMessage message = decoded.orElseThrow();
    synchronized (lock) {
      // A login attempt: its address must not have spent its failed-login budget.
      if (message instanceof Hello && !session.peer.authenticated() && !session.peer.closing()) {
        Admission.Refusal blocked = admission.login(session.ticket);
        if (blocked != null) {
          refuse(session, blocked);
          return;
        }
      }
      Outbox out = hub.receive(session.peer, message);
      if (out.failedLogin() != null) {
        admission.loginFailed(session.ticket, out.failedLogin());
      }
      if (session.peer.authenticated() && session.authDeadline != Scheduler.Cancellable.NONE) {
        session.authDeadline.cancel();
        session.authDeadline = Scheduler.Cancellable.NONE;
      }
      deliver(out);
    }
  }

  private void receivedBinary(WebSocket conn) {
    Session session = conn.getAttachment();
    if (session == null || session.peer.closing() || !conn.isOpen()) {
      return;
    }
    Admission.Refusal refusal = admission.rate(session.ticket);
    refuseUnlocked(
        session,
        refusal != null
            ? refusal
            : new Admission.Refusal(
                ErrorCode.BAD_MESSAGE,
                "binary frames are not part of the protocol; send JSON text",
                0));
  }

  private void refuseUnlocked(Session session, Admission.Refusal refusal) {
    synchronized (lock) {
      refuse(session, refusal);
    }
  }

  /** Under the lock. Null or a silent refusal sends nothing. */
  private void refuse(Session session, Admission.Refusal refusal) {
    if (refusal != null && !refusal.silent()) {
      deliver(hub.refuse(session.peer, refusal.code(), refusal.message(), refusal.closeCode()));
    }
  }

  // ---- delivery (under the lock) -------------------------------------------------------------

  private void deliver(Outbox out) {
    for (String warning : out.warnings()) {
      log.warn(warning);
    }
    for (ErrorCode code : out.refusals()) {
      refusals.merge(code, 1L, Long::sum);
    }
    // Before the sends: whoever receives them may act on the timer being set (tests advance time).
    if (out.wakeAfter() != null) {
      time.schedule(
          out.wakeAfter(),
          () -> {
            synchronized (lock) {
              deliver(hub.wake());
            }
          });
    }
    for (Outbox.Effect effect : out.effects()) {
      Session session = sessions.get(effect.peer());
      if (session == null) {
        continue; // already gone
      }
      if (effect instanceof Outbox.Send send) {
        send(session, send.message());
      } else if (effect instanceof Outbox.Close close) {
        closeLater(session.conn, close.code(), close.reason());
      }
    }
  }

  private void send(Session session, SignalMessage message) {
    if (session.conn instanceof WebSocketImpl impl && impl.outQueue.size() > MAX_QUEUED_FRAMES) {
      // It does not read what we send: drop it before its queue eats the heap.
      if (session.peer.markClosing()) {
        refusals.merge(ErrorCode.SLOW_CONSUMER, 1L, Long::sum);
        closeLater(session.conn, CloseFrame.POLICY_VALIDATION, ErrorCode.SLOW_CONSUMER.name());
      }
      return;
    }
    if (session.conn.isOpen()) {
      try {
        session.conn.send(SignalCodec.encode(message));
        writes.queued(session.conn);
      } catch (WebsocketNotConnectedException closing) {
        // closed between the check and the send: nothing to deliver to
      }
    }
  }

  /**
   * Closes outside the lock. Java-WebSocket calls onClose while holding the connection's monitor,
   * and onClose takes the lock; closing while holding the lock would take the two in the opposite
   * order and can deadlock. The close frame still follows every message already queued on the
   * connection.
   */
  private void closeLater(WebSocket conn, int closeCode, String reason) {
    timer.execute(() -> conn.close(closeCode, reason));
  }

  /**
   * Java-WebSocket has no handshake timeout: a client that opens TCP (or TLS) and never finishes
   * the HTTP upgrade would hold its socket forever, uncounted. Every new socket gets the
   * authentication timeout as its deadline to open.
   */
  private final class HandshakeDeadline implements WebSocketServerFactory {
    private final WebSocketServerFactory inner;

    HandshakeDeadline(WebSocketServerFactory inner) {
      this.inner = inner;
    }

    @Override
    public WebSocketImpl createWebSocket(WebSocketAdapter adapter, Draft draft) {
      return withDeadline(inner.createWebSocket(adapter, draft));
    }

    @Override
    public WebSocketImpl createWebSocket(WebSocketAdapter adapter, List<Draft> drafts) {
      return withDeadline(inner.createWebSocket(adapter, drafts));
    }

    private WebSocketImpl withDeadline(WebSocketImpl socket) {
      time.schedule(
          admission.authTimeout(),
          () -> {
            if (!socket.isOpen() && !socket.isClosed()) {
              synchronized (lock) {
                refusals.merge(ErrorCode.AUTH_TIMEOUT, 1L, Long::sum);
              }
              socket.closeConnection(CloseFrame.POLICY_VALIDATION, "handshake timeout");
            }
          });
      return socket;
    }

    @Override
    public ByteChannel wrapChannel(SocketChannel channel, SelectionKey key) throws IOException {
      return inner.wrapChannel(channel, key);
    }

    @Override
    public void close() {
      inner.close();
    }
  }

  private final class Endpoint extends WebSocketServer {
    Endpoint(InetSocketAddress address, List<Draft> drafts) {
      super(address, drafts);
    }

    @Override
    public void onStart() {
      startup.countDown();
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
      writes.queued(conn); // the handshake's answer
      opened(conn);
    }

    /** Every close, ours or the client's, sends its close frame before this. */
    @Override
    public void onClosing(WebSocket conn, int code, String reason, boolean remote) {
      writes.queued(conn);
    }

    @Override
    public void onWebsocketPing(WebSocket conn, Framedata ping) {
      super.onWebsocketPing(conn, ping); // the pong
      writes.queued(conn);
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
      closed(conn, code, reason);
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
      try {
        received(conn, message);
      } catch (RuntimeException e) {
        log.error("bug while handling a message", e);
        Session session = conn.getAttachment();
        if (session != null) {
          refuseUnlocked(
              session,
              new Admission.Refusal(
                  ErrorCode.INTERNAL, "server error: " + e.getClass().getSimpleName(), 0));
        }
      }
    }

    @Override
    public void onMessage(WebSocket conn, ByteBuffer message) {
      receivedBinary(conn);
    }

    @Override
    public void onWebsocketPong(WebSocket conn, Framedata frame) {
      Session session = conn.getAttachment();
      if (session != null) {
        admission.heard(session.ticket);
      }
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {
      if (conn == null) {
        if (startup.getCount() > 0) {
          startupError = ex;
          startup.countDown();
        } else {
          log.error("signaling server error", ex);
        }
      } else {
        log.debug("connection error from {}: {}", conn.getRemoteSocketAddress(), ex.toString());
      }
    }
  }
}
