package dev.rcdrive.signaling;

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
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signaling rules with no transport: authentication, one room per configured car, the driver
 * lock, relay inside a pair, and a driver's resume after a reconnect (docs/protocol.md §1.2-1.3).
 * Each call takes one event — a client joined, sent a message, left — and returns what to send and
 * whom to close, in order, as an {@link Outbox}. No sockets, threads or timers: the caller makes
 * one call at a time (the server holds its one lock, ADR 0001) and delivers the outbox; time comes
 * from the injected clock (TURN credentials), and the coalesced {@code cars} push is a wake-up the
 * caller schedules ({@link Outbox#wakeAfter()} → {@link #wake()}).
 */
final class Hub {

  private static final Logger log = LoggerFactory.getLogger(Hub.class);

  /** Changes within this time reach each listening driver as one {@code cars} push. */
  static final Duration CARS_PUSH_DELAY = Duration.ofMillis(100);

  /** RFC 6455 close codes the hub uses. */
  static final int NORMAL = 1000;

  static final int POLICY = 1008;

  /** Where peer ids and resume tokens come from: random in the server, predictable in tests. */
  interface Ids {
    String peerId();

    String resumeToken();

    /** 72 random bits per peer id (12 characters), 216 per resume token. */
    static Ids random(SecureRandom random) {
      return new Ids() {
        @Override
        public String peerId() {
          byte[] bytes = new byte[9];
          random.nextBytes(bytes);
          return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        }

        @Override
        public String resumeToken() {
          return peerId() + peerId() + peerId();
        }
      };
    }
  }

  /**
   * One client connection as the hub sees it. Fields are the hub's (used under the caller's lock),
   * except {@link #closing}, which the transport reads without it.
   */
  static final class Peer {
    /**
     * This connection's id: {@code from} of what it sends, {@code driverId} of its locks. A driver
     * that resumes its previous session takes that session's id (docs/protocol.md §1.3).
     */
    String peerId;

    /**
     * A driver presents it (with {@link #peerId}) after a reconnect to take this session's lock.
     */
    final String resumeToken;

    final InetAddress address;

    private boolean authenticated;
    private Role role;
    private String carId;
    private String name;

    /** The configured key or token this peer logged in with (resolved): a reload compares it. */
    private String credential;

    /** For drivers: the car whose lock this driver holds, or null. */
    private String drivingCarId;

    /** A close is on its way: nothing more is read from or sent to this client. */
    private volatile boolean closing;

    Peer(String peerId, String resumeToken, InetAddress address) {
      this.peerId = peerId;
      this.resumeToken = resumeToken;
      this.address = address;
    }

    boolean authenticated() {
      return authenticated;
    }

    Role role() {
      return role;
    }

    boolean closing() {
      return closing;
    }

    /** Marks the peer as closing; false if it already was. */
    boolean markClosing() {
      if (closing) {
        return false;
      }
      closing = true;
      return true;
    }

    /** For logs: never a credential. */
    String label() {
      String who = carId != null ? carId : name != null ? name : "?";
      return who + " (" + peerId + " from " + address.getHostAddress() + ")";
    }
  }

  /** A car id taken over this many times within {@link #FLAP_WINDOW} is reported as flapping. */
  static final int FLAP_REPLACEMENTS = 3;

  static final Duration FLAP_WINDOW = Duration.ofSeconds(60);

  /** A configured car: its connection, if online, and the driver holding its lock, if any. */
  private static final class Room {
    SignalingConfig.Car config;
    Peer car;
    Peer driver;

    /** When a live connection of this car was last replaced by a newer one, newest last. */
    final java.util.ArrayDeque<java.time.Instant> replacements = new java.util.ArrayDeque<>();

    /** The addresses of the connections that replaced each other in the window. */
    final Set<String> flapAddresses = new LinkedHashSet<>();

    java.time.Instant lastFlapWarning;

    /**
     * A revoked driver's {@code released} that the car has not heard (it was offline): its live
     * WebRTC link may still be with that driver, so it gets the message when it registers again.
     */
    Released untoldRevocation;

    Room(SignalingConfig.Car config) {
      this.config = config;
    }
  }

  private SignalingConfig config;
  private final Clock clock;
  private final Ids ids;
  private final Map<String, Room> rooms = new LinkedHashMap<>();
  private final Set<Peer> peers = new LinkedHashSet<>();
  private final Set<Peer> carListeners = new LinkedHashSet<>();
  private final Map<String, Peer> driversByPeerId = new HashMap<>();
  private boolean carsPushPending;
  private long relayed;
  private Outbox out = new Outbox();

  /**
   * @param config resolved (secrets in place); its cars are the rooms, its drivers the tokens
   * @param clock wall time, for the expiry of minted TURN credentials
   */
  Hub(SignalingConfig config, Clock clock, Ids ids) {
    this.config = config;
    this.clock = clock;
    this.ids = ids;
    for (SignalingConfig.Car car : config.cars()) {
      rooms.put(car.id(), new Room(car));
    }
  }

  // ---- events ----------------------------------------------------------------------------------

  /** A new connection; it must send {@code hello} before anything else. */
  Peer join(InetAddress address) {
    Peer peer = new Peer(ids.peerId(), ids.resumeToken(), address);
    peers.add(peer);
    return peer;
  }

  /** A decoded message from {@code peer}. */
  Outbox receive(Peer peer, SignalMessage message) {
    if (peer.closing) {
      return take();
    }
    if (!peer.authenticated) {
      if (message instanceof Hello hello) {
        authenticate(peer, hello);
      } else {
        refuseInto(peer, ErrorCode.NOT_AUTHENTICATED, "send hello first", 0);
      }
    } else {
      dispatch(peer, message);
    }
    return take();
  }

  /**
   * Refuses {@code peer} with an {@code error}; closes it too when {@code closeCode} is not 0. For
   * the transport's own refusals (limits, size, rate). A closing peer is told nothing more.
   */
  Outbox refuse(Peer peer, ErrorCode code, String message, int closeCode) {
    if (!peer.closing) {
      refuseInto(peer, code, message, closeCode);
    }
    return take();
  }

  /** {@code peer}'s connection is gone (closed by either side, or found dead). */
  Outbox leave(Peer peer, int code, String reason) {
    if (!peers.remove(peer)) {
      return take();
    }
    peer.closing = true; // gone: nothing more can reach it
    carListeners.remove(peer);
    if (!peer.authenticated) {
      return take();
    }
    if (peer.role == Role.DRIVER) {
      driversByPeerId.remove(peer.peerId, peer); // a resumed session may hold the id now
      releaseLock(peer, "driver disconnected");
    } else {
      Room room = rooms.get(peer.carId);
      if (room.car == peer) {
        room.car = null;
        carsChanged();
      }
    }
    log.info("{} {} left ({} {})", peer.role.wireName(), peer.label(), code, reason);
    return take();
  }

  /** The wake-up an earlier outbox asked for: pushes {@code cars} to every listening driver. */
  Outbox wake() {
    carsPushPending = false;
    Cars cars = carsMessage();
    for (Peer listener : carListeners) {
      send(listener, cars);
    }
    return take();
  }

  /** The server stops: every authenticated client is told why (the transport then closes all). */
  Outbox shutdown() {
    for (Peer peer : peers) {
      if (peer.authenticated) {
        send(peer, new ServerError(ErrorCode.SERVER_SHUTDOWN, "server shutting down"));
      }
    }
    return take();
  }

  /**
   * The operator changed the configuration while the server runs (added or revoked a car or a
   * driver; docs/decisions/0001). Rooms follow the new car list. A connection whose key or token is
   * no longer configured is told {@code REVOKED} and closed: a revoked driver's lock is released
   * and its car told so with {@code revoked} set, so that the car ends that driver's WebRTC link
   * (which needs no server and would otherwise outlive the revocation); a removed car's driver is
   * released. A car whose key changed counts as removed and added. Everything else carries on.
   */
  Outbox reload(SignalingConfig next) {
    List<String> carsAdded = new ArrayList<>();
    List<String> carsRemoved = new ArrayList<>();
    Map<String, Room> nextRooms = new LinkedHashMap<>();
    for (SignalingConfig.Car car : next.cars()) {
      Room room = rooms.get(car.id());
      if (room != null && room.config.key().equals(car.key())) {
        room.config = car; // a new display name, at most
      } else {
        room = new Room(car);
        carsAdded.add(car.id());
      }
      nextRooms.put(car.id(), room);
    }
    int closed = 0;
    for (Room room : rooms.values()) {
      if (nextRooms.get(room.config.id()) == room) {
        continue;
      }
      carsRemoved.add(room.config.id());
      String why =
          nextRooms.containsKey(room.config.id())
              ? "car " + room.config.id() + "'s key was changed"
              : "car " + room.config.id() + " was removed from this server";
      if (room.driver != null) {
        Peer driver = room.driver;
        room.driver = null;
        driver.drivingCarId = null;
        send(driver, new Released(room.config.id(), driver.peerId, why));
      }
      if (room.car != null) {
        refuseInto(room.car, ErrorCode.REVOKED, "this car's key was revoked", POLICY);
        closed++;
      }
    }
    rooms.clear();
    rooms.putAll(nextRooms);

    Set<String> tokens = new HashSet<>();
    for (SignalingConfig.Driver driver : next.drivers()) {
      tokens.add(driver.token());
    }
    Set<String> oldTokens = new HashSet<>();
    for (SignalingConfig.Driver driver : config.drivers()) {
      oldTokens.add(driver.token());
    }
    for (Peer peer : List.copyOf(peers)) {
      if (peer.authenticated
          && peer.role == Role.DRIVER
          && !peer.closing
          && !tokens.contains(peer.credential)) {
        revokeDriver(peer);
        closed++;
      }
    }
    config = next;
    if (!carsAdded.isEmpty() || !carsRemoved.isEmpty()) {
      carsChanged();
    }
    long driversAdded = tokens.stream().filter(t -> !oldTokens.contains(t)).count();
    long driversRemoved = oldTokens.stream().filter(t -> !tokens.contains(t)).count();
    String summary =
        "cars added "
            + carsAdded
            + ", removed "
            + carsRemoved
            + "; driver tokens added "
            + driversAdded
            + ", removed "
            + driversRemoved
            + "; "
            + closed
            + (closed == 1 ? " connection" : " connections")
            + " closed";
    log.info("configuration reloaded: {}", summary);
    out.reloaded(summary);
    return take();
  }

  /** A driver whose token was removed: its lock, its car's link to it, its connection. */
  private void revokeDriver(Peer driver) {
    driversByPeerId.remove(driver.peerId); // its resume token takes nothing any more
    carListeners.remove(driver);
    String carId = driver.drivingCarId;
    driver.drivingCarId = null;
    Room room = carId == null ? null : rooms.get(carId);
    if (room != null && room.driver == driver) {
      room.driver = null;
      Released released =
          new Released(carId, driver.peerId, "the driver's token was revoked", true);
      send(driver, released);
      if (room.car != null) {
        send(room.car, released);
      } else {
        room.untoldRevocation = released;
      }
      carsChanged();
    }
    log.info("driver {} revoked", driver.label());
    refuseInto(driver, ErrorCode.REVOKED, "your driver token was revoked", POLICY);
  }

  // ---- counters --------------------------------------------------------------------------------

  int onlineCars() {
    return (int) rooms.values().stream().filter(room -> room.car != null).count();
  }

  int drivenCars() {
    return (int) rooms.values().stream().filter(room -> room.driver != null).count();
  }

  long relayedMessages() {
    return relayed;
  }

  // ---- rules -----------------------------------------------------------------------------------

  private void dispatch(Peer peer, SignalMessage message) {
    if (message instanceof Hello) {
      refuseInto(peer, ErrorCode.ALREADY_AUTHENTICATED, "already authenticated", 0);
    } else if (message instanceof ListCars) {
      if (requireRole(peer, Role.DRIVER, "list")) {
        carListeners.add(peer);
        send(peer, carsMessage());
      }
    } else if (message instanceof Drive drive) {
      if (requireRole(peer, Role.DRIVER, "drive")) {
        drive(peer, drive.carId());
      }
    } else if (message instanceof Release release) {
      if (requireRole(peer, Role.DRIVER, "release")) {
        release(peer, release.carId());
      }
    } else if (message instanceof Offer offer) {
      relay(peer, new Offer(offer.sdp(), peer.peerId));
    } else if (message instanceof Answer answer) {
      relay(peer, new Answer(answer.sdp(), peer.peerId));
    } else if (message instanceof Candidate c) {
      relay(peer, new Candidate(c.candidate(), c.sdpMid(), c.sdpMLineIndex(), peer.peerId));
    } else if (message instanceof Bye) {
      if (peer.role == Role.DRIVER) {
        releaseLock(peer, "driver left");
      }
      close(peer, NORMAL, "bye");
    } else {
      refuseInto(
          peer,
          ErrorCode.WRONG_ROLE,
          "'" + SignalCodec.typeName(message) + "' is sent by the server, not to it",
          0);
    }
  }

  private void authenticate(Peer peer, Hello hello) {
    if (hello.protocol() != SignalMessage.PROTOCOL_VERSION) {
      refuseInto(
          peer,
          ErrorCode.PROTOCOL_VERSION,
          "server speaks protocol "
              + SignalMessage.PROTOCOL_VERSION
              + ", client "
              + hello.protocol(),
          POLICY);
      return;
    }
    String name;
    SignalingConfig.Driver match = null;
    if (hello.role() == Role.CAR) {
      Room room = rooms.get(hello.carId());
      // Compare even for an unknown car, so timing does not tell which car ids exist.
      String expected = room == null ? "\0no such car" : room.config.key();
      if (!Secrets.matches(expected, hello.credential()) || room == null) {
        out.failedLogin("car " + hello.carId());
        refuseInto(peer, ErrorCode.AUTH_FAILED, "wrong car id or key", POLICY);
        return;
      }
      name = room.config.displayName();
    } else {
      for (SignalingConfig.Driver driver : config.drivers()) {
        if (Secrets.matches(driver.token(), hello.credential())) {
          match = driver; // no early exit: every token is compared
        }
      }
      if (match == null) {
        out.failedLogin("driver");
        refuseInto(peer, ErrorCode.AUTH_FAILED, "wrong driver token", POLICY);
        return;
      }
      name =
          match.name() != null
              ? match.name()
              : hello.name() != null ? hello.name() : "driver " + peer.peerId;
    }
    peer.authenticated = true;
    peer.role = hello.role();
    peer.carId = hello.carId();
    peer.name = name;
    Peer resumed = peer.role == Role.DRIVER ? resumable(peer, hello) : null;
    if (resumed != null) {
      peer.peerId = resumed.peerId; // the same driver: the car and its link know it by this id
    }
    peer.credential = match != null ? match.token() : rooms.get(hello.carId()).config.key();
    send(
        peer,
        new Welcome(
            peer.peerId,
            iceServersFor(peer.peerId),
            "rcdrive-signal/" + Version.current(),
            SignalMessage.PROTOCOL_VERSION,
            peer.role == Role.DRIVER ? peer.resumeToken : null));
    log.info("{} {} authenticated ({})", peer.role.wireName(), peer.label(), hello.client());
    if (peer.role == Role.DRIVER) {
      driversByPeerId.put(peer.peerId, peer);
      if (resumed != null) {
        resume(peer, resumed);
      }
    } else {
      Room room = rooms.get(peer.carId);
      Peer previous = room.car;
      room.car = peer;
      if (previous != null) {
        refuseInto(
            previous,
            ErrorCode.REPLACED,
            "a newer connection registered as car " + peer.carId,
            POLICY);
        replaced(room, previous, peer);
      }
      if (room.untoldRevocation != null) {
        send(peer, room.untoldRevocation);
        room.untoldRevocation = null;
      }
      if (room.driver != null) {
        send(peer, new Granted(room.config.id(), room.driver.peerId, room.driver.name));
      }
      carsChanged();
    }
  }

  /** The live session a driver's hello asks to resume, if its id and token match; else null. */
  private Peer resumable(Peer peer, Hello hello) {
    if (hello.resumePeerId() == null || hello.resumeToken() == null) {
      return null;
    }
    Peer old = driversByPeerId.get(hello.resumePeerId());
    if (old == null || old == peer || !Secrets.matches(old.resumeToken, hello.resumeToken())) {
      return null;
    }
    return old;
  }

  /**
   * A driver reconnecting with its previous session's id and resume token takes over that session —
   * its peer id and its lock — at once, even before the old connection is found dead. The car keeps
   * its driver, known by the same id, and its live WebRTC session: the driver's next ICE restart
   * (after a handover, say) is the same driver's, not a newcomer's.
   */
  private void resume(Peer peer, Peer old) {
    String carId = old.drivingCarId;
    old.drivingCarId = null;
    refuseInto(old, ErrorCode.REPLACED, "resumed by a newer connection", POLICY);
    Room room = carId == null ? null : rooms.get(carId);
    if (room != null && room.driver == old) {
      room.driver = peer;
      peer.drivingCarId = carId;
      log.info("driver {} resumed car {}", peer.label(), carId);
    }
  }

  /**
   * The newer connection of a car always wins (a car that lost its network reconnects before the
   * server has found its old socket dead). Connections that keep taking the id from each other are
   * two agents with one id, or someone else holding the key: reported at WARN, once a window.
   */
  private void replaced(Room room, Peer previous, Peer newer) {
    java.time.Instant now = clock.instant();
    log.info(
        "car {} registered again from {}: its connection from {} is replaced",
        room.config.id(),
        newer.address.getHostAddress(),
        previous.address.getHostAddress());
    while (!room.replacements.isEmpty()
        && room.replacements.peekFirst().isBefore(now.minus(FLAP_WINDOW))) {
      room.replacements.pollFirst();
    }
    if (room.replacements.isEmpty()) {
      room.flapAddresses.clear();
    }
    room.replacements.addLast(now);
    room.flapAddresses.add(previous.address.getHostAddress());
    room.flapAddresses.add(newer.address.getHostAddress());
    boolean warnedRecently =
        room.lastFlapWarning != null && room.lastFlapWarning.isAfter(now.minus(FLAP_WINDOW));
    if (room.replacements.size() >= FLAP_REPLACEMENTS && !warnedRecently) {
      room.lastFlapWarning = now;
      out.warn(
          "car "
              + room.config.id()
              + " is flapping: its connection was replaced "
              + room.replacements.size()
              + " times within "
              + FLAP_WINDOW.toSeconds()
              + " s (from "
              + String.join(", ", room.flapAddresses)
              + "); two agents run with this car id, or someone else holds its key. The newest"
              + " connection keeps the car");
    }
  }

  private void drive(Peer driver, String carId) {
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
      carsChanged();
    }
  }

  private void release(Peer driver, String carId) {
    if (driver.drivingCarId == null || (carId != null && !carId.equals(driver.drivingCarId))) {
      refuseInto(
          driver,
          ErrorCode.NOT_PAIRED,
          "you do not hold car " + (carId == null ? "any car" : "'" + carId + "'"),
          0);
      return;
    }
    releaseLock(driver, "released by the driver");
  }

  private void releaseLock(Peer driver, String reason) {
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
    carsChanged();
  }

  private void relay(Peer from, SignalMessage message) {
    Peer to;
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
      refuseInto(from, ErrorCode.NOT_PAIRED, why, 0);
      return;
    }
    send(to, message);
    relayed++;
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private boolean requireRole(Peer peer, Role role, String type) {
    if (peer.role == role) {
      return true;
    }
    refuseInto(
        peer, ErrorCode.WRONG_ROLE, "only a " + role.wireName() + " may send '" + type + "'", 0);
    return false;
  }

  private void deny(Peer driver, String carId, ErrorCode code, String reason) {
    out.refused(code);
    send(driver, new Denied(carId, code.name(), clip(reason)));
  }

  private void refuseInto(Peer peer, ErrorCode code, String message, int closeCode) {
    out.refused(code);
    log.debug("refused {} from {}: {}", code, peer.label(), message);
    send(peer, new ServerError(code, clip(message)));
    if (closeCode != 0) {
      close(peer, closeCode, code.name());
    }
  }

  /** The close frame follows every message already queued to the peer. */
  private void close(Peer peer, int code, String reason) {
    if (peer.markClosing()) {
      out.close(peer, code, reason);
    }
  }

  private void send(Peer to, SignalMessage message) {
    if (!to.closing) {
      out.send(to, message);
    }
  }

  /** Asks for one {@code cars} push per burst of changes (see {@link #wake()}). */
  private void carsChanged() {
    if (carListeners.isEmpty() || carsPushPending) {
      return;
    }
    carsPushPending = true;
    out.wakeAfter(CARS_PUSH_DELAY);
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

  private static String clip(String text) {
    return text.length() <= SignalMessage.MAX_TEXT_CHARS
        ? text
        : text.substring(0, SignalMessage.MAX_TEXT_CHARS - 1) + "…";
  }

  private Outbox take() {
    Outbox done = out;
    out = new Outbox();
    return done;
  }
}
