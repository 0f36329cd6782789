package dev.rcdrive.rtc;

import java.util.Locale;

/**
 * The DTLS certificate fingerprint of a session description ({@code a=fingerprint:}, RFC 8122). An
 * RTCPeerConnection keeps one certificate for its whole life, so the fingerprint tells whether a
 * description comes from the same peer connection as an earlier one: an ICE restart keeps it, a
 * peer that made a new connection (a restarted car, a driver's fresh link) does not. That is the
 * only safe test: a peer's signaling id may change (a server restart, a resume) while its
 * connection lives on, and a new connection may come from the same id.
 */
public final class SdpFingerprint {

  private SdpFingerprint() {}

  /**
   * "sha-256 AB:CD:…" (algorithm lower case, hex upper case) of the first {@code a=fingerprint}
   * line; with BUNDLE every section shares it. Null when the description has none.
   */
  public static String of(String sdp) {
    if (sdp == null) {
      return null;
    }
    for (String line : sdp.split("\r?\n")) {
      if (line.startsWith("a=fingerprint:")) {
        String[] parts = line.substring("a=fingerprint:".length()).strip().split("\\s+");
        if (parts.length == 2 && !parts[1].isEmpty()) {
          return parts[0].toLowerCase(Locale.ROOT) + " " + parts[1].toUpperCase(Locale.ROOT);
        }
      }
    }
    return null;
  }
}
