package dev.rcdrive.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rcdrive.protocol.ErrorCode;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Admission's limits as tables on a virtual clock, with no sockets. A refusal is written as {@code
 * CODE/close} ({@code close} 0: the connection stays open), {@code silent} for a drop with no
 * answer, {@code -} for admitted.
 */
class AdmissionTest {

  private final VirtualTime time = new VirtualTime();

  private Admission admission(SignalingConfig.Limits limits) {
    return new Admission(limits, time::nanoTime);
  }

  private static String verdict(Admission.Refusal refusal) {
    if (refusal == null) {
      return "-";
    }
    return refusal.silent() ? "silent" : refusal.code() + "/" + refusal.closeCode();
  }

  private static InetAddress address(String text) throws Exception {
    return InetAddress.getByName(text);
  }

  /**
   * Opens and closes in order (at most 3 connections in all, 2 per address): each open's verdict.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          two from one address are let in        | open a 10.0.0.1, open b 10.0.0.1              | - -
          a third from that address is refused   | open a 10.0.0.1, open b 10.0.0.1, open c 10.0.0.1 | - - TOO_MANY_CONNECTIONS/1008
          a closed one makes room again          | open a 10.0.0.1, open b 10.0.0.1, close a, open c 10.0.0.1 | - - -
          a fourth in all finds the server full  | open a 10.0.0.1, open b 10.0.0.2, open c 10.0.0.3, open d 10.0.0.4 | - - - TOO_MANY_CONNECTIONS/1013
          a refused one counts until it is closed | open a 10.0.0.1, open b 10.0.0.1, open c 10.0.0.1, open d 10.0.0.2 | - - TOO_MANY_CONNECTIONS/1008 TOO_MANY_CONNECTIONS/1013
          closing twice frees one place          | open a 10.0.0.1, open b 10.0.0.1, close a, close a, open c 10.0.0.1, open d 10.0.0.1 | - - - TOO_MANY_CONNECTIONS/1008
          an IPv6 /64 counts as one address      | open a 2001:db8:1:2::1, open b 2001:db8:1:2:ffff::9, open c 2001:db8:1:2:aaaa::1 | - - TOO_MANY_CONNECTIONS/1008
          the next /64 is another address        | open a 2001:db8:1:2::1, open b 2001:db8:1:2::2, open c 2001:db8:1:3::1 | - - -
          """)
  void connectionsAreCountedInAllAndPerAddress(String title, String steps, String expected)
      throws Exception {
    Admission admission = admission(new SignalingConfig.Limits(null, null, null, 2, null, null, 3));
    Map<String, Admission.Ticket> tickets = new HashMap<>();
    StringBuilder verdicts = new StringBuilder();
    for (String step : steps.split(",")) {
      String[] words = step.strip().split(" ");
      if (words[0].equals("open")) {
        Admission.Ticket ticket = admission.open(address(words[2]));
        tickets.put(words[1], ticket);
        verdicts.append(verdicts.length() == 0 ? "" : " ").append(verdict(ticket.refusal));
      } else {
        admission.close(tickets.get(words[1]));
      }
    }

    assertThat(verdicts.toString()).isEqualTo(expected);
  }

  @Test
  void openConnectionsFollowOpensAndCloses() throws Exception {
    Admission admission = admission(SignalingConfig.Limits.defaults());
    Admission.Ticket a = admission.open(address("10.0.0.1"));
    admission.open(address("10.0.0.2"));
    admission.close(a);
    admission.close(a);

    assertThat(admission.openConnections()).isEqualTo(1);
  }

  @ParameterizedTest(name = "{0} characters of ''{1}'' against 12 bytes → {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          12 | a | -
          13 | a | TOO_LARGE/1009
          6  | é | -
          7  | é | TOO_LARGE/1009
          4  | € | -
          5  | € | TOO_LARGE/1009
          """)
  void messagesAreMeasuredInUtf8Bytes(int count, String character, String expected) {
    Admission admission =
        admission(new SignalingConfig.Limits(12, null, null, null, null, null, null));

    assertThat(verdict(admission.size(character.repeat(count)))).isEqualTo(expected);
  }

  /**
   * Messages on a virtual clock against 2 messages/s with a burst of 4: at each time (ms), the
   * verdict for one message. The first drop warns, later ones are silent, and four drops in a row
   * close; an admitted message ends the row.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          a burst is served at once                | 0 0 0 0                   | - - - -
          one over the burst is dropped with a warning | 0 0 0 0 0            | - - - - RATE_LIMITED/0
          drops after the warning are silent       | 0 0 0 0 0 0 0             | - - - - RATE_LIMITED/0 silent silent
          as many drops in a row as the burst close | 0 0 0 0 0 0 0 0          | - - - - RATE_LIMITED/0 silent silent RATE_LIMITED/1008
          tokens come back at the sustained rate   | 0 0 0 0 0 499 600 999 1200 | - - - - RATE_LIMITED/0 silent - RATE_LIMITED/0 -
          an admitted message ends the row of drops | 0 0 0 0 0 0 0 600 600 600 600 | - - - - RATE_LIMITED/0 silent silent - RATE_LIMITED/0 silent silent
          a quiet client gets its whole burst back | 0 0 0 0 5000 5000 5000 5000 5000 | - - - - - - - - RATE_LIMITED/0
          """)
  void messagesAreRateLimitedPerConnection(String title, String times, String expected)
      throws Exception {
    Admission admission = admission(new SignalingConfig.Limits(null, 2, 4, null, null, null, null));
    Admission.Ticket ticket = admission.open(address("10.0.0.1"));
    StringBuilder verdicts = new StringBuilder();
    for (String at : times.split(" ")) {
      time.advance(Duration.ofMillis(Long.parseLong(at)).minusNanos(time.nanoTime()));
      verdicts.append(verdicts.length() == 0 ? "" : " ").append(verdict(admission.rate(ticket)));
    }

    assertThat(verdicts.toString()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "checked {0} ms after opening, authenticated: {1} → {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          4999 | false | -
          5000 | false | AUTH_TIMEOUT/1008
          9000 | false | AUTH_TIMEOUT/1008
          5000 | true  | -
          0    | true  | -
          """)
  void theTimeToAuthenticateRunsFromTheOpen(long checkedAt, boolean authenticated, String expected)
      throws Exception {
    Admission admission = admission(SignalingConfig.Limits.defaults());
    time.advance(Duration.ofSeconds(7)); // the clock's origin must not matter
    Admission.Ticket ticket = admission.open(address("10.0.0.1"));

    time.advance(Duration.ofMillis(checkedAt));

    assertThat(verdict(admission.authDeadline(ticket, authenticated))).isEqualTo(expected);
  }

  /** Pings every 20 s: a connection whose last pong is over 30 s old is lost. */
  @ParameterizedTest(name = "pong at {0} s (-1: none), checked at {1} s → lost: {2}")
  @CsvSource(
      textBlock =
          """
          -1, 20,  false
          -1, 30,  false
          -1, 30.001, true
          15, 40,  false
          15, 45,  false
          15, 46,  true
          39, 60,  false
          """)
  void aConnectionWithNoPongForOneAndAHalfPingIntervalsIsLost(
      double pongAt, double checkedAt, boolean lost) throws Exception {
    Admission admission = admission(SignalingConfig.Limits.defaults());
    Admission.Ticket ticket = admission.open(address("10.0.0.1"));
    if (pongAt >= 0) {
      time.advance(Duration.ofMillis(Math.round(pongAt * 1000)));
      admission.heard(ticket);
    }

    time.advance(Duration.ofMillis(Math.round(checkedAt * 1000)).minusNanos(time.nanoTime()));

    assertThat(admission.lost(ticket)).isEqualTo(lost);
  }

