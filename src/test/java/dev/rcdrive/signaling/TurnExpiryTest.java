package dev.rcdrive.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rcdrive.protocol.SignalMessage.Hello;
import dev.rcdrive.protocol.SignalMessage.IceServer;
import dev.rcdrive.protocol.SignalMessage.Welcome;
import dev.rcdrive.testing.Coturn;
import dev.rcdrive.testing.TurnAllocate;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TURN credentials expire as configured, proven against a real coturn (REST scheme): coturn reads
 * the expiry from the username and refuses it once passed, whatever the password.
 */
class TurnExpiryTest {

  private static final String SECRET = "turn-expiry-secret-" + System.nanoTime();
  private static final long TTL_SECONDS = 600;
  private static Coturn coturn;

  @BeforeAll
  static void startCoturn() throws Exception {
    assumeTrue(Coturn.installed() || System.getenv("CI") != null, "coturn is not installed");
    coturn = Coturn.start(SECRET);
  }

  @AfterAll
  static void stopCoturn() throws Exception {
    if (coturn != null) {
      coturn.close();
    }
  }

  private static int port() {
    return URI.create(coturn.url().replace("turn:", "turn://")).getPort();
  }

  /** The TURN server a driver is given in its welcome by a server whose clock reads {@code now}. */
  private static IceServer turnFromWelcome(Instant now) throws Exception {
    SignalingConfig config =
        new SignalingConfig(
            "127.0.0.1",
            0,
            null,
            List.of(),
            List.of(new SignalingConfig.Driver("alice", "alice-token")),
            List.of(
                new SignalingConfig.IceServerConfig(
                    List.of(coturn.url()), null, null, SECRET, TTL_SECONDS)),
            null);
    try (SignalingServer server =
        SignalingServer.start(config, Clock.fixed(now, java.time.ZoneOffset.UTC))) {
      WsTestClient driver = WsTestClient.open(server.uri());
      try {
        driver.sendMessage(Hello.driver("alice-token", "turn-expiry"));
        return driver.next(Welcome.class).iceServers().get(0);
      } finally {
        driver.close();
      }
    }
  }

  @Test
  void credentialFromAWelcomeJustNowIsAcceptedByCoturn() throws Exception {
    IceServer turn = turnFromWelcome(Instant.now());

    TurnAllocate.Outcome outcome = TurnAllocate.attempt(port(), turn.username(), turn.credential());

    assertThat(outcome.allocated()).as("allocated: " + outcome).isTrue();
  }

  @Test
  void credentialFromAWelcomeOneTtlAgoIsRefusedByCoturn() throws Exception {
    Instant issued = Instant.now().minus(Duration.ofSeconds(TTL_SECONDS + 5));
    IceServer turn = turnFromWelcome(issued);

    TurnAllocate.Outcome outcome = TurnAllocate.attempt(port(), turn.username(), turn.credential());

    assertThat(outcome.allocated()).isFalse();
    assertThat(outcome.errorCode()).isEqualTo(401);
  }

  /** The same issue time, 10 s inside the TTL: still good, so the line is the configured TTL. */
  @Test
  void credentialIssuedJustUnderOneTtlAgoStillWorks() throws Exception {
    IceServer turn = turnFromWelcome(Instant.now().minus(Duration.ofSeconds(TTL_SECONDS - 10)));

    assertThat(TurnAllocate.attempt(port(), turn.username(), turn.credential()).allocated())
        .isTrue();
  }

  @Test
  void aFreshUsernameWithAPasswordFromAnotherSecretIsRefused() throws Exception {
    TurnCredentials.Pair forged =
        TurnCredentials.mint("guessed-secret", "mallory", Duration.ofHours(1), Instant.now());

    TurnAllocate.Outcome outcome =
        TurnAllocate.attempt(port(), forged.username(), forged.credential());

    assertThat(outcome.allocated()).isFalse();
    assertThat(outcome.errorCode()).isEqualTo(401);
  }
}
