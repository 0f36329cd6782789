package dev.rcdrive.protocol;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Every message on the signaling WebSocket: JSON text with a {@code type} field. Records validate
 * in their compact constructors, so a decoded message is always well formed. Evolution rules:
 * components are only added at the end, never renamed or reordered; unknown fields are ignored.
 * docs/protocol.md is the contract, with an example of each message.
 */
public sealed interface SignalMessage {

  /** The protocol version this code speaks; {@code hello} and {@code welcome} carry it. */
  int PROTOCOL_VERSION = 1;

  /** Car ids: what a user types in a config file and sees in a list. */
  Pattern CAR_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

  int MAX_SDP_CHARS = 32 * 1024;
  int MAX_CANDIDATE_CHARS = 1024;
  int MAX_NAME_CHARS = 64;
  int MAX_CREDENTIAL_CHARS = 512;
  int MAX_TEXT_CHARS = 512;

  /** First message from every client. */
  record Hello(
      Role role,
      String carId,
      String credential,
      String client,
      Integer protocol,
      String name,
      String resumePeerId,
      String resumeToken)
      implements SignalMessage {
    public Hello {
      Check.present("role", role);
      Check.text("credential", credential, MAX_CREDENTIAL_CHARS);
      Check.present("protocol", protocol);
      Check.that(protocol >= 1, "protocol must be 1 or more");
      if (role == Role.CAR) {
        Check.carId(carId);
      } else {
        Check.that(carId == null, "carId is only for role car");
      }
      Check.optionalText("client", client, MAX_NAME_CHARS);
      Check.optionalText("name", name, MAX_NAME_CHARS);
      Check.optionalText("resumePeerId", resumePeerId, MAX_NAME_CHARS);
      Check.optionalText("resumeToken", resumeToken, MAX_NAME_CHARS);
    }

    public Hello(
        Role role, String carId, String credential, String client, Integer protocol, String name) {
      this(role, carId, credential, client, protocol, name, null, null);
    }

    public static Hello car(String carId, String key, String client) {
      return new Hello(Role.CAR, carId, key, client, PROTOCOL_VERSION, null);
    }

    public static Hello driver(String token, String client) {
      return new Hello(Role.DRIVER, null, token, client, PROTOCOL_VERSION, null);
    }

    /** The same hello, asking to take over a previous session's driver lock. */
    public Hello resuming(String peerId, String token) {
      return new Hello(role, carId, credential, client, protocol, name, peerId, token);
    }

    /** Never print the credential: records' default toString would. */
    @Override
    public String toString() {
      return "Hello[role="
          + role
          + ", carId="
          + carId
          + ", client="
          + client
          + ", resumePeerId="
          + resumePeerId
          + "]";
    }
  }

  /** Server's answer to a good {@code hello}. */
  record Welcome(
      String peerId,
      List<IceServer> iceServers,
      String server,
      Integer protocol,
      String resumeToken)
      implements SignalMessage {
    public Welcome {
      Check.text("peerId", peerId, MAX_NAME_CHARS);
      iceServers = iceServers == null ? List.of() : List.copyOf(iceServers);
      Check.optionalText("server", server, MAX_NAME_CHARS);
      Check.present("protocol", protocol);
      Check.optionalText("resumeToken", resumeToken, MAX_NAME_CHARS);
    }

    public Welcome(String peerId, List<IceServer> iceServers, String server, Integer protocol) {
      this(peerId, iceServers, server, protocol, null);
    }

    @Override
    public String toString() {
      return "Welcome[peerId=" + peerId + ", iceServers=" + iceServers + ", server=" + server + "]";
    }
  }

  /** A STUN or TURN server as RTCPeerConnection takes it. */
  record IceServer(List<String> urls, String username, String credential) {
    public IceServer {
      Check.present("urls", urls);
      urls = List.copyOf(urls);
      Check.that(!urls.isEmpty(), "urls must not be empty");
      for (String url : urls) {
        Check.that(
            url.startsWith("stun:")
                || url.startsWith("stuns:")
                || url.startsWith("turn:")
                || url.startsWith("turns:"),
            "ICE server url must start with stun:, stuns:, turn: or turns: (" + url + ")");
      }
    }

    @Override
    public String toString() {
      return "IceServer[urls=" + urls + ", username=" + username + "]";
    }
  }

  /** Driver asks for the car list; the server also pushes {@code cars} on every change. */
  record ListCars() implements SignalMessage {}

  record Cars(List<CarInfo> cars) implements SignalMessage {
    public Cars {
      Check.present("cars", cars);
      cars = List.copyOf(cars);
    }
  }

  /** One configured car: whether it is connected and whether a driver holds its lock. */
  record CarInfo(String carId, String name, Boolean online, Boolean driven) {
    public CarInfo {
      Check.carId(carId);
      Check.text("name", name, MAX_NAME_CHARS);
      Check.present("online", online);
      Check.present("driven", driven);
    }
  }

  /** Driver asks for a car's driver lock. */
  record Drive(String carId) implements SignalMessage {
    public Drive {
      Check.carId(carId);
    }
  }

