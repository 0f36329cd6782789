package dev.rcdrive.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rcdrive.protocol.SignalMessage.Answer;
import dev.rcdrive.protocol.SignalMessage.Bye;
import dev.rcdrive.protocol.SignalMessage.Candidate;
import dev.rcdrive.protocol.SignalMessage.CarInfo;
import dev.rcdrive.protocol.SignalMessage.Cars;
import dev.rcdrive.protocol.SignalMessage.Denied;
import dev.rcdrive.protocol.SignalMessage.Drive;
import dev.rcdrive.protocol.SignalMessage.Granted;
import dev.rcdrive.protocol.SignalMessage.Hello;
import dev.rcdrive.protocol.SignalMessage.IceServer;
import dev.rcdrive.protocol.SignalMessage.ListCars;
import dev.rcdrive.protocol.SignalMessage.Offer;
import dev.rcdrive.protocol.SignalMessage.Release;
import dev.rcdrive.protocol.SignalMessage.Released;
import dev.rcdrive.protocol.SignalMessage.ServerError;
import dev.rcdrive.protocol.SignalMessage.Welcome;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class SignalCodecTest {

  static Stream<SignalMessage> everyMessage() {
    return Stream.of(
        Hello.car("buggy-1", "k3y", "rcdrive-agent/1.0"),
        Hello.driver("t0ken", "rcdrive-station/1.0"),
        new Welcome(
            "p1",
            List.of(
                new IceServer(List.of("stun:stun.example.org:3478"), null, null),
                new IceServer(List.of("turn:turn.example.org:3478?transport=udp"), "u", "c")),
            "rcdrive-signal/1.0",
            1),
        new ListCars(),
        new Cars(List.of(new CarInfo("buggy-1", "Red buggy", true, false))),
        new Drive("buggy-1"),
        new Granted("buggy-1", "p2", "alice"),
        new Denied("buggy-1", "CAR_BUSY", "Red buggy is being driven by bob"),
        new Release("buggy-1"),
        new Release(null),
        new Released("buggy-1", "p2", "driver left"),
        new Released("buggy-1", "p2", "driver's token was revoked", true),
        new Offer("v=0\r\no=- 1 2 IN IP4 0.0.0.0\r\n", "p2"),
        new Answer("v=0\r\n"),
        new Candidate("candidate:1 1 udp 2122260223 192.0.2.1 54400 typ host", "0", 0, "p1"),
        Candidate.endOfCandidates("0", null),
        new Bye("shutting down"),
        new Bye(null),
        new ServerError(ErrorCode.RATE_LIMITED, "slow down"));
  }

  /** One of each message with every field set, nested ones too. */
  static Stream<SignalMessage> everyFieldSet() {
    return Stream.of(
        new Hello(Role.CAR, "buggy-1", "k3y", "rcdrive-agent/1.0", 1, "Red", "p7", "r3sume"),
        new Welcome(
            "p1",
            List.of(new IceServer(List.of("turn:turn.example.org:3478"), "u", "c")),
            "rcdrive-signal/1.0",
            1,
            "r3sume"),
        new ListCars(),
        new Cars(List.of(new CarInfo("buggy-1", "Red buggy", true, true))),
        new Drive("buggy-1"),
        new Granted("buggy-1", "p2", "alice"),
        new Denied("buggy-1", "CAR_BUSY", "Red buggy is being driven by bob"),
        new Release("buggy-1"),
        new Released("buggy-1", "p2", "driver's token was revoked", true),
        new Offer("v=0\r\n", "p2"),
        new Answer("v=0\r\n", "p1"),
        new Candidate("candidate:1 1 udp 2122260223 192.0.2.1 54400 typ host", "0", 0, "p1"),
        new Bye("shutting down"),
        new ServerError(ErrorCode.RATE_LIMITED, "slow down"));
  }

  @Test
  void everyFieldSetHasOneOfEachMessage() {
    assertThat(everyFieldSet().map(Object::getClass))
        .containsExactlyInAnyOrder(SignalMessage.class.getPermittedSubclasses());
  }

  /** The codec names each field itself: none may be left out of the JSON or lost on the way. */
  @ParameterizedTest
  @MethodSource("everyFieldSet")
  void everyFieldIsWrittenAndReadBack(SignalMessage message) throws Exception {
    String json = SignalCodec.encode(message);

    for (RecordComponent field : message.getClass().getRecordComponents()) {
      assertThat(field.getAccessor().invoke(message)).as(field.getName() + " is set").isNotNull();
      assertThat(json).contains("\"" + field.getName() + "\":");
    }
    assertThat(SignalCodec.decode(json)).isEqualTo(Decoded.ok(message));
  }

  @ParameterizedTest
  @MethodSource("everyMessage")
  void everyMessageSurvivesARoundTrip(SignalMessage message) {
    String json = SignalCodec.encode(message);

    assertThat(json).contains("\"type\":\"" + SignalCodec.typeName(message) + "\"");
    assertThat(SignalCodec.decode(json)).isEqualTo(Decoded.ok(message));
  }

  @Test
  void theWarmUpMakesTheConnectionsFirstRoundTrips() {
    assertThat(SignalCodec.warmUp()).isTrue();
  }

  @Test
  void nullFieldsAreLeftOutOfTheJson() {
    assertThat(SignalCodec.encode(new Release(null))).isEqualTo("{\"type\":\"release\"}");
  }

  @Test
  void releasedSaysRevokedOnlyWhenTheDriverWasRevoked() {
    String plain = SignalCodec.encode(new Released("c1", "p", "driver left", false));
    String revoked = SignalCodec.encode(new Released("c1", "p", "token revoked", true));

    assertThat(plain).doesNotContain("revoked");
    assertThat(revoked).contains("\"revoked\":true");
    assertThat(((Released) SignalCodec.decode(revoked).orElseThrow()).driverRevoked()).isTrue();
    assertThat(((Released) SignalCodec.decode(plain).orElseThrow()).driverRevoked()).isFalse();
  }

  /**
   * Each message with a required field missing, null, of the wrong type, or with an unknown field
   * added (tolerated). "ok" means it decodes; anything else is the expected reason.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          hello ok              | {"type":"hello","role":"car","carId":"c1","credential":"k","protocol":1}                  | ok
          hello unknown field   | {"type":"hello","role":"driver","credential":"t","protocol":1,"future":[1,2]}            | ok
          hello missing role    | {"type":"hello","credential":"k","protocol":1}                                           | bad 'hello': role is required
          hello null credential | {"type":"hello","role":"driver","credential":null,"protocol":1}                          | bad 'hello': credential is required
          hello empty credential| {"type":"hello","role":"driver","credential":"","protocol":1}                            | bad 'hello': credential must not be empty
          hello missing protocol| {"type":"hello","role":"driver","credential":"t"}                                        | bad 'hello': protocol is required
          hello car without id  | {"type":"hello","role":"car","credential":"k","protocol":1}                              | bad 'hello': carId is required
          hello driver with id  | {"type":"hello","role":"driver","carId":"c1","credential":"k","protocol":1}              | bad 'hello': carId is only for role car
          hello bad role        | {"type":"hello","role":"pilot","credential":"k","protocol":1}                            | bad 'hello': role must be 'car' or 'driver', got 'pilot'
          hello bad car id      | {"type":"hello","role":"car","carId":"../etc","credential":"k","protocol":1}             | bad 'hello': carId must be 1-64 letters
          hello protocol string | {"type":"hello","role":"driver","credential":"t","protocol":"one"}                       | bad 'hello': bad value at 'protocol'
          hello protocol float  | {"type":"hello","role":"driver","credential":"t","protocol":1.5}                         | bad 'hello': bad value at 'protocol'
          welcome no peerId     | {"type":"welcome","protocol":1}                                                          | bad 'welcome': peerId is required
          welcome no ice list   | {"type":"welcome","peerId":"p","protocol":1}                                             | ok
          welcome bad ice url   | {"type":"welcome","peerId":"p","protocol":1,"iceServers":[{"urls":["http://x"]}]}        | bad 'welcome': ICE server url must start with stun:
          list ok               | {"type":"list"}                                                                          | ok
          cars missing list     | {"type":"cars"}                                                                          | bad 'cars': cars is required
          cars missing online   | {"type":"cars","cars":[{"carId":"c","name":"C","driven":false}]}                         | bad 'cars': online is required
          drive ok              | {"type":"drive","carId":"c1","extra":true}                                               | ok
          drive missing car     | {"type":"drive"}                                                                         | bad 'drive': carId is required
          drive car is number   | {"type":"drive","carId":7}                                                               | bad 'drive': bad value at 'carId'
          hello car id number   | {"type":"hello","role":"car","carId":42,"credential":"k","protocol":1}                   | bad 'hello': bad value at 'carId'
          hello protocol text 1 | {"type":"hello","role":"driver","credential":"t","protocol":"1"}                         | bad 'hello': bad value at 'protocol'
          hello credential bool | {"type":"hello","role":"driver","credential":true,"protocol":1}                          | bad 'hello': bad value at 'credential'
          released revoked "1"  | {"type":"released","carId":"c1","driverId":"p","reason":"r","revoked":"true"}            | bad 'released': bad value at 'revoked'
          drive car is object   | {"type":"drive","carId":{"a":1}}                                                         | bad 'drive': bad value at 'carId'
          granted no driver     | {"type":"granted","carId":"c1"}                                                          | bad 'granted': driverId is required
          denied no reason      | {"type":"denied","carId":"c1","code":"CAR_BUSY"}                                         | bad 'denied': reason is required
          release ok            | {"type":"release"}                                                                       | ok
          released no reason    | {"type":"released","carId":"c1","driverId":"p"}                                          | bad 'released': reason is required
          released no revoked   | {"type":"released","carId":"c1","driverId":"p","reason":"r"}                            | ok
          released revoked null | {"type":"released","carId":"c1","driverId":"p","reason":"r","revoked":null}              | ok
          released revoked true | {"type":"released","carId":"c1","driverId":"p","reason":"r","revoked":true}              | ok
          released revoked text | {"type":"released","carId":"c1","driverId":"p","reason":"r","revoked":{"a":1}}           | bad 'released': bad value at 'revoked'
          offer missing sdp     | {"type":"offer"}                                                                         | bad 'offer': sdp is required
          offer null sdp        | {"type":"offer","sdp":null}                                                              | bad 'offer': sdp is required
          answer empty sdp      | {"type":"answer","sdp":" "}                                                              | bad 'answer': sdp must not be empty
          candidate no mid      | {"type":"candidate","candidate":"candidate:1 1 udp 1 192.0.2.1 1 typ host"}              | bad 'candidate': sdpMid or sdpMLineIndex is required
          candidate no text     | {"type":"candidate","sdpMid":"0"}                                                        | bad 'candidate': candidate is required
          candidate bad index   | {"type":"candidate","candidate":"","sdpMLineIndex":-1}                                   | bad 'candidate': sdpMLineIndex must be in [0, 1023]
          end of candidates     | {"type":"candidate","candidate":"","sdpMid":"0"}                                         | ok
          bye ok                | {"type":"bye"}                                                                           | ok
          error no code         | {"type":"error","message":"x"}                                                           | bad 'error': code is required
          unknown type          | {"type":"teleport","to":"moon"}                                                          | unknown type 'teleport'
          missing type          | {"carId":"c1"}                                                                           | missing field 'type'
          type is a number      | {"type":3}                                                                               | unknown type '3'
          not an object         | [1,2,3]                                                                                  | not a JSON object
          text, not an object   | "hello"                                                                                  | not a JSON object
          type is null          | {"type":null}                                                                            | missing field 'type'
          type is a list        | {"type":["hello"]}                                                                       | bad value at 'type'
          protocol too large    | {"type":"hello","role":"driver","credential":"t","protocol":12345678901}                 | bad 'hello': bad value at 'protocol'
          ice url not text      | {"type":"welcome","peerId":"p","protocol":1,"iceServers":[{"urls":[7]}]}                 | bad 'welcome': bad value at 'iceServers.[0].urls.[0]'
          ice server not object | {"type":"welcome","peerId":"p","protocol":1,"iceServers":["stun:x"]}                     | bad 'welcome': bad value at 'iceServers.[0]'
          car online as text    | {"type":"cars","cars":[{"carId":"c","name":"C","online":"yes","driven":false}]}          | bad 'cars': bad value at 'cars.[0].online'
          unknown nested field  | {"type":"cars","cars":[{"carId":"c","name":"C","online":true,"driven":false,"x":{}}]}    | ok
          repeated field        | {"type":"drive","carId":"../x","carId":"c1"}                                             | ok
          not json              | hello there                                                                              | not valid JSON
          truncated             | {"type":"drive","carId":"c                                                               | not valid JSON
          trailing garbage      | {"type":"list"} {"type":"list"}                                                          | not valid JSON
          """)
  void decodingNamesWhatIsWrong(String name, String json, String expected) {
    Decoded<SignalMessage> decoded = SignalCodec.decode(json);

    if (expected.equals("ok")) {
      assertThat(decoded.reasonOrNull()).isNull();
    } else {
      assertThat(decoded.reasonOrNull()).startsWith(expected);
    }
  }

  @Test
  void deeplyNestedJsonIsRefusedCheaply() {
    String deep = "{\"type\":\"list\",\"x\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";

    assertThat(SignalCodec.decode(deep).reasonOrNull())
        .isEqualTo("message too complex: nested deeper than 16 levels");
  }

  @Test
  void hugeNumbersAreRefused() {
    String json =
        "{\"type\":\"hello\",\"role\":\"driver\",\"credential\":\"t\",\"protocol\":"
            + "9".repeat(5000)
            + "}";

    assertThat(SignalCodec.decode(json).isOk()).isFalse();
  }

  @Test
  void unquotedCredentialIsNotEchoedBack() {
    String reason =
        SignalCodec.decode("{\"type\":\"hello\",\"role\":\"driver\",\"credential\":s3cr3t}")
            .reasonOrNull();

    assertThat(reason).startsWith("not valid JSON at line 1").doesNotContain("s3cr3t");
  }

  @Test
  void controlCharactersInNamesAreRefused() {
    assertThat(
            SignalCodec.decode(
                    "{\"type\":\"hello\",\"role\":\"driver\",\"credential\":\"t\",\"protocol\":1,"
                        + "\"client\":\"evil\\nINFO forged log line\"}")
                .reasonOrNull())
        .isEqualTo("bad 'hello': client must not contain control characters");
  }

  @Test
  void emptyAndNullTextAreRejected() {
    assertThat(SignalCodec.decode("").reasonOrNull()).isEqualTo("empty message");
    assertThat(SignalCodec.decode(null).reasonOrNull()).isEqualTo("empty message");
  }

  @Test
  void credentialsNeverAppearInToString() {
    assertThat(Hello.car("c1", "super-secret", null).toString()).doesNotContain("super-secret");
    assertThat(new IceServer(List.of("turn:t"), "u", "secret-cred").toString())
        .doesNotContain("secret-cred");
  }

  @Property(tries = 3000)
  void arbitraryTextNeverThrows(@ForAll String text) {
    Decoded<SignalMessage> decoded = SignalCodec.decode(text);

    assertThat(decoded).isNotNull();
  }

  @Property(tries = 3000)
  void mutatedValidMessagesNeverThrow(
      @ForAll("validJson") String json, @ForAll int position, @ForAll char replacement) {
    char[] chars = json.toCharArray();
    chars[Math.floorMod(position, chars.length)] = replacement;

    Decoded<SignalMessage> decoded = SignalCodec.decode(new String(chars));

    if (decoded instanceof Decoded.Ok<SignalMessage> ok) {
      assertThat(SignalCodec.decode(SignalCodec.encode(ok.value()))).isEqualTo(decoded);
    } else {
      assertThat(decoded.reasonOrNull()).isNotBlank();
    }
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<String> validJson() {
    return net.jqwik.api.Arbitraries.of(everyMessage().map(SignalCodec::encode).toList());
  }
}
