package dev.rcdrive.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rcdrive.protocol.ErrorCode;
import dev.rcdrive.protocol.SignalMessage;
import dev.rcdrive.protocol.SignalMessage.Hello;
import dev.rcdrive.protocol.SignalMessage.Welcome;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hub's rules as tables, with no sockets and no real time: a message in, the sends out (see
 * {@link HubScript} for how the scripts read). Config: cars buggy ("Red buggy", key buggy-key) and
 * truck (no name, key truck-key); driver tokens alice-token (Alice), bob-token (Bob) and
 * guest-token (no name).
 */
class HubTest {

  static final String SCENARIOS =
      """
      ## a car and a driver meet, and offer, answer and candidates are relayed in order
      car > hello car buggy buggy-key
        car < welcome car
      alice > hello driver alice-token
        alice < welcome alice alice-resume
      alice > drive buggy
        alice < granted buggy to alice "Alice"
        car < granted buggy to alice "Alice"
      alice > offer v=0 offer
        car < offer from alice: v=0 offer
      alice > candidate candidate:1 1 udp 1 127.0.0.1 9 typ host
        car < candidate from alice: candidate:1 1 udp 1 127.0.0.1 9 typ host
      car > answer v=0 answer
        alice < answer from car: v=0 answer
      car > candidate candidate:2 1 udp 1 127.0.0.1 7 typ host
        alice < candidate from car: candidate:2 1 udp 1 127.0.0.1 7 typ host
      counts online=1 driven=1 relayed=4

      ## the server overwrites a forged sender with the real one
      car > hello car buggy buggy-key
        car < welcome car
      alice > hello driver alice-token
        alice < welcome alice alice-resume
      alice > drive buggy
        alice < granted buggy to alice "Alice"
        car < granted buggy to alice "Alice"
      alice > json {"type":"offer","sdp":"v=0","from":"bob"}
        car < offer from alice: v=0

      ## a wrong car key is refused and closed
      car > hello car buggy guess
        car < error AUTH_FAILED: wrong car id or key
        car closed 1008 AUTH_FAILED
      car > hello car buggy buggy-key
      counts online=0 driven=0 relayed=0

      ## an unknown car id is refused exactly like a wrong key
      ghost > hello car ghost buggy-key
        ghost < error AUTH_FAILED: wrong car id or key
        ghost closed 1008 AUTH_FAILED

      ## a wrong driver token is refused and closed
      mallory > hello driver alice-token-x
        mallory < error AUTH_FAILED: wrong driver token
        mallory closed 1008 AUTH_FAILED

      ## anything before hello is refused, and the connection may still say hello
      alice > drive buggy
        alice < error NOT_AUTHENTICATED: send hello first
      alice > hello driver alice-token
        alice < welcome alice alice-resume

      ## another protocol version is refused and closed
      alice > hello driver alice-token protocol 99
        alice < error PROTOCOL_VERSION: server speaks protocol 1, client 99
        alice closed 1008 PROTOCOL_VERSION

      ## a second hello is refused and the connection stays
      alice > hello driver alice-token
        alice < welcome alice alice-resume
      alice > hello driver bob-token
        alice < error ALREADY_AUTHENTICATED: already authenticated
      alice > list
        alice < cars buggy offline free, truck offline free

      ## a driver token without a name takes the hello's name, else one made from the peer id
      guest > hello driver guest-token name Gus
        guest < welcome guest guest-resume
      anon > hello driver guest-token
        anon < welcome anon anon-resume
      car > hello car buggy buggy-key
        car < welcome car
      guest > drive buggy
        guest < granted buggy to guest "Gus"
        car < granted buggy to guest "Gus"
      car2 > hello car truck truck-key
        car2 < welcome car2
      anon > drive truck
        anon < granted truck to anon "driver anon"
        car2 < granted truck to anon "driver anon"

      ## a second driver is denied and reaches nothing, then drives once the first releases
      car > hello car buggy buggy-key
        car < welcome car
      alice > hello driver alice-token
        alice < welcome alice alice-resume
      bob > hello driver bob-token
        bob < welcome bob bob-resume
      alice > drive buggy
        alice < granted buggy to alice "Alice"
        car < granted buggy to alice "Alice"
      bob > drive buggy
        bob < denied buggy CAR_BUSY: Red buggy is being driven by Alice
      bob > offer sneaky
        bob < error NOT_PAIRED: you hold no car; send drive first
      bob > release buggy
        bob < error NOT_PAIRED: you do not hold car 'buggy'
      alice > release
        alice < released buggy by alice: released by the driver
        car < released buggy by alice: released by the driver
      bob > drive buggy
        bob < granted buggy to bob "Bob"
        car < granted buggy to bob "Bob"
      counts online=1 driven=1 relayed=0

      ## a driver whose connection is gone loses the lock, and the car is told
      car > hello car buggy buggy-key
        car < welcome car
      alice > hello driver alice-token
        alice < welcome alice alice-resume
      alice > drive buggy
        alice < granted buggy to alice "Alice"
        car < granted buggy to alice "Alice"
      alice leaves
        car < released buggy by alice: driver disconnected
      bob > hello driver bob-token
        bob < welcome bob bob-resume
      bob > drive buggy
        bob < granted buggy to bob "Bob"
        car < granted buggy to bob "Bob"

      ## bye releases the lock and closes normally
      car > hello car buggy buggy-key
        car < welcome car
      alice > hello driver alice-token
        alice < welcome alice alice-resume
      alice > drive buggy
        alice < granted buggy to alice "Alice"
        car < granted buggy to alice "Alice"
      alice > bye
        alice < released buggy by alice: driver left
        car < released buggy by alice: driver left
        alice closed 1000 bye
      alice > list
      alice leaves
      counts online=1 driven=0 relayed=0

      ## a closing connection is told nothing more
      mallory > hello driver wrong
        mallory < error AUTH_FAILED: wrong driver token
        mallory closed 1008 AUTH_FAILED
      mallory > list
      mallory > hello driver alice-token

      ## a car that reconnects replaces its old connection and keeps its driver
      old > hello car buggy buggy-key
        old < welcome old
      alice > hello driver alice-token
        alice < welcome alice alice-resume
      alice > drive buggy
        alice < granted buggy to alice "Alice"
        old < granted buggy to alice "Alice"
      new > hello car buggy buggy-key
        new < welcome new
        old < error REPLACED: a newer connection registered as car buggy
        old closed 1008 REPLACED
        new < granted buggy to alice "Alice"
      alice > offer again
        new < offer from alice: again
      old leaves
      counts online=1 driven=1 relayed=1

      ## the lock belongs to the car's room: a car offline keeps its driver until it is back
      car > hello car buggy buggy-key
        car < welcome car
      alice > hello driver alice-token
        alice < welcome alice alice-resume
      alice > drive buggy
        alice < granted buggy to alice "Alice"
        car < granted buggy to alice "Alice"
      car leaves
      alice > offer lost
        alice < error NOT_PAIRED: car buggy is offline
      counts online=0 driven=1 relayed=0
      car2 > hello car buggy buggy-key
        car2 < welcome car2
        car2 < granted buggy to alice "Alice"
      alice > offer found
        car2 < offer from alice: found

      ## a reconnecting driver resumes its session, peer id and lock while the old connection lingers
      car > hello car buggy buggy-key
        car < welcome car
      alice > hello driver alice-token
        alice < welcome alice alice-resume
      alice > drive buggy
        alice < granted buggy to alice "Alice"
        car < granted buggy to alice "Alice"
      alice2 > hello driver alice-token resume alice alice-resume
        alice2 < welcome alice alice2-resume
        alice < error REPLACED: resumed by a newer connection
        alice closed 1008 REPLACED
      alice2 > drive buggy
        alice2 < granted buggy to alice "Alice"
      alice2 > offer ice restart after the blip
        car < offer from alice: ice restart after the blip
      alice leaves
      alice2 > candidate candidate:3 1 udp 1 127.0.0.1 5 typ host
        car < candidate from alice: candidate:3 1 udp 1 127.0.0.1 5 typ host
      counts online=1 driven=1 relayed=2

      ## a resumed session can be resumed again, after the connection it replaced is gone
      car > hello car buggy buggy-key
        car < welcome car
      alice > hello driver alice-token
        alice < welcome alice alice-resume
      alice > drive buggy
        alice < granted buggy to alice "Alice"
        car < granted buggy to alice "Alice"
      alice2 > hello driver alice-token resume alice alice-resume
        alice2 < welcome alice alice2-resume
        alice < error REPLACED: resumed by a newer connection
        alice closed 1008 REPLACED
      alice leaves
      alice3 > hello driver alice-token resume alice alice2-resume
        alice3 < welcome alice alice3-resume
        alice2 < error REPLACED: resumed by a newer connection
        alice2 closed 1008 REPLACED
      alice2 leaves
      alice3 > offer still driving
        car < offer from alice: still driving
      counts online=1 driven=1 relayed=1

      ## a car id taken back and forth is reported at most once a minute; the newest connection wins
      one > hello car buggy buggy-key
        one < welcome one
      alice > hello driver alice-token
        alice < welcome alice alice-resume
      alice > drive buggy
        alice < granted buggy to alice "Alice"
        one < granted buggy to alice "Alice"
      two > hello car buggy buggy-key
        two < welcome two
        one < error REPLACED: a newer connection registered as car buggy
        one closed 1008 REPLACED
        two < granted buggy to alice "Alice"
      one leaves
      wait 20 s
      three > hello car buggy buggy-key
        three < welcome three
        two < error REPLACED: a newer connection registered as car buggy
        two closed 1008 REPLACED
        three < granted buggy to alice "Alice"
      two leaves
      wait 20 s
      four > hello car buggy buggy-key
        four < welcome four
        three < error REPLACED: a newer connection registered as car buggy
        three closed 1008 REPLACED
        four < granted buggy to alice "Alice"
        warn car buggy is flapping: its connection was replaced 3 times within 60 s (from 127.0.0.1); two agents run with this car id, or someone else holds its key. The newest connection keeps the car
      three leaves
      wait 20 s
      five > hello car buggy buggy-key
        five < welcome five
        four < error REPLACED: a newer connection registered as car buggy
        four closed 1008 REPLACED
        five < granted buggy to alice "Alice"
      alice > offer to the newest
        five < offer from alice: to the newest
      counts online=1 driven=1 relayed=1

      ## a car that reconnects now and then is not flapping
      one > hello car buggy buggy-key
        one < welcome one
      two > hello car buggy buggy-key
        two < welcome two
        one < error REPLACED: a newer connection registered as car buggy
        one closed 1008 REPLACED
      wait 61 s
      three > hello car buggy buggy-key
        three < welcome three
        two < error REPLACED: a newer connection registered as car buggy
        two closed 1008 REPLACED
      wait 61 s
      four > hello car buggy buggy-key
        four < welcome four
        three < error REPLACED: a newer connection registered as car buggy
        three closed 1008 REPLACED

      ## resuming a session that held no car only replaces it
      alice > hello driver alice-token
        alice < welcome alice alice-resume
      alice2 > hello driver alice-token resume alice alice-resume
        alice2 < welcome alice alice2-resume
        alice < error REPLACED: resumed by a newer connection
        alice closed 1008 REPLACED

      ## a wrong resume token takes nothing
      car > hello car buggy buggy-key
        car < welcome car
      alice > hello driver alice-token
        alice < welcome alice alice-resume
      alice > drive buggy
        alice < granted buggy to alice "Alice"
        car < granted buggy to alice "Alice"
      thief > hello driver bob-token resume alice guessed
        thief < welcome thief thief-resume
      thief > drive buggy
        thief < denied buggy CAR_BUSY: Red buggy is being driven by Alice
      thief2 > hello driver bob-token resume alice thief-resume
        thief2 < welcome thief2 thief2-resume
      alice > offer still mine
        car < offer from alice: still mine

      ## drive answers: unknown, offline, one car at a time, and the car one holds again
      car > hello car buggy buggy-key
        car < welcome car
      alice > hello driver alice-token
        alice < welcome alice alice-resume
      alice > drive ghost
        alice < denied ghost UNKNOWN_CAR: no car 'ghost' on this server
      alice > drive truck
        alice < denied truck CAR_OFFLINE: truck is offline
      alice > drive buggy
        alice < granted buggy to alice "Alice"
        car < granted buggy to alice "Alice"
      alice > drive buggy
        alice < granted buggy to alice "Alice"
      truck > hello car truck truck-key
        truck < welcome truck
      alice > drive truck
        alice < denied truck ALREADY_DRIVING: release car 'buggy' first

      ## who may send what
      car > hello car buggy buggy-key
        car < welcome car
      alice > hello driver alice-token
        alice < welcome alice alice-resume
      car > drive truck
        car < error WRONG_ROLE: only a driver may send 'drive'
      car > list
        car < error WRONG_ROLE: only a driver may send 'list'
      car > release
        car < error WRONG_ROLE: only a driver may send 'release'
      car > offer no driver
        car < error NOT_PAIRED: no driver holds this car
      alice > candidate candidate:x
        alice < error NOT_PAIRED: you hold no car; send drive first
      alice > release
        alice < error NOT_PAIRED: you do not hold car any car
      alice > json {"type":"welcome","peerId":"me","iceServers":[],"protocol":1}
        alice < error WRONG_ROLE: 'welcome' is sent by the server, not to it
      alice > json {"type":"granted","carId":"buggy","driverId":"alice"}
        alice < error WRONG_ROLE: 'granted' is sent by the server, not to it
      counts online=1 driven=0 relayed=0

      ## the car list is pushed to listening drivers, one push per 100 ms of changes
      alice > hello driver alice-token
        alice < welcome alice alice-resume
      alice > list
        alice < cars buggy offline free, truck offline free
      car > hello car buggy buggy-key
        car < welcome car
      wait 99 ms
      wait 1 ms
        alice < cars buggy online free, truck offline free
      bob > hello driver bob-token
        bob < welcome bob bob-resume
      bob > drive buggy
        bob < granted buggy to bob "Bob"
        car < granted buggy to bob "Bob"
      truck > hello car truck truck-key
        truck < welcome truck
      wait 100 ms
        alice < cars buggy online driven, truck online free
      car leaves
      wait 100 ms
        alice < cars buggy offline driven, truck online free
      alice leaves
      truck leaves
      wait 1 s

      ## a driver that never listed gets no pushes
      alice > hello driver alice-token
        alice < welcome alice alice-resume
      car > hello car buggy buggy-key
        car < welcome car
      wait 1 s

      ## stopping tells every authenticated client why, and no one else
      car > hello car buggy buggy-key
        car < welcome car
      alice > hello driver alice-token
        alice < welcome alice alice-resume
      shy > list
        shy < error NOT_AUTHENTICATED: send hello first
      server stops
        car < error SERVER_SHUTDOWN: server shutting down
        alice < error SERVER_SHUTDOWN: server shutting down

      ## revoking a driver's token closes it, frees its car and tells the car to end the link
      car > hello car buggy buggy-key
        car < welcome car
      alice > hello driver alice-token
        alice < welcome alice alice-resume
      bob > hello driver bob-token
        bob < welcome bob bob-resume
      alice > drive buggy
        alice < granted buggy to alice "Alice"
        car < granted buggy to alice "Alice"
      reload cars buggy:buggy-key truck:truck-key drivers Bob:bob-token -:guest-token
        alice < released buggy by alice: the driver's token was revoked (revoked)
        car < released buggy by alice: the driver's token was revoked (revoked)
        alice < error REVOKED: your driver token was revoked
        alice closed 1008 REVOKED
      bob > drive buggy
        bob < granted buggy to bob "Bob"
        car < granted buggy to bob "Bob"
      counts online=1 driven=1 relayed=0

      ## a revoked token logs in no more, and the revoked session's resume token takes nothing
      alice > hello driver alice-token
        alice < welcome alice alice-resume
      reload cars buggy:buggy-key truck:truck-key drivers Bob:bob-token
        alice < error REVOKED: your driver token was revoked
        alice closed 1008 REVOKED
      again > hello driver alice-token
        again < error AUTH_FAILED: wrong driver token
        again closed 1008 AUTH_FAILED
      bob > hello driver bob-token resume alice alice-resume
        bob < welcome bob bob-resume

      ## a car offline when its driver is revoked hears it when it registers again, once
      car > hello car buggy buggy-key
        car < welcome car
      alice > hello driver alice-token
        alice < welcome alice alice-resume
      alice > drive buggy
        alice < granted buggy to alice "Alice"
        car < granted buggy to alice "Alice"
      car leaves
      reload cars buggy:buggy-key truck:truck-key drivers Bob:bob-token
        alice < released buggy by alice: the driver's token was revoked (revoked)
        alice < error REVOKED: your driver token was revoked
        alice closed 1008 REVOKED
      car2 > hello car buggy buggy-key
        car2 < welcome car2
        car2 < released buggy by alice: the driver's token was revoked (revoked)
      car3 > hello car buggy buggy-key
        car3 < welcome car3
        car2 < error REPLACED: a newer connection registered as car buggy
        car2 closed 1008 REPLACED

      ## removing a car closes it and frees its driver; the list follows the new cars
      car > hello car buggy buggy-key
        car < welcome car
      alice > hello driver alice-token
        alice < welcome alice alice-resume
      alice > list
        alice < cars buggy online free, truck offline free
      alice > drive buggy
        alice < granted buggy to alice "Alice"
        car < granted buggy to alice "Alice"
      wait 100 ms
        alice < cars buggy online driven, truck offline free
      reload cars truck:truck-key fire:fire-key drivers Alice:alice-token
        alice < released buggy by alice: car buggy was removed from this server
        car < error REVOKED: this car's key was revoked
        car closed 1008 REVOKED
      wait 100 ms
        alice < cars truck offline free, fire offline free
      fire > hello car fire fire-key
        fire < welcome fire
      alice > drive buggy
        alice < denied buggy UNKNOWN_CAR: no car 'buggy' on this server
      counts online=1 driven=0 relayed=0

      ## a car whose key changed is closed; the old key is refused, the new one registers
      car > hello car buggy buggy-key
        car < welcome car
      reload cars buggy:new-key truck:truck-key drivers Alice:alice-token
        car < error REVOKED: this car's key was revoked
        car closed 1008 REVOKED
      old > hello car buggy buggy-key
        old < error AUTH_FAILED: wrong car id or key
        old closed 1008 AUTH_FAILED
      new > hello car buggy new-key
        new < welcome new

      ## a reload that removes no credential disturbs no one, and new tokens log in at once
      car > hello car buggy buggy-key
        car < welcome car
      alice > hello driver alice-token
        alice < welcome alice alice-resume
      alice > drive buggy
        alice < granted buggy to alice "Alice"
        car < granted buggy to alice "Alice"
      reload cars buggy:buggy-key truck:truck-key drivers Alicia:alice-token Bob:bob-token carol:carol-token
      alice > offer v=0
        car < offer from alice: v=0
      carol > hello driver carol-token
        carol < welcome carol carol-resume
      counts online=1 driven=1 relayed=1
      """;

