package dev.rcdrive.protocol;

/**
 * Stable codes for {@code error} and {@code denied} messages. Clients branch on the code, show the
 * message. Codes are only ever added; a client treats an unknown code as a generic failure.
 */
public enum ErrorCode {
  /** Not JSON, unknown type, a missing or wrong field: the message names it. Connection stays. */
  BAD_MESSAGE,
  /** Text frame over the size limit; the connection is closed (1009). */
  TOO_LARGE,
  /** Messages per second over the limit: messages dropped; the connection closed if it goes on. */
  RATE_LIMITED,
  /** Too many connections from one address (IPv6: one /64), or the server is full; closed. */
  TOO_MANY_CONNECTIONS,
  /** Wrong car key or driver token, or an unknown car id; closed. Clients must not retry. */
  AUTH_FAILED,
  /** No valid {@code hello} within the authentication timeout; closed. */
  AUTH_TIMEOUT,
  /** Anything but {@code hello} before authenticating. */
  NOT_AUTHENTICATED,
  /** A second {@code hello} on an authenticated connection. */
  ALREADY_AUTHENTICATED,
  /** The client speaks a protocol version this server does not; closed. */
  PROTOCOL_VERSION,
  /** A message this role may not send (a car asking to drive, a driver answering). */
  WRONG_ROLE,
  /** offer/answer/candidate without a current car-driver pairing to relay it in. */
  NOT_PAIRED,
  /** A newer connection authenticated as the same car; this one is closed. */
  REPLACED,
  /** The client does not read what the server sends (over 1,024 frames queued); closed. */
  SLOW_CONSUMER,
  /** Server shutting down. */
  SERVER_SHUTDOWN,
  /** A bug on the server; the message says what failed. */
  INTERNAL,
  /**
   * Too many failed logins from this address (IPv6: its /64): logins from it are refused, without
   * looking at the credential, for a while (the message says how long); closed (1013). Retry later.
   */
  AUTH_BLOCKED,
  /**
   * The car key or driver token this connection logged in with was removed from the server's
   * configuration while it was connected (an operator revoked it); closed (1008). Like {@link
   * #AUTH_FAILED}, retrying with the same credential cannot succeed.
   */
  REVOKED,

  // Reasons in "denied"
  /** No such car configured. */
  UNKNOWN_CAR,
  /** The car is configured but not connected. */
  CAR_OFFLINE,
  /** Another driver holds the car's lock. */
  CAR_BUSY,
  /** This driver already holds another car's lock; release it first. */
  ALREADY_DRIVING
}
