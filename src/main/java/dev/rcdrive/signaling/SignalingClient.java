package dev.rcdrive.signaling;

import dev.rcdrive.protocol.Decoded;
import dev.rcdrive.protocol.ErrorCode;
import dev.rcdrive.protocol.Role;
import dev.rcdrive.protocol.SignalCodec;
import dev.rcdrive.protocol.SignalMessage;
import dev.rcdrive.protocol.SignalMessage.Bye;
import dev.rcdrive.protocol.SignalMessage.Denied;
import dev.rcdrive.protocol.SignalMessage.Drive;
import dev.rcdrive.protocol.SignalMessage.Granted;
import dev.rcdrive.protocol.SignalMessage.Hello;
import dev.rcdrive.protocol.SignalMessage.Release;
import dev.rcdrive.protocol.SignalMessage.Released;
import dev.rcdrive.protocol.SignalMessage.ServerError;
import dev.rcdrive.protocol.SignalMessage.Welcome;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.java_websocket.handshake.ServerHandshake;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A signaling connection that stays up: connects, says hello, and after any loss reconnects with
 * exponential backoff and jitter, says hello again, and, for a driver, asks again for the car whose
 * lock it held. It gives up only on refusals that retrying cannot fix (wrong credentials, protocol
 * version, replaced by a newer connection) or on {@link #close()}.
 *
 * <p>Events reach the {@link Listener} in order on one thread of this client's own, never on the
 * socket thread; the listener must not block it.
 */
public final class SignalingClient implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SignalingClient.class);

  /**
   * Refusals after which reconnecting would only be refused again. {@code REPLACED} is final for a
   * driver (its own newer connection resumed the session: retrying would steal it back), not for a
   * car: see {@link #REPLACED_BACKOFF}.
   */
  private static final Set<String> FINAL_ERRORS =
      Set.of(
          ErrorCode.AUTH_FAILED.name(),
          ErrorCode.PROTOCOL_VERSION.name(),
          ErrorCode.REPLACED.name(),
          ErrorCode.REVOKED.name());

  /**
   * A car replaced on its live connection: someone else registered its id and key (a second agent
   * with the same config, or a replayed hello). Giving up would keep the car offline for good (the
   * process runs on, so systemd never restarts it): it takes the id back after 2 s, then 4, 8 … up
   * to a minute while it keeps being replaced, logging each time at ERROR; the server reports the
   * flapping too.
   */
  static final Backoff REPLACED_BACKOFF = new Backoff(Duration.ofSeconds(2), Duration.ofMinutes(1));

  /** A car not replaced for this long starts its {@link #REPLACED_BACKOFF} from the beginning. */
  static final Duration REPLACED_MEMORY = Duration.ofMinutes(10);

  /** Where the connection stands. */
  public enum State {
    /** Opening the socket and authenticating. */
    CONNECTING,
    /** Authenticated: {@link #welcome()} is set and messages flow. */
    READY,
    /** Lost; a new attempt is scheduled. */
    RECONNECTING,
    /** Given up for good (see the detail), or closed by the owner. */
    STOPPED
  }

  /** Receives what happens, in order, on the client's event thread. */
  public interface Listener {
    /** A state change; {@code detail} says why (a close reason, an error). */
    default void onState(State state, String detail) {}

    /** Every message from the server after {@code welcome}, including errors. */
    void onMessage(SignalMessage message);
  }

  /** How long to wait between attempts: doubling from {@code initial} up to {@code max}. */
  public record Backoff(Duration initial, Duration max) {
    public static final Backoff DEFAULT =
        new Backoff(Duration.ofMillis(250), Duration.ofSeconds(10));

    /** "Equal jitter": half the step for sure, half at random, so clients spread out. */
    Duration delay(int attempt, Random random) {
      long step = initial.toMillis() << Math.min(attempt, 20);
      long capped = Math.min(max.toMillis(), step);
      return Duration.ofMillis(capped / 2 + (long) (random.nextDouble() * (capped / 2.0)));
    }
  }

  private static final int MAX_REGAIN_ATTEMPTS = 60;

  /** After a denied regain, ask again this much later (the car may not be back yet). */
  private static final Duration REGAIN_RETRY = Duration.ofSeconds(1);

  /** Pings to the server this often; no pong for 1.5 times as long and the socket is dropped. */
  static final Duration PING_INTERVAL = Duration.ofSeconds(10);

  private final URI uri;
  private final Hello hello;
  private final Listener listener;
  private final SSLContext sslContext;
  private final Backoff backoff;
  private final ScheduledExecutorService events;

  /** Every wait (backoff, regain, pings, probes) is read here: real time, or a test's. */
  private final Scheduler time;

  private final Random random;

  // Touched only on the events thread.
  private volatile Socket socket;
  private int attempt;
  private boolean closed;
  private String heldCarId;
  private String previousPeerId;
  private String resumeToken;
  private boolean regaining;
  private int regainAttempts;
  private int replacedTimes;
  private long lastReplacedNanos;
  private Duration nextWait;

  private volatile Thread eventThread;
  private volatile State state = State.CONNECTING;
  private volatile Welcome welcome;

  private SignalingClient(
      URI uri,
      Hello hello,
      Listener listener,
      SSLContext sslContext,
      Backoff backoff,
      Scheduler time,
      Random random) {
    this.uri = Objects.requireNonNull(uri, "uri");
    this.hello = Objects.requireNonNull(hello, "hello");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.sslContext = sslContext;
    this.backoff = backoff;
    String scheme = uri.getScheme();
    if (!"ws".equals(scheme) && !"wss".equals(scheme)) {
      throw new IllegalArgumentException("signaling URL must start with ws:// or wss://: " + uri);
    }
    String who = hello.role() == Role.CAR ? "car-" + hello.carId() : "driver";
    this.events =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "signaling-client-" + who);
              thread.setDaemon(true);
              eventThread = thread;
              return thread;
            });
    this.time = time != null ? time : Scheduler.on(events);
    this.random = random;
  }

  /** Starts connecting in the background; watch the listener for {@link State#READY}. */
  public static SignalingClient connect(URI uri, Hello hello, Listener listener) {
    return connect(uri, hello, listener, null, Backoff.DEFAULT);
  }

  /**
   * @param sslContext for wss:// with a private CA or self-signed server; null for the JVM's
   *     default trust
   */
  public static SignalingClient connect(
      URI uri, Hello hello, Listener listener, SSLContext sslContext, Backoff backoff) {
    return connect(uri, hello, listener, sslContext, backoff, null, new Random());
  }

  /** With its waits on {@code time} (null: real time) and its jitter from {@code random}. */
  static SignalingClient connect(
      URI uri,
      Hello hello,
      Listener listener,
      SSLContext sslContext,
      Backoff backoff,
      Scheduler time,
      Random random) {
    SignalingClient client =
        new SignalingClient(uri, hello, listener, sslContext, backoff, time, random);
    client.events.execute(client::open);
    return client;
  }

  public State state() {
    return state;
  }

  /** The newest welcome (peer id, ICE servers), or null before the first one. */
  public Welcome welcome() {
    return welcome;
  }

  /**
   * Sends now if connected and authenticated; returns false otherwise (the message is dropped:
   * signaling is state, and a client re-sends what still matters after a reconnect).
   */
  public boolean send(SignalMessage message) {
    Socket current = socket;
    if (state != State.READY || current == null) {
      return false;
    }
    events.execute(() -> track(message));
    try {
      current.send(SignalCodec.encode(message));
      return true;
    } catch (WebsocketNotConnectedException e) {
      return false;
    }
  }

  /** Says bye, closes, and stops reconnecting. Idempotent; may be called from the listener. */
  @Override
  public void close() {
    if (events.isShutdown()) {
      return;
    }
    try {
      if (Thread.currentThread() == eventThread) {
        shutDown();
      } else {
        events.submit(this::shutDown).get(2, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      log.debug("close: {}", e.toString());
    } finally {
      events.shutdown();
    }
  }

  private void shutDown() {
    closed = true;
    Socket current = socket;
    if (current != null && current.isOpen()) {
      try {
        current.send(SignalCodec.encode(new Bye("client closed")));
      } catch (WebsocketNotConnectedException ignored) {
        // already gone
      }
      current.close();
    }
    setState(State.STOPPED, "closed");
  }

  /**
   * Checks at once whether the server still answers: when the WebRTC link breaks, the reason may be
   * that this machine's address changed (a 4G handover), which kills the signaling socket without a
   * word, and the lost-connection check would notice only after 10-15 s. A ping with no answer
   * within {@code timeout} reconnects now, so the peer's ICE restart can reach us. Any thread.
   */
  public void probe(Duration timeout) {
    try {
      events.execute(() -> sendProbe(timeout));
    } catch (java.util.concurrent.RejectedExecutionException closing) {
      // closed meanwhile
    }
  }

  /** For tests: returns once every event queued before this call has been handled. */
  void awaitEvents() throws Exception {
    events.submit(() -> {}).get(30, TimeUnit.SECONDS);
  }

  // ---- on the events thread ------------------------------------------------------------------

  /** Runs {@code task} on the events thread {@code delay} from now (on {@link #time}). */
  private void later(Duration delay, Runnable task) {
    time.schedule(delay, () -> submit(task));
  }

  private void submit(Runnable task) {
    if (!events.isShutdown()) {
      try {
        events.execute(task);
      } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
        // closed meanwhile
      }
    }
  }

  private void sendProbe(Duration timeout) {
    Socket current = socket;
    if (closed || current == null || !current.isOpen()) {
      return; // already reconnecting
    }
    long pongsBefore = current.heartbeat.pongs();
    try {
      current.sendPing();
    } catch (WebsocketNotConnectedException e) {
      return; // onClose follows and reconnects
    }
    later(
        timeout,
        () -> {
          if (current == socket && !closed && current.heartbeat.pongs() == pongsBefore) {
            log.info(
                "the signaling server did not answer a ping within {} ms: reconnecting",
                timeout.toMillis());
            current.closeConnection(
                org.java_websocket.framing.CloseFrame.ABNORMAL_CLOSE, "no answer to a ping");
          }
        });
  }

  /**
   * Pings the server every {@link #PING_INTERVAL}; a server that has not answered for 1.5 intervals
   * is left, and the client reconnects (a socket that died silently, e.g. after a handover).
   */
  private void keepAlive(Socket current) {
    if (current != socket || closed || !current.isOpen()) {
      return;
    }
    if (current.heartbeat.lost(time.nanoTime())) {
      log.info("the signaling server stopped answering pings: reconnecting");
      current.closeConnection(
          org.java_websocket.framing.CloseFrame.ABNORMAL_CLOSE, "no answer to pings");
      return;
    }
    try {
      current.sendPing();
    } catch (WebsocketNotConnectedException e) {
      return; // onClose follows and reconnects
    }
    later(PING_INTERVAL, () -> keepAlive(current));
  }

  private void open() {
    if (closed) {
      return;
    }
    setState(State.CONNECTING, uri.toString());
    Socket next = new Socket(uri);
    socket = next;
    if (sslContext != null) {
      next.setSocketFactory(sslContext.getSocketFactory());
    }
    next.setDaemon(true);
    next.setTcpNoDelay(true);
    next.setConnectionLostTimeout(0); // our own pings, on our clock: see keepAlive
    next.connect();
  }

  private void onOpen(Socket from) {
    if (from != socket || closed) {
      return;
    }
    from.heartbeat.opened(time.nanoTime());
    later(PING_INTERVAL, () -> keepAlive(from));
    // After a reconnect a driver asks to take over its previous session and that session's lock.
    Hello greeting =
        previousPeerId != null && resumeToken != null
            ? hello.resuming(previousPeerId, resumeToken)
            : hello;
    try {
      from.send(SignalCodec.encode(greeting));
    } catch (WebsocketNotConnectedException e) {
      // onClose follows and reconnects
    }
  }

  private void onText(Socket from, String text) {
    if (from != socket || closed) {
      return;
    }
    Decoded<SignalMessage> decoded = SignalCodec.decode(text);
    if (decoded instanceof Decoded.Rejected<SignalMessage> rejected) {
      log.warn("ignoring a message from the server: {}", rejected.reason());
      return;
    }
    SignalMessage message = decoded.orElseThrow();
    if (message instanceof Welcome w) {
      welcome = w;
      previousPeerId = w.peerId();
      resumeToken = w.resumeToken();
      attempt = 0;
      setState(State.READY, "peer " + w.peerId());
      if (heldCarId != null) {
        log.info("re-registered; asking for car {} again", heldCarId);
        regaining = true;
        regainAttempts = 0;
        from.send(SignalCodec.encode(new Drive(heldCarId)));
      }
      return;
    }
    if (regaining && message instanceof Denied denied && denied.carId().equals(heldCarId)) {
      if (retryRegain(from, denied)) {
        return; // not the driver's news yet: the car may simply not be back
      }
      regaining = false;
    }
    if (message instanceof Granted granted && granted.carId().equals(heldCarId)) {
      regaining = false;
    }
    if (message instanceof ServerError error
        && error.code().equals(ErrorCode.REPLACED.name())
        && hello.role() == Role.CAR) {
      long now = time.nanoTime();
      if (replacedTimes > 0 && now - lastReplacedNanos > REPLACED_MEMORY.toNanos()) {
        replacedTimes = 0;
      }
      lastReplacedNanos = now;
      nextWait = REPLACED_BACKOFF.delay(replacedTimes++, random);
      log.error(
          "car {} was replaced by another connection with its id and key ({}): a second agent runs"
              + " with this car's config, or someone replayed its hello. Taking the car back in {}"
              + " s (replaced {} times)",
          hello.carId(),
          error.message(),
          nextWait.toSeconds(),
          replacedTimes);
      deliver(message);
      from.close();
      return;
    }
    if (message instanceof ServerError error && FINAL_ERRORS.contains(error.code())) {
      closed = true; // no retry: it would be refused again
      heldCarId = null;
      deliver(message);
      setState(State.STOPPED, error.code() + ": " + error.message());
      from.close();
      return;
    }
    track(message);
    deliver(message);
  }

  private void onClosed(Socket from, int code, String reason) {
    if (from != socket) {
      return;
    }
    socket = null;
    if (closed) {
      setState(State.STOPPED, state == State.STOPPED ? "closed" : reason);
      return;
    }
    Duration delay = nextWait != null ? nextWait : backoff.delay(attempt++, random);
    nextWait = null;
    String why = reason == null || reason.isBlank() ? "code " + code : reason;
    setState(State.RECONNECTING, why + "; retrying in " + delay.toMillis() + " ms");
    later(delay, this::open);
  }

  /**
   * After a reconnect the car may not have re-registered yet (CAR_OFFLINE), or the server may not
   * yet have noticed our previous connection is dead (CAR_BUSY): ask again each second for up to a
   * minute before telling the listener.
   */
  private boolean retryRegain(Socket from, Denied denied) {
    boolean transientRefusal =
        denied.code().equals(ErrorCode.CAR_OFFLINE.name())
            || denied.code().equals(ErrorCode.CAR_BUSY.name());
    if (!transientRefusal || regainAttempts >= MAX_REGAIN_ATTEMPTS) {
      return false;
    }
    regainAttempts++;
    String carId = heldCarId;
    later(
        REGAIN_RETRY,
        () -> {
          if (from == socket && !closed && regaining && carId.equals(heldCarId)) {
            try {
              from.send(SignalCodec.encode(new Drive(carId)));
            } catch (WebsocketNotConnectedException gone) {
              // the next reconnect asks again
            }
          }
        });
    return true;
  }

  /** Remembers which car's lock this driver holds, to ask for it again after a reconnect. */
  private void track(SignalMessage message) {
    Welcome current = welcome;
    if (message instanceof Granted granted
        && current != null
        && granted.driverId().equals(current.peerId())) {
      heldCarId = granted.carId();
    } else if (message instanceof Released released && released.carId().equals(heldCarId)) {
      heldCarId = null;
    } else if (message instanceof Release) {
      heldCarId = null;
      regaining = false;
    } else if (message instanceof Denied denied && denied.carId().equals(heldCarId)) {
      heldCarId = null;
    }
  }

  private void setState(State next, String detail) {
    if (state == next && next == State.STOPPED) {
      return;
    }
    state = next;
    log.debug("{} {}: {}", hello.role().wireName(), next, detail);
    try {
      listener.onState(next, detail);
    } catch (RuntimeException e) {
      // A failing listener must not stop the reconnect logic that runs after it.
      log.error("signaling listener failed on state {}", next, e);
    }
  }

  private void deliver(SignalMessage message) {
    try {
      listener.onMessage(message);
    } catch (RuntimeException e) {
      log.error("signaling listener failed on {}", SignalCodec.typeName(message), e);
    }
  }

  /** Java-WebSocket calls these on its socket thread; each hands over to the events thread. */
  private final class Socket extends WebSocketClient {
    /** When the server last answered a ping (or the socket opened), on {@link #time}. */
    final Heartbeat heartbeat = new Heartbeat(PING_INTERVAL, time.nanoTime());

    Socket(URI uri) {
      super(uri, new org.java_websocket.drafts.Draft_6455(), null, 5000);
    }

    @Override
    public void onWebsocketPong(
        org.java_websocket.WebSocket conn, org.java_websocket.framing.Framedata frame) {
      heartbeat.heard(time.nanoTime());
      super.onWebsocketPong(conn, frame);
    }

    @Override
    public void onOpen(ServerHandshake handshake) {
      submit(() -> SignalingClient.this.onOpen(this));
    }

    @Override
    public void onMessage(String message) {
      submit(() -> onText(this, message));
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {
      submit(() -> onClosed(this, code, reason));
    }

    @Override
    public void onError(Exception ex) {
      log.debug("signaling socket error: {}", ex.toString());
    }
  }
}
