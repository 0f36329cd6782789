package dev.rcdrive.signaling;

import dev.rcdrive.protocol.Decoded;
import dev.rcdrive.protocol.ErrorCode;
import dev.rcdrive.protocol.Role;
import dev.rcdrive.protocol.SignalCodec;
import dev.rcdrive.protocol.SignalMessage;
import dev.rcdrive.protocol.SignalMessage.Answer;
import dev.rcdrive.protocol.SignalMessage.Bye;
import dev.rcdrive.protocol.SignalMessage.Candidate;
import dev.rcdrive.protocol.SignalMessage.CarInfo;
import dev.rcdrive.protocol.SignalMessage.Cars;
import dev.rcdrive.protocol.SignalMessage.Denied;
import dev.rcdrive.protocol.SignalMessage.Drive;
import dev.rcdrive.protocol.SignalMessage.Granted;
import dev.rcdrive.protocol.SignalMessage.Hello;
import dev.rcdrive.protocol.SignalMessage.IceServer;
import dev.rcdrive.protocol.SignalMessage.ListCars;
import dev.rcdrive.protocol.SignalMessage.Offer;
import dev.rcdrive.protocol.SignalMessage.Release;
import dev.rcdrive.protocol.SignalMessage.Released;
import dev.rcdrive.protocol.SignalMessage.ServerError;
import dev.rcdrive.protocol.SignalMessage.Welcome;
import dev.rcdrive.protocol.Version;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLContext;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketAdapter;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.WebSocketServerFactory;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.protocols.Protocol;
import org.java_websocket.server.DefaultSSLWebSocketServerFactory;
import org.java_websocket.server.DefaultWebSocketServerFactory;
import org.java_websocket.server.WebSocketServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signaling server: authenticates cars and drivers, keeps one driver lock per car, and relays
 * offer/answer/candidate only between a car and the driver holding its lock. Protocol in
 * docs/protocol.md.
 *
 * <p>Java-WebSocket calls back on its worker threads (messages of one connection stay in order).
 * All hub state is guarded by {@link #lock}; sending only queues bytes, so holding the lock while
 * sending never blocks on the network. Closing is never done under the lock (see {@link
 * #closeLater}).
 */
public final class SignalingServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SignalingServer.class);

  /** Frames past this multiple of the message limit are cut off by the WebSocket layer itself. */
  private static final int HARD_LIMIT_FACTOR = 4;

  private static final Duration CARS_PUSH_DELAY = Duration.ofMillis(100);

  /** Frames queued for one client before it counts as not reading (a session needs a few). */
  private static final int MAX_QUEUED_FRAMES = 1024;

  private final SignalingConfig config;
  private final Clock clock;
  private final LongSupplier nanoTime;
  private final Endpoint endpoint;
  private final ScheduledExecutorService timer;
  private final SecureRandom random = new SecureRandom();
  private final CountDownLatch startup = new CountDownLatch(1);
  private volatile Exception startupError;
  private final boolean tls;

  private final Object lock = new Object();
  private final Map<String, Room> rooms = new LinkedHashMap<>();
  private final Set<Session> carListeners = new LinkedHashSet<>();
  private final Map<String, Integer> connectionsByAddress = new HashMap<>();
  private final Map<String, Session> driversByPeerId = new HashMap<>();
  private final EnumMap<ErrorCode, Long> refusals = new EnumMap<>(ErrorCode.class);
  private ScheduledFuture<?> carsPush;
  private int openConnections;

  private long relayed;

  private SignalingServer(
      SignalingConfig config, Clock clock, LongSupplier nanoTime, SSLContext sslContext) {
    this.config = config;
    this.clock = clock;
    this.nanoTime = nanoTime;
    for (SignalingConfig.Car car : config.cars()) {
      rooms.put(car.id(), new Room(car));
    }
    // Connections still closing while the server stops may ask for a push or a close after the
    // timer was shut down: drop those (the server is going), never throw in a socket's thread.
    this.timer =
        new java.util.concurrent.ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread thread = new Thread(r, "signaling-timer");
              thread.setDaemon(true);
              return thread;
            },
            new java.util.concurrent.ThreadPoolExecutor.DiscardPolicy());
    int hardLimit = config.limits().maxMessageBytes() * HARD_LIMIT_FACTOR;
    // Protocol("") accepts clients that ask for no subprotocol, i.e. every client of ours.
    List<Draft> drafts = List.of(new Draft_6455(List.of(), List.of(new Protocol("")), hardLimit));
    this.endpoint = new Endpoint(new InetSocketAddress(config.host(), config.port()), drafts);
    this.tls = sslContext != null;
    WebSocketServerFactory sockets =
        sslContext != null
            ? new DefaultSSLWebSocketServerFactory(sslContext)
            : new DefaultWebSocketServerFactory();
    endpoint.setWebSocketFactory(new HandshakeDeadline(sockets));
    endpoint.setReuseAddr(true);
    endpoint.setTcpNoDelay(true);
    endpoint.setConnectionLostTimeout(config.limits().pingIntervalSeconds());
  }

  /**
   * Validates the config (resolving {@code env:} secrets from the process environment), binds and
   * starts serving; returns once the port is bound.
   */
  public static SignalingServer start(SignalingConfig config)
      throws IOException, InvalidConfigException {
    return start(config, Clock.systemUTC());
  }

  public static SignalingServer start(SignalingConfig config, Clock clock)
      throws IOException, InvalidConfigException {
    return start(config, clock, System::nanoTime);
  }

  /** With the rate limiters' time source injected, for tests. */
  static SignalingServer start(SignalingConfig config, Clock clock, LongSupplier nanoTime)
      throws IOException, InvalidConfigException {
    SignalingConfig resolved = config.resolved(System.getenv());
    SSLContext ssl = resolved.tls() == null ? null : TlsContexts.server(resolved.tls());
    SignalingServer server = new SignalingServer(resolved, clock, nanoTime, ssl);
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
    log.info(
        "signaling server on {} ({} cars, {} driver tokens, {} ICE servers)",
        server.uri(),
        resolved.cars().size(),
        resolved.drivers().size(),
        resolved.iceServers().size());
    return server;
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
      int online = 0;
      int driven = 0;
      for (Room room : rooms.values()) {
        online += room.car != null ? 1 : 0;
        driven += room.driver != null ? 1 : 0;
      }
      return new Stats(openConnections, online, driven, relayed, Map.copyOf(refusals));
    }
  }

  @Override
  public void close() {
    synchronized (lock) {
      for (WebSocket conn : endpoint.getConnections()) {
        Session session = conn.getAttachment();
        if (session != null && session.authenticated) {
          send(session, new ServerError(ErrorCode.SERVER_SHUTDOWN, "server shutting down"));
        }
      }
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
    InetAddress address = remoteAddress(conn);
    Session session =
        new Session(
            conn, newPeerId(), newPeerId() + newPeerId(), address, config.limits(), nanoTime);
    SignalingConfig.Limits limits = config.limits();
    synchronized (lock) {
      if (conn.isClosing() || conn.isClosed()) {
        return; // closed before we got here: nothing to count, onClose has nothing to undo
      }
      conn.setAttachment(session);
      session.counted = true;
      openConnections++;
      int fromAddress = connectionsByAddress.merge(session.addressKey, 1, Integer::sum);
      if (openConnections > limits.maxConnections()) {
        refuse(
            session,
            ErrorCode.TOO_MANY_CONNECTIONS,
            "server full (" + limits.maxConnections() + " connections)",
            CloseFrame.TRY_AGAIN_LATER);
      } else if (fromAddress > limits.maxConnectionsPerAddress()) {
        refuse(
            session,
            ErrorCode.TOO_MANY_CONNECTIONS,
            "more than "
                + limits.maxConnectionsPerAddress()
                + " connections from "
                + session.addressKey,
            CloseFrame.POLICY_VALIDATION);
      } else {
        session.authTimeout =
            timer.schedule(
                () -> authTimedOut(session), limits.authTimeoutMillis(), TimeUnit.MILLISECONDS);
      }
    }
  }

  private void authTimedOut(Session session) {
    synchronized (lock) {
      if (!session.authenticated && session.conn.isOpen() && !session.closing) {
        refuse(
            session,
            ErrorCode.AUTH_TIMEOUT,
            "no hello within " + config.limits().authTimeoutMillis() + " ms",
            CloseFrame.POLICY_VALIDATION);
      }
    }
  }

  private void closed(WebSocket conn, int code, String reason) {
    Session session = conn.getAttachment();
    if (session == null) {
      return;
    }
    synchronized (lock) {
      if (!session.counted) {
        return;
      }
      session.counted = false;
      openConnections--;
      connectionsByAddress.computeIfPresent(session.addressKey, (a, n) -> n > 1 ? n - 1 : null);
      if (session.authTimeout != null) {
        session.authTimeout.cancel(false);
      }
      carListeners.remove(session);
      if (!session.authenticated) {
        return;
      }
      if (session.role == Role.DRIVER) {
        driversByPeerId.remove(session.peerId);
        releaseLock(session, "driver disconnected");
      } else {
        Room room = rooms.get(session.carId);
        if (room.car == session) {
          room.car = null;
          scheduleCarsPush();
        }
      }
    }
    log.info(
        "{} {} left ({} {})",
        session.role == null ? "client" : session.role.wireName(),
        session.label(),
        code,
        reason);
  }

  // ---- messages ------------------------------------------------------------------------------

  /**
   * Size, rate and decoding happen outside the hub lock: Java-WebSocket calls one connection's
   * callbacks on one worker thread, in order, so only the hub state needs the lock.
   */
  private void received(WebSocket conn, String text) {
    Session session = conn.getAttachment();
    if (session == null || session.closing || !conn.isOpen()) {
      return;
    }
    int limit = config.limits().maxMessageBytes();
    if (text.length() > limit / 3 && text.getBytes(StandardCharsets.UTF_8).length > limit) {
      refuseUnlocked(
          session, ErrorCode.TOO_LARGE, "message over " + limit + " bytes", CloseFrame.TOOBIG);
      return;
    }
    if (!admitByRate(session)) {
      return;
    }
    Decoded<SignalMessage> decoded = SignalCodec.decode(text);
    if (decoded instanceof Decoded.Rejected<SignalMessage> rejected) {
      refuseUnlocked(session, ErrorCode.BAD_MESSAGE, rejected.reason(), 0);
      return;
    }
    SignalMessage message = decoded.orElseThrow();
    synchronized (lock) {
      if (session.closing) {
        return;
      }
      if (!session.authenticated) {
        if (message instanceof Hello hello) {
          authenticate(session, hello);
        } else {
          refuse(session, ErrorCode.NOT_AUTHENTICATED, "send hello first", 0);
        }
        return;
      }
      dispatch(session, message);
    }
  }

  private void receivedBinary(WebSocket conn) {
    Session session = conn.getAttachment();
    if (session == null || session.closing || !conn.isOpen() || !admitByRate(session)) {
      return;
    }
    refuseUnlocked(
        session,
        ErrorCode.BAD_MESSAGE,
        "binary frames are not part of the protocol; send JSON text",
        0);
  }

  private void refuseUnlocked(Session session, ErrorCode code, String message, int closeCode) {
    synchronized (lock) {
      refuse(session, code, message, closeCode);
    }
  }

  /** Token bucket per connection; a client that keeps flooding after the warning is closed. */
  private boolean admitByRate(Session session) {
    if (session.limiter.tryAcquire()) {
      session.droppedInARow = 0;
      return true;
    }
    session.droppedInARow++;
    int perSecond = config.limits().messagesPerSecond();
    if (session.droppedInARow == 1) {
      refuseUnlocked(
          session, ErrorCode.RATE_LIMITED, "over " + perSecond + " messages/s: message dropped", 0);
    } else if (session.droppedInARow >= config.limits().messageBurst()) {
      refuseUnlocked(
          session,
          ErrorCode.RATE_LIMITED,
          "kept sending over " + perSecond + " messages/s",
          CloseFrame.POLICY_VALIDATION);
    }
    return false;
  }

  private void dispatch(Session session, SignalMessage message) {
    if (message instanceof Hello) {
      refuse(session, ErrorCode.ALREADY_AUTHENTICATED, "already authenticated", 0);
    } else if (message instanceof ListCars) {
      if (requireRole(session, Role.DRIVER, "list")) {
        carListeners.add(session);
        send(session, carsMessage());
      }
    } else if (message instanceof Drive drive) {
      if (requireRole(session, Role.DRIVER, "drive")) {
        drive(session, drive.carId());
      }
    } else if (message instanceof Release release) {
      if (requireRole(session, Role.DRIVER, "release")) {
        release(session, release.carId());
      }
    } else if (message instanceof Offer offer) {
      relay(session, new Offer(offer.sdp(), session.peerId));
    } else if (message instanceof Answer answer) {
      relay(session, new Answer(answer.sdp(), session.peerId));
    } else if (message instanceof Candidate c) {
      relay(session, new Candidate(c.candidate(), c.sdpMid(), c.sdpMLineIndex(), session.peerId));
    } else if (message instanceof Bye bye) {
      if (session.role == Role.DRIVER) {
        releaseLock(session, "driver left");
      }
      closeLater(session, CloseFrame.NORMAL, "bye");
    } else {
      refuse(
          session,
          ErrorCode.WRONG_ROLE,
          "'" + SignalCodec.typeName(message) + "' is sent by the server, not to it",
          0);
    }
  }

  private void authenticate(Session session, Hello hello) {
    if (hello.protocol() != SignalMessage.PROTOCOL_VERSION) {
      refuse(
          session,
          ErrorCode.PROTOCOL_VERSION,
          "server speaks protocol "
              + SignalMessage.PROTOCOL_VERSION
              + ", client "
              + hello.protocol(),
          CloseFrame.POLICY_VALIDATION);
      return;
    }
    String name;
    if (hello.role() == Role.CAR) {
      Room room = rooms.get(hello.carId());
      // Compare even for an unknown car, so timing does not tell which car ids exist.
      String expected = room == null ? "\0no such car" : room.config.key();
      if (!Secrets.matches(expected, hello.credential()) || room == null) {
        refuse(session, ErrorCode.AUTH_FAILED, "wrong car id or key", CloseFrame.POLICY_VALIDATION);
        return;
      }
      name = room.config.displayName();
    } else {
      SignalingConfig.Driver match = null;
      for (SignalingConfig.Driver driver : config.drivers()) {
        if (Secrets.matches(driver.token(), hello.credential())) {
          match = driver; // no early exit: every token is compared
        }
      }
      if (match == null) {
        refuse(session, ErrorCode.AUTH_FAILED, "wrong driver token", CloseFrame.POLICY_VALIDATION);
        return;
      }
      name =
          match.name() != null
              ? match.name()
              : hello.name() != null ? hello.name() : "driver " + session.peerId;
    }
    session.authenticated = true;
    session.role = hello.role();
    session.carId = hello.carId();
    session.name = name;
    session.authTimeout.cancel(false);
    send(
        session,
        new Welcome(
            session.peerId,
            iceServersFor(session.peerId),
            "rcdrive-signal/" + Version.current(),
            SignalMessage.PROTOCOL_VERSION,
            session.role == Role.DRIVER ? session.resumeToken : null));
    log.info("{} {} authenticated ({})", session.role.wireName(), session.label(), hello.client());
    if (session.role == Role.DRIVER) {
      driversByPeerId.put(session.peerId, session);
      resume(session, hello);
    }
    if (session.role == Role.CAR) {
      Room room = rooms.get(session.carId);
      Session previous = room.car;
      room.car = session;
      if (previous != null) {
        refuse(
            previous,
            ErrorCode.REPLACED,
            "a newer connection registered as car " + session.carId,
            CloseFrame.POLICY_VALIDATION);
      }
      if (room.driver != null) {
        send(session, new Granted(room.config.id(), room.driver.peerId, room.driver.name));
      }
      scheduleCarsPush();
    }
  }

  /**
   * A driver reconnecting with its previous session's id and resume token takes over that session's
   * lock at once, even before the old connection is found dead: the car keeps its driver (and its
   * live WebRTC session) through a signaling blip.
   */
  private void resume(Session session, Hello hello) {
    if (hello.resumePeerId() == null || hello.resumeToken() == null) {
      return;
    }
    Session old = driversByPeerId.get(hello.resumePeerId());
    if (old == null || old == session || !Secrets.matches(old.resumeToken, hello.resumeToken())) {
      return;
    }
    String carId = old.drivingCarId;
    driversByPeerId.remove(old.peerId);
    old.drivingCarId = null;
    refuse(old, ErrorCode.REPLACED, "resumed by a newer connection", CloseFrame.POLICY_VALIDATION);
    Room room = carId == null ? null : rooms.get(carId);
    if (room != null && room.driver == old) {
      Granted granted = new Granted(carId, session.peerId, session.name);
      room.driver = session;
      session.drivingCarId = carId;
      if (room.car != null) {
        send(room.car, granted);
      }
      log.info("driver {} resumed car {}", session.label(), carId);
    }
  }

  private void drive(Session driver, String carId) {
    Room room = rooms.get(carId);
    if (room == null) {
      deny(driver, carId, ErrorCode.UNKNOWN_CAR, "no car '" + carId + "' on this server");
    } else if (room.driver == driver) {
      send(driver, new Granted(carId, driver.peerId, driver.name));
    } else if (driver.drivingCarId != null) {
      deny(
          driver,
          carId,
          ErrorCode.ALREADY_DRIVING,
          "release car '" + driver.drivingCarId + "' first");
    } else if (room.driver != null) {
      deny(
          driver,
          carId,
          ErrorCode.CAR_BUSY,
          room.config.displayName() + " is being driven by " + room.driver.name);
    } else if (room.car == null) {
      deny(driver, carId, ErrorCode.CAR_OFFLINE, room.config.displayName() + " is offline");
    } else {
      Granted granted =
          new Granted(carId, driver.peerId, driver.name); // may throw: before any change
      room.driver = driver;
      driver.drivingCarId = carId;
      send(driver, granted);
      send(room.car, granted);
      log.info("driver {} drives car {}", driver.label(), carId);
      scheduleCarsPush();
    }
  }

  private void release(Session driver, String carId) {
    if (driver.drivingCarId == null || (carId != null && !carId.equals(driver.drivingCarId))) {
      refuse(
          driver,
          ErrorCode.NOT_PAIRED,
          "you do not hold car " + (carId == null ? "any car" : "'" + carId + "'"),
          0);
      return;
    }
    releaseLock(driver, "released by the driver");
  }

  private void releaseLock(Session driver, String reason) {
    String carId = driver.drivingCarId;
    driver.drivingCarId = null;
    Room room = carId == null ? null : rooms.get(carId);
    if (room == null || room.driver != driver) {
      return;
    }
    room.driver = null;
    Released released = new Released(carId, driver.peerId, reason);
    send(driver, released);
    if (room.car != null) {
      send(room.car, released);
    }
    log.info("driver {} released car {}: {}", driver.label(), carId, reason);
    scheduleCarsPush();
  }

  private void relay(Session from, SignalMessage message) {
    Session to;
    String why;
    if (from.role == Role.DRIVER) {
      Room room = from.drivingCarId == null ? null : rooms.get(from.drivingCarId);
      to = room == null ? null : room.car;
      why =
          room == null
              ? "you hold no car; send drive first"
              : "car " + room.config.id() + " is offline";
    } else {
      Room room = rooms.get(from.carId);
      to = room.driver;
      why = "no driver holds this car";
    }
    if (to == null) {
      refuse(from, ErrorCode.NOT_PAIRED, why, 0);
      return;
    }
    send(to, message);
    relayed++;
  }

  // ---- helpers -------------------------------------------------------------------------------

  private boolean requireRole(Session session, Role role, String type) {
    if (session.role == role) {
      return true;
    }
    refuse(
        session, ErrorCode.WRONG_ROLE, "only a " + role.wireName() + " may send '" + type + "'", 0);
    return false;
  }

  private void deny(Session driver, String carId, ErrorCode code, String reason) {
    refusals.merge(code, 1L, Long::sum);
    send(driver, new Denied(carId, code.name(), clip(reason)));
  }

  /** Sends an {@code error}; closes the connection too when {@code closeCode} is not 0. */
  private void refuse(Session session, ErrorCode code, String message, int closeCode) {
    refusals.merge(code, 1L, Long::sum);
    log.debug("refused {} from {}: {}", code, session.label(), message);
    send(session, new ServerError(code, clip(message)));
    if (closeCode != 0) {
      closeLater(session, closeCode, code.name());
    }
  }

  /**
   * Closes outside the hub lock. Java-WebSocket calls onClose while holding the connection's
   * monitor, and onClose takes the hub lock; closing while holding the hub lock would take the two
   * in the opposite order and can deadlock. The close frame still follows every message already
   * queued on the connection.
   */
  private void closeLater(Session session, int closeCode, String reason) {
    if (session.closing) {
      return;
    }
    session.closing = true;
    timer.execute(() -> session.conn.close(closeCode, reason));
  }

  private static String clip(String text) {
    return text.length() <= SignalMessage.MAX_TEXT_CHARS
        ? text
        : text.substring(0, SignalMessage.MAX_TEXT_CHARS - 1) + "…";
  }

  private void send(Session session, SignalMessage message) {
    if (session.conn instanceof WebSocketImpl impl && impl.outQueue.size() > MAX_QUEUED_FRAMES) {
      // It does not read what we send: drop it before its queue eats the heap.
      refusals.merge(ErrorCode.SLOW_CONSUMER, 1L, Long::sum);
      closeLater(session, CloseFrame.POLICY_VALIDATION, ErrorCode.SLOW_CONSUMER.name());
      return;
    }
    if (session.conn.isOpen() && !session.closing) {
      try {
        session.conn.send(SignalCodec.encode(message));
      } catch (org.java_websocket.exceptions.WebsocketNotConnectedException closing) {
        // closed between the check and the send: nothing to deliver to
      }
    }
  }

  private Cars carsMessage() {
    List<CarInfo> cars = new ArrayList<>(rooms.size());
    for (Room room : rooms.values()) {
      cars.add(
          new CarInfo(
              room.config.id(), room.config.displayName(), room.car != null, room.driver != null));
    }
    return new Cars(cars);
  }

  /**
   * Coalesces bursts of changes (many cars at once) into one {@code cars} push per listener. Called
   * under the lock; the push clears {@link #carsPush} under the same lock before it reads the
   * state, so a change made after that read schedules a push of its own.
   */
  private void scheduleCarsPush() {
    if (carListeners.isEmpty() || carsPush != null) {
      return;
    }
    carsPush =
        timer.schedule(
            () -> {
              synchronized (lock) {
                carsPush = null;
                Cars cars = carsMessage();
                for (Session listener : carListeners) {
                  send(listener, cars);
                }
              }
            },
            CARS_PUSH_DELAY.toMillis(),
            TimeUnit.MILLISECONDS);
  }

  private List<IceServer> iceServersFor(String peerId) {
    List<IceServer> servers = new ArrayList<>();
    for (SignalingConfig.IceServerConfig ice : config.iceServers()) {
      if (ice.secret() != null) {
        TurnCredentials.Pair pair =
            TurnCredentials.mint(
                ice.secret(), peerId, Duration.ofSeconds(ice.ttlSeconds()), clock.instant());
        servers.add(new IceServer(ice.urls(), pair.username(), pair.credential()));
      } else {
        servers.add(new IceServer(ice.urls(), ice.username(), ice.credential()));
      }
    }
    return servers;
  }

  private String newPeerId() {
    byte[] bytes = new byte[9];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static InetAddress remoteAddress(WebSocket conn) {
    InetSocketAddress remote = conn.getRemoteSocketAddress();
    return remote == null ? InetAddress.getLoopbackAddress() : remote.getAddress();
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
      timer.schedule(
          () -> {
            if (!socket.isOpen() && !socket.isClosed()) {
              synchronized (lock) {
                refusals.merge(ErrorCode.AUTH_TIMEOUT, 1L, Long::sum);
              }
              socket.closeConnection(CloseFrame.POLICY_VALIDATION, "handshake timeout");
            }
          },
          config.limits().authTimeoutMillis(),
          TimeUnit.MILLISECONDS);
      return socket;
    }

    @Override
    public java.nio.channels.ByteChannel wrapChannel(
        java.nio.channels.SocketChannel channel, java.nio.channels.SelectionKey key)
        throws IOException {
      return inner.wrapChannel(channel, key);
    }

    @Override
    public void close() {
      inner.close();
    }
  }

  /** A configured car: its connection, if online, and the driver holding its lock, if any. */
  private static final class Room {
    final SignalingConfig.Car config;
    Session car;
    Session driver;

    Room(SignalingConfig.Car config) {
      this.config = config;
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
      opened(conn);
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
          synchronized (lock) {
            refuse(session, ErrorCode.INTERNAL, "server error: " + e.getClass().getSimpleName(), 0);
          }
        }
      }
    }

    @Override
    public void onMessage(WebSocket conn, ByteBuffer message) {
      receivedBinary(conn);
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
