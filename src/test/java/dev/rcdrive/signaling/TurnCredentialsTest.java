package dev.rcdrive.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TurnCredentialsTest {

  /**
   * The expected password was computed outside Java with Python's hmac module:
   * base64(hmac.new(b'north-pole-secret', b'1700003600:peerXYZ', sha1).digest()).
   */
  @Test
  void matchesCoturnsRestSchemeForAKnownVector() {
    TurnCredentials.Pair pair =
        TurnCredentials.mint(
            "north-pole-secret",
            "peerXYZ",
            Duration.ofHours(1),
            Instant.ofEpochSecond(1_700_000_000L));

    assertThat(pair.username()).isEqualTo("1700003600:peerXYZ");
    assertThat(pair.credential()).isEqualTo("G5QNrNIhLIX0iS6sWxOZIipDXxo=");
    assertThat(pair.toString()).doesNotContain(pair.credential());
  }
}
