package dev.rcdrive.signaling;

import java.util.List;

/**
 * The coturn configuration {@code rcdrive signal init} writes beside the signaling config: the TURN
 * REST scheme with the secret the signaling server mints credentials from, and defaults safe on a
 * public machine (docs/server.md, docs/decisions/0018). Each line says why it is there.
 */
public record CoturnConfig(
    String domain,
    String secret,
    String externalIp,
    boolean tlsOn443,
    String certificate,
    String privateKey,
    int minRelayPort,
    int maxRelayPort) {

  public static final int DEFAULT_MIN_RELAY_PORT = 49152;
  public static final int DEFAULT_MAX_RELAY_PORT = 49999;

  /**
   * Peers a relay must never reach: a TURN server open to the internet would otherwise let anyone
   * with credentials into this machine's loopback and its provider's private networks (SSRF).
   */
  static final List<String> DENIED_PEERS =
      List.of(
          "0.0.0.0-0.255.255.255",
          "10.0.0.0-10.255.255.255",
          "100.64.0.0-100.127.255.255",
          "127.0.0.0-127.255.255.255",
          "169.254.0.0-169.254.255.255",
          "172.16.0.0-172.31.255.255",
          "192.0.0.0-192.0.0.255",
          "192.0.2.0-192.0.2.255",
          "192.168.0.0-192.168.255.255",
          "198.18.0.0-198.19.255.255",
          "198.51.100.0-198.51.100.255",
          "203.0.113.0-203.0.113.255",
          "224.0.0.0-255.255.255.255",
          "::-::1",
          "::ffff:0.0.0.0-::ffff:255.255.255.255",
          "64:ff9b::-64:ff9b::ffff:ffff",
          "fc00::-fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
          "fe80::-febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff");

  /** The ICE server URLs clients are given for this TURN server. */
  public List<String> urls() {
    var urls =
        new java.util.ArrayList<>(
            List.of(
                "stun:" + domain + ":3478",
                "turn:" + domain + ":3478?transport=udp",
                "turn:" + domain + ":3478?transport=tcp",
                "turns:" + domain + ":5349?transport=tcp"));
    if (tlsOn443) {
      urls.add("turns:" + domain + ":443?transport=tcp");
    }
    return urls;
  }

  public String text() {
    StringBuilder out = new StringBuilder();
    out.append("# coturn for rcdrive, written by 'rcdrive signal init' for ")
        .append(domain)
        .append(".\n# Started by coturn.service through the drop-in rcdrive-signal wrote")
        .append(" (turnserver -c THIS_FILE).\n\n")
        .append("# TURN over UDP and TCP; STUN too (finds a peer's public address).\n")
        .append("listening-port=3478\n")
        .append("# TURN over TLS, for networks that let only TLS through.\n")
        .append("tls-listening-port=5349\n");
    if (tlsOn443) {
      out.append("# TLS on 443 as well: the port the strictest networks still allow.\n")
          .append("alt-tls-listening-port=443\n");
    }
    if (externalIp != null && !externalIp.isBlank()) {
      out.append("# The public address, when this machine sits behind 1:1 NAT (a cloud VPS).\n")
          .append("external-ip=")
          .append(externalIp)
          .append('\n');
    }
    out.append("# Relayed media uses these UDP ports: open them in the firewall.\n")
        .append("min-port=")
        .append(minRelayPort)
        .append("\nmax-port=")
        .append(maxRelayPort)
        .append('\n')
        .append("\n# Credentials: minted by the signaling server from this shared secret")
        .append(" (TURN REST scheme).\n")
        .append("use-auth-secret\nstatic-auth-secret=")
        .append(secret)
        .append("\nrealm=")
        .append(domain)
        .append("\nserver-name=")
        .append(domain)
        .append("\nfingerprint\n")
        .append("\n# TLS with the certificate certbot renews (coturn re-reads it on SIGUSR2).\n")
        .append("cert=")
        .append(certificate)
        .append("\npkey=")
        .append(privateKey)
        .append("\nno-tlsv1\nno-tlsv1_1\n")
        .append("\n# Safe defaults on a public machine.\n")
        .append("# No telnet admin console.\nno-cli\n")
        .append("# A car and its driver need a few allocations each; a stolen credential")
        .append(" cannot take them all.\nuser-quota=12\ntotal-quota=1200\n")
        .append("# Never relay to multicast, loopback, private or reserved addresses.\n")
        .append("no-multicast-peers\n");
    for (String range : DENIED_PEERS) {
      out.append("denied-peer-ip=").append(range).append('\n');
    }
    out.append("\n# Logs go to the journal.\nsyslog\nsimple-log\n");
    return out.toString();
  }
}
