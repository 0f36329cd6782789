package dev.rcdrive.station.gamepad.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The built-in profiles are data ({@code /station/gamepad-profiles.json}): the file as shipped
 * loads, every profile is complete and binds what the README promises, and a broken file is refused
 * with the profile and the reason.
 */
class ProfilesFileTest {

  private static String describe(AxisBinding a) {
    if (a == null) {
      return "-";
    }
    return a.shape() == AxisBinding.Shape.STICK
        ? "stick " + a.control() + "/" + a.partner()
        : "range " + a.control() + " " + (int) a.released() + ">" + (int) a.pressed();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # profile                                        | steer      | throttle          | brake             | arm   | estop   | snapshot | fullscreen
          Xbox (Linux)                                     | stick x/y  | range rz -1>1     | range z -1>1      | A     | B       | Select   | Start
          Xbox (Windows, combined triggers)                | stick x/y  | range z 0>-1      | range z 0>1       | 0     | 1       | 6        | 7
          PlayStation DualShock 4 / DualSense (Linux)      | stick x/y  | range rz -1>1     | range z -1>1      | A     | B       | Select   | Start
          PlayStation DualShock 4 / DualSense (HID)        | stick x/y  | range ry -1>1     | range rx -1>1     | 1     | 2       | 8        | 9
          Logitech F310 / F710 (DirectInput mode, Windows) | stick x/y  | range 7 0>1       | range 6 0>1       | 1     | 2       | 8        | 9
          Logitech F310 / F710 (DirectInput mode, Linux)   | stick x/y  | range Base 2 0>1  | range Base 0>1    | Thumb | Thumb 2 | Base 3   | Base 4
          """)
  void theShippedFileBindsEachProfileAsDocumented(
      String profile,
      String steer,
      String throttle,
      String brake,
      String arm,
      String estop,
      String snapshot,
      String fullscreen) {
    PadMapping m =
        DefaultProfiles.PROFILES.stream()
            .filter(p -> p.name().equals(profile))
            .findFirst()
            .orElseThrow()
            .mapping()
            .apply("Some pad");

    assertThat(m.problemFor("Some pad")).isNull();
    assertThat(m.profile()).isEqualTo(profile);
    assertThat(describe(m.steer())).isEqualTo(steer);
    assertThat(describe(m.throttle())).isEqualTo(throttle);
    assertThat(describe(m.brake())).isEqualTo(brake);
    assertThat(List.of(m.arm(), m.estop(), m.snapshot(), m.fullscreen()))
        .containsExactly(arm, estop, snapshot, fullscreen);
  }

  @Test
  void theShippedFileHoldsTheProfilesInTheirOrder() {
    assertThat(DefaultProfiles.names())
        .containsExactly(
            "Xbox (Linux)",
            "Xbox (Windows, combined triggers)",
            "PlayStation DualShock 4 / DualSense (Linux)",
            "PlayStation DualShock 4 / DualSense (HID)",
            "Logitech F310 / F710 (DirectInput mode, Windows)",
            "Logitech F310 / F710 (DirectInput mode, Linux)");
  }

  private static final String GOOD_AXES =
      "\"steer\": {\"stick\": \"x\", \"partner\": \"y\"},"
          + " \"throttle\": {\"range\": \"rz\", \"released\": -1, \"pressed\": 1},"
          + " \"brake\": {\"range\": \"z\", \"released\": -1, \"pressed\": 1}";

  private static List<DefaultProfiles.Profile> parse(String profiles) throws IOException {
    String json =
        "{\"format\": \"rcdrive-gamepad-profiles\", \"version\": 1, \"profiles\": ["
            + profiles
            + "]}";
    return DefaultProfiles.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aGoodEntryLoads() throws IOException {
    List<DefaultProfiles.Profile> profiles =
        parse(
            "{\"name\": \"Mine\", \"names\": \"mine\", "
                + GOOD_AXES
                + ", \"arm\": \"A\", \"estop\": \"B\"}");

    assertThat(profiles).extracting(DefaultProfiles.Profile::name).containsExactly("Mine");
    assertThat(profiles.get(0).names().matcher("MY MINE PAD").find()).isTrue();
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          {"names": "x", STEER, "arm": "A", "estop": "B"}                                  | profile 1: needs a name of its own
          {"name": "Generic", "names": "x", STEER, "arm": "A", "estop": "B"}               | profile 1 (Generic): needs a name of its own
          {"name": "P", "names": "(", STEER, "arm": "A", "estop": "B"}                     | profile 1 (P): names is not a pattern
          {"name": "P", "names": "", STEER, "arm": "A", "estop": "B"}                      | profile 1 (P): names is empty
          {"name": "P", "names": "x", "arm": "A", "estop": "B"}                            | profile 1 (P): it binds no steering axis
          {"name": "P", "names": "x", STEER}                                               | profile 1 (P): needs an arm and an E-STOP button
          {"name": "P", "names": "x", "steer": {"stick": "x", "range": "y"}, "arm": "A", "estop": "B"} | profile 1 (P), steer: give either stick or range
          {"name": "P", "names": "x", "steer": {"range": "x", "released": 0, "pressed": 0}, "arm": "A", "estop": "B"} | profile 1 (P), steer: a range needs two different ends
          {"name": "P", "names": "x", "steer": {"stick": "x", "pressed": 1}, "arm": "A", "estop": "B"} | profile 1 (P), steer: a stick has no released/pressed ends
          """)
  void aBrokenEntryIsRefusedWithItsReason(String entry, String reason) {
    String json = entry.replace("STEER", "\"steer\": {\"stick\": \"x\", \"partner\": \"y\"}");

    assertThatThrownBy(() -> parse(json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(reason);
  }

  @Test
  void aNameUsedTwiceIsRefused() {
    String one =
        "{\"name\": \"P\", \"names\": \"x\", " + GOOD_AXES + ", \"arm\": \"A\", \"estop\": \"B\"}";

    assertThatThrownBy(() -> parse(one + ", " + one))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("profile 2 (P): the name is used twice");
  }

  @Test
  void aMistypedKeyIsRefusedNotIgnored() {
    String typo =
        "{\"name\": \"P\", \"names\": \"x\", " + GOOD_AXES + ", \"arm\": \"A\", \"etsop\": \"B\"}";

    assertThatThrownBy(() -> parse(typo))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("etsop");
  }

  @Test
  void anotherFormatOrVersionIsRefused() {
    assertThatThrownBy(
            () ->
                DefaultProfiles.parse(
                    new ByteArrayInputStream(
                        "{\"format\": \"rcdrive-gamepad-profiles\", \"version\": 2, \"profiles\": []}"
                            .getBytes(StandardCharsets.UTF_8))))
        .hasMessage("version 2 (this station reads version 1)");
    assertThatThrownBy(
            () ->
                DefaultProfiles.parse(
                    new ByteArrayInputStream(
                        "{\"format\": \"x\", \"version\": 1, \"profiles\": []}"
                            .getBytes(StandardCharsets.UTF_8))))
        .hasMessageStartingWith("not an rcdrive profiles file");
  }
}