  /**
   * The failed-login budget as a client sees it: with 2 failures allowed, from an address, at a
   * time (ms), a login is tried ({@code try}: the verdict before its credential is looked at) or
   * fails ({@code fail}). The full rules are {@link LoginBudgetTest}'s.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          within the budget every login is tried  | 0 a fail, 0 a fail, 0 a try     | -
          over it the address is blocked          | 0 a fail, 0 a fail, 0 a fail, 0 a try | AUTH_BLOCKED/1013 in 1 s
          even a right credential waits it out    | 0 a fail, 0 a fail, 0 a fail, 999 a try | AUTH_BLOCKED/1013 in 1 s
          the block ends                          | 0 a fail, 0 a fail, 0 a fail, 1000 a try | -
          the second block is twice as long       | 0 a fail, 0 a fail, 0 a fail, 1000 a fail, 1001 a try | AUTH_BLOCKED/1013 in 2 s
          another address is not blocked          | 0 a fail, 0 a fail, 0 a fail, 0 b try | -
          an IPv6 /64 shares one budget           | 0 2001:db8::1 fail, 0 2001:db8::2 fail, 0 2001:db8::3 fail, 0 2001:db8::4 try | AUTH_BLOCKED/1013 in 1 s
          """)
  void failedLoginsSpendABudgetPerAddress(String title, String steps, String expected)
      throws Exception {
    Admission admission = admission(SignalingConfig.Limits.defaults().withLoginBudget(2, 300));
    Map<String, Admission.Ticket> tickets = new HashMap<>();
    String last = null;
    for (String step : steps.split(",")) {
      String[] words = step.strip().split(" ");
      time.advance(Duration.ofMillis(Long.parseLong(words[0])).minusNanos(time.nanoTime()));
      String host = words[1].length() == 1 ? "10.0.0." + (words[1].charAt(0) - 'a' + 1) : words[1];
      Admission.Ticket ticket = tickets.computeIfAbsent(host, h -> open(admission, h));
      if (words[2].equals("fail")) {
        admission.loginFailed(ticket, "driver");
      } else {
        Admission.Refusal refusal = admission.login(ticket);
        last =
            refusal == null
                ? "-"
                : verdict(refusal) + " in " + refusal.message().replaceAll(".* in (\\d+ s)$", "$1");
      }
    }

    assertThat(last).isEqualTo(expected);
  }

  private static Admission.Ticket open(Admission admission, String host) {
    try {
      return admission.open(InetAddress.getByName(host));
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(host, e);
    }
  }

  @Test
  void theBlockedClientIsToldWhenToTryAgainAndNothingElse() throws Exception {
    Admission admission = admission(SignalingConfig.Limits.defaults().withLoginBudget(1, 300));
    Admission.Ticket ticket = admission.open(address("192.0.2.7"));
    admission.loginFailed(ticket, "car buggy");
    admission.loginFailed(ticket, "car buggy");
    time.advance(Duration.ofMillis(300));

    Admission.Refusal refusal = admission.login(ticket);

    assertThat(refusal.code()).isEqualTo(ErrorCode.AUTH_BLOCKED);
    assertThat(refusal.message())
        .isEqualTo("too many failed logins from your address: try again in 1 s");
  }

  @Test
  void ipv6ClientsAreCountedByTheirSlash64() throws Exception {
    assertThat(Admission.addressKey(address("2001:db8:1:2:aaaa::1")))
        .isEqualTo(Admission.addressKey(address("2001:db8:1:2:ffff::9")))
        .isEqualTo("2001:db8:1:2::/64");
    assertThat(Admission.addressKey(address("192.0.2.7"))).isEqualTo("192.0.2.7");
  }
}
