package dev.rcdrive.signaling;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Ephemeral TURN credentials in coturn's REST scheme ({@code --use-auth-secret}): the username is
 * {@code <unix-expiry>:<peerId>}, the password {@code base64(HMAC-SHA1(secret, username))}. coturn
 * recomputes the HMAC and refuses the username after its expiry.
 */
public final class TurnCredentials {

  /** A minted pair. */
  public record Pair(String username, String credential) {
    @Override
    public String toString() {
      return "Pair[username=" + username + "]";
    }
  }

  private TurnCredentials() {}

  public static Pair mint(String secret, String peerId, Duration ttl, Instant now) {
    long expiry = now.plus(ttl).getEpochSecond();
    String username = expiry + ":" + peerId;
    return new Pair(username, hmacSha1Base64(secret, username));
  }

  static String hmacSha1Base64(String secret, String username) {
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
      return Base64.getEncoder()
          .encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JRE has HmacSHA1", e);
    }
  }
}
