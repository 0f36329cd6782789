package dev.rcdrive.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigReaderTest {

  enum Colour {
    RED,
    GREEN;

    public static Colour of(String word) {
      for (Colour c : values()) {
        if (c.name().equalsIgnoreCase(word)) {
          return c;
        }
      }
      throw new IllegalArgumentException("one of red, green, got '" + word + "'");
    }
  }

  record Wheel(String name, Integer size, Colour colour) {}

  record Range(double low, double high) {
    Range {
      if (low > high) {
        throw new IllegalArgumentException("range.low must not be above range.high");
      }
    }
  }

  record Car(
      String id,
      Integer seats,
      Long ttl,
      Double weight,
      Boolean fast,
      List<String> tags,
      List<Wheel> wheels,
      Range range) {
    Car {
      seats = seats == null ? 4 : seats;
    }
  }

  private static Car read(String json, List<String> problems) throws IOException {
    return ConfigReader.read(json, Car.class, problems);
  }

  @Test
  void everyTypeOfFieldIsReadAndAbsentOnesTakeTheRecordsDefaults() throws IOException {
    List<String> problems = new ArrayList<>();
    Car car =
        read(
            """
            {"_comment": "ignored", "id": "c1", "ttl": 5000000000, "weight": 2,
             "fast": true, "tags": ["a", "7"], "range": {"low": 0.5, "high": 1},
             "wheels": [{"name": "front", "size": 12.0, "colour": "Green"}, null]}
            """,
            problems);

    assertThat(problems).isEmpty();
    assertThat(car.id()).isEqualTo("c1");
    assertThat(car.seats()).isEqualTo(4); // the record's default
    assertThat(car.ttl()).isEqualTo(5_000_000_000L);
    assertThat(car.weight()).isEqualTo(2.0);
    assertThat(car.fast()).isTrue();
    assertThat(car.tags()).containsExactly("a", "7");
    assertThat(car.wheels()).containsExactly(new Wheel("front", 12, Colour.GREEN), null);
    assertThat(car.range()).isEqualTo(new Range(0.5, 1));
  }

  @Test
  void everyProblemIsNamedWithItsPathInTheFilesOrder() throws IOException {
    List<String> problems = new ArrayList<>();
    Car car =
        read(
            """
            {"seats": "four", "tags": ["x", 7], "wheels": [{"size": 1}, {"colour": "blue", "spokes": 5}],
             "range": {"low": 1}, "typo": 1}
            """,
            problems);

    assertThat(car).isNull();
    assertThat(problems)
        .containsExactly(
            "seats: expected a whole number",
            "tags[1]: expected a string",
            "wheels[1].colour: one of red, green, got 'blue'",
            "wheels[1].spokes: unknown field (known: [name, size, colour])",
            "range.high: missing (a number)",
            "typo: unknown field (known: [id, seats, ttl, weight, fast, tags, wheels, range])");
  }

  @Test
  void aRecordsOwnCheckIsReportedInItsWords() throws IOException {
    List<String> problems = new ArrayList<>();

    assertThat(read("{\"range\": {\"low\": 2, \"high\": 1}}", problems)).isNull();
    assertThat(problems).containsExactly("range.low must not be above range.high");
  }

  @Test
  void aRepeatedKeyKeepsItsLastValue() throws IOException {
    List<String> problems = new ArrayList<>();

    assertThat(read("{\"id\": \"a\", \"id\": \"b\"}", problems).id()).isEqualTo("b");
    assertThat(problems).isEmpty();
  }

  @Test
  void aSectionAnotherReaderOwnsIsReadApartAndNotUnknownToTheRest() throws IOException {
    String json = "{\"id\": \"a\", \"front\": {\"name\": \"f\", \"size\": 9}}";
    List<String> problems = new ArrayList<>();

    assertThat(ConfigReader.read(json, Car.class, java.util.Set.of("front"), problems).id())
        .isEqualTo("a");
    assertThat(ConfigReader.section(json, "front", Wheel.class, problems))
        .isEqualTo(new Wheel("f", 9, null));
    assertThat(ConfigReader.section(json, "rear", Wheel.class, problems)).isNull();
    assertThat(problems).isEmpty();

    assertThat(read(json, problems)).isNull();
    assertThat(problems)
        .containsExactly(
            "front: unknown field (known: [id, seats, ttl, weight,"
                + " fast, tags, wheels, range])");
  }

  @Test
  void everyConfigRecordHoldsOnlyWhatTheReaderReads() {
    ConfigReader.checkReadable(dev.rcdrive.agent.AgentConfig.class);
    ConfigReader.checkReadable(dev.rcdrive.signaling.SignalingConfig.class);
    ConfigReader.checkReadable(dev.rcdrive.signaling.web.WebConfig.class);
    ConfigReader.checkReadable(dev.rcdrive.station.settings.WindowState.class);
    ConfigReader.checkReadable(dev.rcdrive.station.connect.Profiles.Profile.class);
    ConfigReader.checkReadable(Car.class);

    record WithAMap(java.util.Map<String, String> names) {}
    record WithAFloat(List<Float> weights) {}
    assertThatThrownBy(() -> ConfigReader.checkReadable(WithAMap.class))
        .hasMessageContaining("WithAMap.names");
    assertThatThrownBy(() -> ConfigReader.checkReadable(WithAFloat.class))
        .hasMessageContaining("WithAFloat.weights[]");
  }

  @Test
  void aFileOfOnesOwnSkipsKeysANewerVersionWrote() throws IOException {
    String json =
        "{\"id\": \"a\", \"colour\": {\"rgb\": [1]}, \"range\": {\"low\": 0,"
            + " \"high\": 1, \"unit\": \"m\"}}";
    List<String> problems = new ArrayList<>();

    Car car = ConfigReader.readSkippingUnknown(json, Car.class, problems);

    assertThat(problems).isEmpty();
    assertThat(car.id()).isEqualTo("a");
    assertThat(car.range()).isEqualTo(new Range(0, 1));
    assertThat(ConfigReader.readSkippingUnknown("{\"seats\": \"two\"}", Car.class, problems))
        .isNull();
    assertThat(problems).containsExactly("seats: expected a whole number");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          {"id": secret-key}     | not valid JSON at line 1, column
          {"id": "a",}           | not valid JSON at line 1, column
          [1, 2]                 | the config must be a JSON object
          "text"                 | the config must be a JSON object
          '   '                  | the config is empty: it must be a JSON object
          {"id": "a"} {}         | not valid JSON: more after the config's closing brace
          """)
  void aFileThatIsNotAJsonObjectIsRefusedWithoutQuotingIt(String json, String message) {
    assertThatThrownBy(() -> read(json, new ArrayList<>()))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith(message)
        .message()
        .doesNotContain("secret");
  }

  @Test
  void deepNestingIsRefusedBeforeItCostsStack() {
    String deep = "{\"tags\": " + "[".repeat(5000) + "]".repeat(5000) + "}";

    assertThatThrownBy(() -> read(deep, new ArrayList<>()))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("not valid JSON");
  }
}
