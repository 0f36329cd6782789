package dev.rcdrive.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignalingConfigTest {

  @TempDir Path dir;

  @Test
  void readsAFileAndResolvesSecretsFromTheEnvironmentAndFiles() throws Exception {
    Files.writeString(dir.resolve("turn.secret"), "from-a-file\n");
    Path file = dir.resolve("signal.json");
    Files.writeString(
        file,
        """
        {
          "host": "127.0.0.1", "port": 9000,
          "cars": [{"id": "buggy", "name": "Red buggy", "key": "env:BUGGY_KEY"}],
          "drivers": [{"name": "alice", "token": "literal-token"}],
          "iceServers": [
            {"urls": ["stun:stun.example.org:3478"]},
            {"urls": ["turn:turn.example.org:3478"], "secret": "file:%s", "ttlSeconds": 600}
          ],
          "limits": {"messagesPerSecond": 10},
          "_comment": "keys starting with _ are comments",
          "web": {"port": 9001}
        }
        """
            .formatted(dir.resolve("turn.secret")));

    SignalingConfig config = SignalingConfig.load(file).resolved(Map.of("BUGGY_KEY", "k-123"));

    assertThat(config.port()).isEqualTo(9000);
    assertThat(config.cars().get(0).key()).isEqualTo("k-123");
    assertThat(config.drivers().get(0).token()).isEqualTo("literal-token");
    assertThat(config.iceServers().get(1).secret()).isEqualTo("from-a-file");
    assertThat(config.iceServers().get(1).ttlSeconds()).isEqualTo(600);
    assertThat(config.limits().messagesPerSecond()).isEqualTo(10);
    assertThat(config.limits().maxMessageBytes()).isEqualTo(64 * 1024);
  }

  @Test
  void unknownKeysAreRefusedWithTheirPathAsTheAgentDoes() throws Exception {
    Path file = dir.resolve("typos.json");
    Files.writeString(
        file,
        """
        {
          "prot": 9000,
          "cars": [{"id": "buggy", "key": "k", "colour": "red"}],
          "limits": {"messagesPerSec": 10},
          "tls": {"certificate": "c.pem", "privatekey": "k.pem"}
        }
        """);

    assertThatThrownBy(() -> SignalingConfig.load(file))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageStartingWith(
            file
                + ": prot: unknown field (known: [host, port, tls, cars, drivers, iceServers,"
                + " limits, web])")
        .hasMessageContaining("cars[0].colour: unknown field (known: [id, name, key])")
        .hasMessageContaining("limits.messagesPerSec: unknown field")
        .hasMessageContaining("tls.privatekey: unknown field");
  }

  @Test
  void everyProblemIsNamedWithItsField() throws Exception {
    Path file = dir.resolve("bad.json");
    Files.writeString(
        file,
        """
        {
          "port": 70000,
          "cars": [{"id": "a b", "key": "k"}, {"id": "x", "key": "env:MISSING"}, {"id": "x", "key": "k"}],
          "drivers": [{"name": "n"}, {"name": "%s", "token": "t"}, null],
          "iceServers": [{"urls": ["http://nope"]}],
          "limits": {"messagesPerSecond": 0, "maxMessageBytes": 999999999}
        }
        """
            .formatted("x".repeat(65)));

    assertThatThrownBy(() -> SignalingConfig.load(file).resolved(Map.of()))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("port: must be 0-65535, got 70000")
        .hasMessageContaining("cars[0].id: 1-64 letters")
        .hasMessageContaining("cars[1].key: environment variable MISSING is not set")
        .hasMessageContaining("cars[2].id: duplicate car id 'x'")
        .hasMessageContaining("drivers[0].token: required")
        .hasMessageContaining("iceServers[0].urls: 'http://nope' must start with stun:")
        .hasMessageContaining("limits.messagesPerSecond: must be positive, got 0")
        .hasMessageContaining("drivers[1].name: at most 64 printable characters")
        .hasMessageContaining("drivers[2]: empty entry")
        .hasMessageContaining("limits.maxMessageBytes: at most 16777216");
  }

  @Test
  void unreadableJsonNamesTheFile() throws Exception {
    Path file = dir.resolve("broken.json");
    Files.writeString(file, "{ \"port\": ");

    assertThatThrownBy(() -> SignalingConfig.load(file))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageStartingWith(file.toString());
  }

  @Test
  void malformedJsonNeverQuotesTheFile() throws Exception {
    Path file = dir.resolve("typo.json");
    Files.writeString(file, "{ \"cars\": [{\"id\": \"x\", \"key\": hunter2}] }");

    assertThatThrownBy(() -> SignalingConfig.load(file))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("not valid JSON at line 1")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void secretsCompareByValueOnly() {
    assertThat(Secrets.matches("abc", "abc")).isTrue();
    assertThat(Secrets.matches("abc", "abd")).isFalse();
    assertThat(Secrets.matches("abc", "abcd")).isFalse();
    assertThat(Secrets.matches("abc", null)).isFalse();
    assertThat(Secrets.matches(null, "abc")).isFalse();
  }

  @Test
  void aSecretStoredAsItsHashMatchesTheSecretAndNothingElse() {
    String stored = Secrets.hashed("hunter2");

    assertThat(stored).startsWith("sha256:").hasSize(7 + 64).doesNotContain("hunter2");
    assertThat(Secrets.matches(stored, "hunter2")).isTrue();
    assertThat(Secrets.matches(stored, "hunter3")).isFalse();
    assertThat(Secrets.matches(stored, stored)).as("the hash itself is no password").isFalse();
    assertThat(Secrets.matches(stored.toUpperCase().replace("SHA256:", "sha256:"), "hunter2"))
        .as("hex digits in either case")
        .isTrue();
  }

  @Test
  void aMalformedHashIsAConfigErrorNamingTheField() {
    SignalingConfig config =
        SignalingConfig.empty()
            .plus(
                java.util.List.of(new SignalingConfig.Car("buggy", null, "sha256:abc")),
                java.util.List.of(new SignalingConfig.Driver("alice", Secrets.hashed("t"))));

    assertThatThrownBy(() -> config.resolved(java.util.Map.of()))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("cars[0].key: sha256: must be followed by 64 hex digits");
  }

  @Test
  void secretsNeverShowInToString() {
    assertThat(new SignalingConfig.Car("c", "n", "hunter2").toString()).doesNotContain("hunter2");
    assertThat(new SignalingConfig.Driver("d", "hunter2").toString()).doesNotContain("hunter2");
    assertThat(
            new SignalingConfig.IceServerConfig(
                    java.util.List.of("turn:x"), "u", "hunter2", "hunter2", 1L)
                .toString())
        .doesNotContain("hunter2");
  }
}