  /**
   * The lock on {@code carId} is now held by {@code driverId}: sent to that driver and to the car.
   */
  record Granted(String carId, String driverId, String driverName) implements SignalMessage {
    public Granted {
      Check.carId(carId);
      Check.text("driverId", driverId, MAX_NAME_CHARS);
      Check.optionalText("driverName", driverName, MAX_NAME_CHARS);
    }
  }

  /** A {@code drive} request refused; {@code code} is one of {@link ErrorCode}'s names. */
  record Denied(String carId, String code, String reason) implements SignalMessage {
    public Denied {
      Check.carId(carId);
      Check.text("code", code, MAX_NAME_CHARS);
      Check.text("reason", reason, MAX_TEXT_CHARS);
    }
  }

  /** Driver gives up its lock ({@code carId} may be omitted: the one it holds). */
  record Release(String carId) implements SignalMessage {
    public Release {
      if (carId != null) {
        Check.carId(carId);
      }
    }
  }

  /**
   * The lock on {@code carId} held by {@code driverId} has ended: sent to the car and driver.
   * {@code revoked} is true (and only then present) when the lock ended because that driver's token
   * was revoked: the car then ends its peer connection with that driver at once, where after any
   * other release it lets the link's own health decide (docs/protocol.md §1.3).
   */
  record Released(String carId, String driverId, String reason, Boolean revoked)
      implements SignalMessage {
    public Released {
      Check.carId(carId);
      Check.text("driverId", driverId, MAX_NAME_CHARS);
      Check.text("reason", reason, MAX_TEXT_CHARS);
      revoked = Boolean.TRUE.equals(revoked) ? Boolean.TRUE : null; // false is written as absent
    }

    public Released(String carId, String driverId, String reason) {
      this(carId, driverId, reason, null);
    }

    /** Whether the driver's credential was revoked (the car must end that driver's link). */
    public boolean driverRevoked() {
      return Boolean.TRUE.equals(revoked);
    }
  }

  /** SDP offer, driver to car; the server fills {@code from} when it relays. */
  record Offer(String sdp, String from) implements SignalMessage {
    public Offer {
      Check.text("sdp", sdp, MAX_SDP_CHARS);
    }

    public Offer(String sdp) {
      this(sdp, null);
    }
  }

  /** SDP answer, car to driver; the server fills {@code from} when it relays. */
  record Answer(String sdp, String from) implements SignalMessage {
    public Answer {
      Check.text("sdp", sdp, MAX_SDP_CHARS);
    }

    public Answer(String sdp) {
      this(sdp, null);
    }
  }

  /**
   * A trickled ICE candidate, either way. An empty {@code candidate} is the end-of-candidates
   * marker for that media section.
   */
  record Candidate(String candidate, String sdpMid, Integer sdpMLineIndex, String from)
      implements SignalMessage {
    public Candidate {
      Check.present("candidate", candidate);
      Check.that(
          candidate.length() <= MAX_CANDIDATE_CHARS,
          "candidate must be at most " + MAX_CANDIDATE_CHARS + " characters");
      Check.that(sdpMid != null || sdpMLineIndex != null, "sdpMid or sdpMLineIndex is required");
      Check.optionalText("sdpMid", sdpMid, MAX_NAME_CHARS);
      Check.that(
          sdpMLineIndex == null || (sdpMLineIndex >= 0 && sdpMLineIndex < 1024),
          "sdpMLineIndex must be in [0, 1023]");
    }

    public Candidate(String candidate, String sdpMid, Integer sdpMLineIndex) {
      this(candidate, sdpMid, sdpMLineIndex, null);
    }

    public static Candidate endOfCandidates(String sdpMid, Integer sdpMLineIndex) {
      return new Candidate("", sdpMid, sdpMLineIndex, null);
    }

    public boolean isEndOfCandidates() {
      return candidate.isEmpty();
    }
  }

  /** A client leaving for good (the server then releases its lock and closes the socket). */
  record Bye(String reason) implements SignalMessage {
    public Bye {
      Check.optionalText("reason", reason, MAX_TEXT_CHARS);
    }
  }

  /** Server refuses something; {@code code} is stable (see {@link ErrorCode}), text is human. */
  record ServerError(String code, String message) implements SignalMessage {
    public ServerError {
      Check.text("code", code, MAX_NAME_CHARS);
      Check.text("message", message, MAX_TEXT_CHARS);
    }

    public ServerError(ErrorCode code, String message) {
      this(code.name(), message);
    }
  }

  /** Validation for the compact constructors; throws IllegalArgumentException with the reason. */
  final class Check {
    private Check() {}

    static void that(boolean ok, String reason) {
      if (!ok) {
        throw new IllegalArgumentException(reason);
      }
    }

    static void present(String field, Object value) {
      that(value != null, field + " is required");
    }

    static void text(String field, String value, int maxChars) {
      present(field, value);
      that(!value.isBlank(), field + " must not be empty");
      that(value.length() <= maxChars, field + " must be at most " + maxChars + " characters");
    }

    static void optionalText(String field, String value, int maxChars) {
      that(
          value == null || value.length() <= maxChars,
          field + " must be at most " + maxChars + " characters");
      that(
          value == null || value.chars().noneMatch(Character::isISOControl),
          field + " must not contain control characters");
    }

    static void carId(String carId) {
      present("carId", carId);
      that(
          CAR_ID.matcher(carId).matches(),
          "carId must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
    }
  }
}
