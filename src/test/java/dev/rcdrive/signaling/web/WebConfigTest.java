package dev.rcdrive.signaling.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rcdrive.signaling.InvalidConfigException;
import dev.rcdrive.signaling.SignalingConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WebConfigTest {

  @TempDir Path dir;

  private Path file(String json) throws Exception {
    Path file = dir.resolve("signal.json");
    Files.writeString(file, json);
    return file;
  }

  @Test
  void aFileWithoutAWebSectionServesThePageBesideSignaling() throws Exception {
    WebConfig web = WebConfig.load(file("{\"port\": 8443, \"cars\": []}"));

    assertThat(web.enabled()).isTrue();
    assertThat(web.portBeside(8443)).isEqualTo(8444);
    assertThat(web.portBeside(0)).isZero(); // tests and benchmarks: any free port for both
    assertThat(web.signalingUrl()).isNull();
    assertThat(web.problems()).isEmpty();
  }

  @Test
  void theWebSectionIsRead() throws Exception {
    WebConfig web =
        WebConfig.load(
            file(
                "{\"web\": {\"enabled\": true, \"port\": 443,"
                    + " \"signalingUrl\": \"wss://cars.example.org/signal\", \"_note\": 1}}"));

    assertThat(web.portBeside(8443)).isEqualTo(443);
    assertThat(web.signalingUrl()).isEqualTo("wss://cars.example.org/signal");
    assertThat(web.problems()).isEmpty();
  }

  @Test
  void theSignalingConfigIgnoresTheWebSection() throws Exception {
    Path config =
        file(
            "{\"cars\": [{\"id\": \"c\", \"key\": \"k\"}], \"drivers\": [{\"token\": \"t\"}],"
                + " \"web\": {\"port\": 9000}}");

    assertThat(SignalingConfig.load(config).cars()).hasSize(1);
    assertThat(WebConfig.load(config).portBeside(8443)).isEqualTo(9000);
  }

  @Test
  void theExampleConfigServesThePageBesideSignaling() throws Exception {
    WebConfig web = WebConfig.load(Path.of("packaging/signal/signal.example.json"));

    assertThat(web.enabled()).isTrue();
    assertThat(web.portBeside(8443)).isEqualTo(8444);
    assertThat(web.problems()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          {"web": {"port": "8444"}}         | web.port: expected a whole number
          {"web": {"enabled": "yes"}}       | web.enabled: expected true or false
          {"web": {"signalingUrl": 5}}      | web.signalingUrl: expected a string
          {"web": 8444}                     | web: expected an object
          {"web": {"prot": 8444}}           | web.prot: unknown field (known: [enabled, port, signalingUrl])
          """)
  void wrongTypesAreNamed(String json, String message) throws Exception {
    Path config = file(json);

    assertThatThrownBy(() -> WebConfig.load(config))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining(message);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          {"web": {"port": 70000}}                           | web.port: must be 0-65535
          {"web": {"port": -1}}                              | web.port: must be 0-65535
          {"web": {"signalingUrl": "https://x.org/"}}        | web.signalingUrl: must look like wss://
          {"web": {"signalingUrl": "wss://"}}                | web.signalingUrl
          """)
  void badValuesAreNamed(String json, String problem) throws Exception {
    assertThat(WebConfig.load(file(json)).problems()).singleElement().asString().contains(problem);
  }
}
