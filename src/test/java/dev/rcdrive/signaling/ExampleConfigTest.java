package dev.rcdrive.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example shipped in packaging/ must stay a valid config. */
class ExampleConfigTest {

  @TempDir Path dir;

  @Test
  void shippedExampleConfigLoadsAndValidates() throws Exception {
    Path truckKey = dir.resolve("truck.key");
    Files.writeString(truckKey, "truck-secret\n");
    String example = Files.readString(Path.of("packaging/signal/signal.example.json"));
    Path config = dir.resolve("signal.json");
    Files.writeString(config, example.replace("/etc/rcdrive/truck.key", truckKey.toString()));

    SignalingConfig resolved =
        SignalingConfig.load(config)
            .resolved(
                Map.of(
                    "RCDRIVE_KEY_BUGGY", "b",
                    "RCDRIVE_TOKEN_ALICE", "a",
                    "RCDRIVE_TOKEN_BOB", "o",
                    "RCDRIVE_TURN_SECRET", "s"));

    assertThat(resolved.cars()).hasSize(2);
    assertThat(resolved.cars().get(1).key()).isEqualTo("truck-secret");
    assertThat(resolved.iceServers().get(1).secret()).isEqualTo("s");
    assertThat(resolved.tls().certificate()).endsWith("fullchain.pem");
    assertThat(resolved.limits()).isEqualTo(SignalingConfig.Limits.defaults());
  }
}
