package dev.rcdrive.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rcdrive.protocol.SignalMessage.Hello;
import dev.rcdrive.signaling.InvalidConfigException;
import dev.rcdrive.signaling.SignalingClient;
import dev.rcdrive.signaling.SignalingConfig;
import dev.rcdrive.signaling.SignalingServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rcdrive signal init / add-car / add-driver / revoke}, on files in a test folder. */
class SignalAdminTest {

  @TempDir Path dir;

  private Path config() {
    return dir.resolve("signal.json");
  }

  private MainTest.Run init(String... more) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "signal",
                "init",
                "--domain",
                "car.example.org",
                "--config",
                config().toString(),
                "--coturn-config",
                dir.resolve("turnserver.conf").toString(),
                "--coturn-dropin",
                dir.resolve("coturn.service.d/rcdrive.conf").toString(),
                "--certificates",
                dir.resolve("certs").toString()));
    args.addAll(List.of(more));
    return MainTest.run(args.toArray(String[]::new));
  }

  private static String secretAfter(String label, String out) {
    Matcher m = Pattern.compile(Pattern.quote(label) + "\\s*([A-Za-z0-9_-]{43})").matcher(out);
    assertThat(m.find()).as(label + " in\n" + out).isTrue();
    return m.group(1);
  }

  @Test
  void initWritesAConfigTheServerAcceptsWithHashedSecretsAndAMatchingCoturn() throws Exception {
    MainTest.Run run = init("--car", "buggy", "--driver", "alice", "--external-ip", "203.0.113.7");

    assertThat(run.exitCode()).as(run.err()).isZero();
    String key = secretAfter("car buggy: RCDRIVE_CAR_KEY=", run.out());
    String token = secretAfter("driver alice:", run.out());
    String json = Files.readString(config());
    assertThat(json).doesNotContain(key).doesNotContain(token).contains("sha256:");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config())))
        .isEqualTo("rw-r-----");
    SignalingConfig loaded = SignalingConfig.load(config()).resolved(Map.of());
    assertThat(loaded.port()).isEqualTo(8443);
    assertThat(loaded.tls().certificate()).isEqualTo(dir.resolve("certs/fullchain.pem").toString());
    String secret = loaded.iceServers().get(1).secret();
    assertThat(loaded.iceServers().get(1).urls())
        .contains(
            "turn:car.example.org:3478?transport=udp", "turns:car.example.org:5349?transport=tcp");

    String coturn = Files.readString(dir.resolve("turnserver.conf"));
    assertThat(coturn)
        .contains("static-auth-secret=" + secret + "\n")
        .contains("realm=car.example.org\n", "external-ip=203.0.113.7\n", "no-cli\n")
        .contains("no-multicast-peers\n", "denied-peer-ip=127.0.0.0-127.255.255.255\n")
        .contains("denied-peer-ip=10.0.0.0-10.255.255.255\n", "user-quota=", "total-quota=")
        .contains("cert=" + dir.resolve("certs/fullchain.pem"))
        .doesNotContain("allow-loopback-peers", "alt-tls-listening-port");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("turnserver.conf"))))
        .isEqualTo("rw-r-----");
    assertThat(Files.readString(dir.resolve("coturn.service.d/rcdrive.conf")))
        .contains("ExecStart=\nExecStart=/usr/bin/turnserver -c " + dir.resolve("turnserver.conf"));
  }

  @Test
  void initRefusesToOverwriteWithoutForce() throws Exception {
    assertThat(init().exitCode()).isZero();
    String before = Files.readString(config());

    MainTest.Run again = init();

    assertThat(again.exitCode()).isEqualTo(2);
    assertThat(again.err()).contains("exists already").contains("--force");
    assertThat(Files.readString(config())).isEqualTo(before);
    assertThat(init("--force").exitCode()).isZero();
    assertThat(Files.readString(config())).isNotEqualTo(before);
  }

  @Test
  void initWithTls443ServesTurnOn443() throws Exception {
    assertThat(init("--turn-tls-443").exitCode()).isZero();

    assertThat(Files.readString(dir.resolve("turnserver.conf")))
        .contains("alt-tls-listening-port=443");
    assertThat(Files.readString(dir.resolve("coturn.service.d/rcdrive.conf")))
        .contains("AmbientCapabilities=CAP_NET_BIND_SERVICE");
    assertThat(Files.readString(config())).contains("turns:car.example.org:443?transport=tcp");
  }

  @Test
  void addAndRevokeEditTheFileKeepingEverythingElseAndItsMode() throws Exception {
    assertThat(init().exitCode()).isZero();
    Files.setPosixFilePermissions(config(), PosixFilePermissions.fromString("rw-r-----"));

    MainTest.Run car =
        MainTest.run(
            "signal", "add-car", "truck", "--name", "Blue truck", "--config", config().toString());
    MainTest.Run driver =
        MainTest.run("signal", "add-driver", "bob", "--config", config().toString());

    assertThat(car.exitCode()).as(car.err()).isZero();
    assertThat(driver.exitCode()).as(driver.err()).isZero();
    assertThat(car.out()).contains("no restart");
    String token = secretAfter("give it to bob):", driver.out());
    SignalingConfig loaded = SignalingConfig.load(config()).resolved(Map.of());
    assertThat(loaded.cars()).extracting(SignalingConfig.Car::id).containsExactly("truck");
    assertThat(loaded.drivers()).extracting(SignalingConfig.Driver::name).containsExactly("bob");
    assertThat(dev.rcdrive.signaling.Secrets.matches(loaded.drivers().get(0).token(), token))
        .isTrue();
    assertThat(loaded.iceServers()).hasSize(2);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config())))
        .isEqualTo("rw-r-----");

    MainTest.Run twice =
        MainTest.run("signal", "add-driver", "bob", "--config", config().toString());
    assertThat(twice.exitCode()).isEqualTo(2);
    assertThat(twice.err()).contains("driver 'bob' exists already");

    MainTest.Run revoke =
        MainTest.run("signal", "revoke", "driver", "bob", "--config", config().toString());
    assertThat(revoke.exitCode()).as(revoke.err()).isZero();
    assertThat(SignalingConfig.load(config()).drivers()).isEmpty();
    MainTest.Run unknown =
        MainTest.run("signal", "revoke", "car", "nope", "--config", config().toString());
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err()).contains("no car 'nope'");
  }

  @Test
  void aCommandOnABrokenFileSaysSoAndChangesNothing() throws Exception {
    Files.writeString(config(), "{ not json");

    MainTest.Run run = MainTest.run("signal", "add-driver", "bob", "--config", config().toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("not valid JSON").doesNotContain("Exception");
    assertThat(Files.readString(config())).isEqualTo("{ not json");
  }

  /** The whole path: the running server watches its file; revoke closes the driver's session. */
  @Test
  void aDriverRevokedWithTheCommandIsDisconnectedByTheRunningServer() throws Exception {
    Files.writeString(
        config(),
        "{\"host\":\"127.0.0.1\",\"port\":0,\"cars\":[{\"id\":\"buggy\",\"key\":\"k\"}],"
            + "\"drivers\":[]}");
    MainTest.Run added =
        MainTest.run("signal", "add-driver", "alice", "--config", config().toString());
    String token = secretAfter("give it to alice):", added.out());
    SignalReloads.Source source = () -> SignalingConfig.load(config());
    try (SignalingServer server = SignalingServer.start(source.build());
        SignalReloads reloads = SignalReloads.start(source, server, List.of(config()));
        SignalingClient alice =
            SignalingClient.connect(server.uri(), Hello.driver(token, "test"), message -> {})) {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> alice.state() == SignalingClient.State.READY);
      MainTest.Run newcomer =
          MainTest.run("signal", "add-driver", "bob", "--config", config().toString());
      String bobToken = secretAfter("give it to bob):", newcomer.out());

      MainTest.run("signal", "revoke", "driver", "alice", "--config", config().toString());

      await()
          .atMost(Duration.ofSeconds(SignalReloads.POLL_SECONDS * 5))
          .until(() -> alice.state() == SignalingClient.State.STOPPED);
      try (SignalingClient bob =
          SignalingClient.connect(server.uri(), Hello.driver(bobToken, "test"), message -> {})) {
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> bob.state() == SignalingClient.State.READY);
      }
    }
  }

  @Test
  void aReloadOfABrokenFileKeepsTheRunningConfiguration() throws Exception {
    Files.writeString(
        config(),
        "{\"host\":\"127.0.0.1\",\"port\":0,\"cars\":[{\"id\":\"buggy\",\"key\":\"k\"}],"
            + "\"drivers\":[{\"name\":\"alice\",\"token\":\"alice-token\"}]}");
    SignalReloads.Source source = () -> SignalingConfig.load(config());
    try (SignalingServer server = SignalingServer.start(source.build());
        SignalReloads reloads = SignalReloads.start(source, server, List.of());
        SignalingClient alice =
            SignalingClient.connect(server.uri(), Hello.driver("alice-token", "t"), m -> {})) {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> alice.state() == SignalingClient.State.READY);
      Files.writeString(config(), "{ half a file");

      reloads.reload("a test");

      assertThat(alice.state()).isEqualTo(SignalingClient.State.READY);
      org.assertj.core.api.Assertions.assertThatThrownBy(source::build)
          .isInstanceOf(InvalidConfigException.class);
    }
  }
}
