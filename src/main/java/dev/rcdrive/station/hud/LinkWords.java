package dev.rcdrive.station.hud;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The link's and the signaling client's details ("Connection refused; retrying in 800 ms",
 * "signaling: code -1") in the user's words: what happened and what to check.
 */
public final class LinkWords {

  private static final Pattern RETRY = Pattern.compile(";\\s*retrying in (\\d+) ms\\s*$");

  private LinkWords() {}

  /**
   * @param detail the raw detail
   * @param server the server as the user gave it ("wss://host:port"), or "" when unknown
   */
  public static String explain(String detail, String server) {
    if (detail == null || detail.isBlank()) {
      return "";
    }
    String text = detail.strip();
    if (text.startsWith("signaling: ")) {
      text = text.substring("signaling: ".length());
    }
    String retry = "";
    Matcher m = RETRY.matcher(text);
    if (m.find()) {
      long seconds = Math.max(1, Math.round(Long.parseLong(m.group(1)) / 1000.0));
      retry = " (trying again in " + seconds + " s)";
      text = text.substring(0, m.start()).strip();
    }
    String where = server.isEmpty() ? "the server" : server;
    boolean secure = server.toLowerCase(Locale.ROOT).startsWith("wss:");
    String lower = text.toLowerCase(Locale.ROOT);
    String said;
    if (lower.contains("connection refused")) {
      said =
          "nothing answers at " + where + ": check the address and port, and that the server runs";
    } else if (lower.contains("unknownhost")
        || lower.contains("unknown host")
        || lower.contains("name or service not known")
        || lower.contains("nodename nor servname")) {
      said = "no such host in " + where + ": check the server name";
    } else if (lower.contains("timed out") || lower.contains("timeout")) {
      said = "no answer from " + where + ": check your network and the server's firewall";
    } else if (lower.contains("no route to host") || lower.contains("network is unreachable")) {
      said = "cannot reach " + where + ": check your network";
    } else if (lower.contains("certificate")
        || lower.contains("pkix")
        || lower.contains("ssl")
        || lower.contains("handshake")) {
      said =
          secure
              ? "the secure connection to "
                  + where
                  + " failed ("
                  + text
                  + "): is the server's"
                  + " certificate trusted, and does it speak wss://?"
              : "the connection to " + where + " failed (" + text + ")";
    } else if (lower.equals("code -1") || lower.equals("code 1006")) {
      said =
          secure
              ? "the secure (wss://) connection to "
                  + where
                  + " did not open: if the server is"
                  + " plain, use ws://; else check its certificate"
              : "the connection to "
                  + where
                  + " closed before it opened: check the address,"
                  + " and use wss:// if the server has TLS";
    } else {
      said = text;
    }
    return said + retry;
  }
}