  static Stream<Arguments> scenarios() {
    List<Arguments> scenarios = new ArrayList<>();
    String title = null;
    StringBuilder script = new StringBuilder();
    for (String line : (SCENARIOS + "## end\n").lines().toList()) {
      if (line.startsWith("## ")) {
        if (title != null) {
          scenarios.add(Arguments.of(title, script.toString()));
        }
        title = line.substring(3);
        script.setLength(0);
      } else {
        script.append(line).append('\n');
      }
    }
    return scenarios.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void scenario(String title, String script) {
    new HubScript().run(script);
  }

  /** Every refusal is counted for the stats, delivered or not; a wrong credential is reported. */
  @ParameterizedTest(name = "{0} → {1}, failed login: {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          hello car buggy guess          | AUTH_FAILED       | car buggy
          hello car ghost buggy-key      | AUTH_FAILED       | car ghost
          hello driver nope              | AUTH_FAILED       | driver
          hello driver alice-token protocol 2 | PROTOCOL_VERSION | -
          drive buggy                    | NOT_AUTHENTICATED | -
          """)
  void refusalsAreCountedAndWrongCredentialsReported(
      String input, ErrorCode refusal, String failedLogin) {
    HubScript script = new HubScript();
    Outbox out = script.hub().receive(script.peer("x"), HubScript.parse(input));

    assertThat(out.refusals()).containsExactly(refusal);
    assertThat(out.failedLogin()).isEqualTo(failedLogin.equals("-") ? null : failedLogin);
  }

  @ParameterizedTest(name = "drive with the car {0}, held by {1}, asker holding {2} → {3}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          online  | nobody | nothing | granted buggy to alice "Alice"
          online  | bob    | nothing | denied buggy CAR_BUSY: Red buggy is being driven by Bob
          offline | nobody | nothing | denied buggy CAR_OFFLINE: Red buggy is offline
          offline | bob    | nothing | denied buggy CAR_BUSY: Red buggy is being driven by Bob
          online  | alice  | buggy   | granted buggy to alice "Alice"
          online  | nobody | truck   | denied buggy ALREADY_DRIVING: release car 'truck' first
          online  | bob    | truck   | denied buggy ALREADY_DRIVING: release car 'truck' first
          """)
  void driveIsAnsweredByTheStateOfTheCarAndTheDriver(
      String car, String heldBy, String askerHolds, String answer) {
    HubScript script = new HubScript();
    script.step("car > hello car buggy buggy-key");
    script.step("truck > hello car truck truck-key");
    script.step("alice > hello driver alice-token");
    script.step("bob > hello driver bob-token");
    if (!askerHolds.equals("nothing")) {
      script.step("alice > drive " + askerHolds);
    }
    if (!heldBy.equals("nobody") && !heldBy.equals("alice")) {
      script.step(heldBy + " > drive buggy");
    }
    if (car.equals("offline")) {
      script.step("car leaves");
    }

    List<String> sent = script.step("alice > drive buggy");

    assertThat(sent.get(0)).isEqualTo("alice < " + answer);
    if (answer.startsWith("granted") && !askerHolds.equals("buggy")) {
      assertThat(sent).containsExactly("alice < " + answer, "car < " + answer);
    } else {
      assertThat(sent).hasSize(1);
    }
  }

  @ParameterizedTest(name = "welcome hands out {0} with credentials minted for the peer")
  @CsvSource(
      textBlock =
          """
          turn:127.0.0.1:3478?transport=udp
          turns:turn.example.org:5349?transport=tcp
          """)
  void welcomeMintsTurnCredentialsForThePeerOnTheInjectedClock(String url) {
    SignalingConfig config =
        HubScript.CONFIG.withIceServers(
            List.of(
                new SignalingConfig.IceServerConfig(
                    List.of("stun:127.0.0.1:3478"), null, null, null, null),
                new SignalingConfig.IceServerConfig(List.of(url), null, null, "s3cret", 3600L)));
    HubScript script = new HubScript(config);

    Outbox out = script.hub().receive(script.peer("alice"), Hello.driver("alice-token", "t"));

    Welcome welcome = (Welcome) ((Outbox.Send) out.effects().get(0)).message();
    assertThat(welcome.protocol()).isEqualTo(SignalMessage.PROTOCOL_VERSION);
    assertThat(welcome.iceServers().get(0).urls()).containsExactly("stun:127.0.0.1:3478");
    assertThat(welcome.iceServers().get(0).username()).isNull();
    SignalMessage.IceServer turn = welcome.iceServers().get(1);
    assertThat(turn.urls()).containsExactly(url);
    assertThat(turn.username()).isEqualTo((1_700_000_000L + 3600) + ":alice");
    assertThat(turn.credential())
        .isEqualTo(TurnCredentials.hmacSha1Base64("s3cret", turn.username()));
  }
}
