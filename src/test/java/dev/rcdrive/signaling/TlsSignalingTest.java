package dev.rcdrive.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rcdrive.protocol.SignalMessage.Hello;
import dev.rcdrive.protocol.SignalMessage.Welcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * wss:// with certificates the test makes itself (JDK keytool; openssl for the PEM case). The
 * servers run on a {@link VirtualTime}: a TLS handshake slowed by a busy machine must not meet the
 * handshake deadline (that deadline is {@link SignalingServerTest}'s).
 */
class TlsSignalingTest {

  @TempDir Path dir;

  private final VirtualTime time = new VirtualTime();

  private SignalingServer start(SignalingConfig config) throws Exception {
    return SignalingServer.start(config, time.clock(), time);
  }

  private static void run(Path dir, String... command) throws Exception {
    Process process =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(String.join(" ", command) + "\n" + output).isZero();
  }

  private static String keytool() {
    return Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
  }

  private Path selfSignedKeystore() throws Exception {
    Path keystore = dir.resolve("server.p12");
    run(
        dir,
        keytool(),
        "-genkeypair",
        "-alias",
        "server",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=localhost",
        "-ext",
        "SAN=ip:127.0.0.1,dns:localhost",
        "-validity",
        "2",
        "-storetype",
        "PKCS12",
        "-keystore",
        keystore.toString(),
        "-storepass",
        "changeit");
    return keystore;
  }

  private static void helloOverWss(SignalingServer server, SSLContext trust) throws Exception {
    assertThat(server.uri().getScheme()).isEqualTo("wss");
    WsTestClient driver = WsTestClient.open(server.uri(), trust);
    try {
      driver.sendMessage(Hello.driver("alice-token", "t"));
      assertThat(driver.next(Welcome.class).peerId()).isNotBlank();
    } finally {
      driver.close();
    }
  }

  @Test
  void wssWorksWithAPkcs12Keystore() throws Exception {
    Path keystore = selfSignedKeystore();
    SignalingConfig config =
        SignalingServerTest.config()
            .withTls(new SignalingConfig.Tls(keystore.toString(), "changeit", null, null));

    try (SignalingServer server = start(config)) {
      helloOverWss(server, TlsContexts.trusting(keystore, "changeit".toCharArray()));
    }
  }

  private static boolean opensslPresent() {
    try {
      Process check = new ProcessBuilder("openssl", "version").start();
      return check.waitFor(30, TimeUnit.SECONDS) && check.exitValue() == 0;
    } catch (Exception e) {
      return false;
    }
  }

  @Test
  void truncatedPemKeyIsAConfigErrorNotACrash() throws Exception {
    Files.writeString(dir.resolve("cut.pem"), "-----BEGIN PRIVATE KEY-----\nMIIE\n");
    SignalingConfig config =
        SignalingServerTest.config()
            .withTls(
                new SignalingConfig.Tls(
                    null, null, selfSignedPem().toString(), dir.resolve("cut.pem").toString()));

    assertThatThrownBy(() -> SignalingServer.start(config))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageStartingWith("tls");
  }

  @Test
  void wssWorksWithPemCertificateAndKey() throws Exception {
    DocumentedProtocolInteropTest.requireTool(opensslPresent(), "openssl");
    run(
        dir,
        "openssl",
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "key.pem",
        "-out",
        "cert.pem",
        "-days",
        "2",
        "-subj",
        "/CN=localhost",
        "-addext",
        "subjectAltName=IP:127.0.0.1,DNS:localhost");
    SignalingConfig config =
        SignalingServerTest.config()
            .withTls(
                new SignalingConfig.Tls(
                    null,
                    null,
                    dir.resolve("cert.pem").toString(),
                    dir.resolve("key.pem").toString()));

    try (SignalingServer server = start(config)) {
      helloOverWss(server, TlsContexts.trustingPem(dir.resolve("cert.pem")));
    }
  }

  /** A self-signed PEM pair NAME-cert.pem / NAME-key.pem for 127.0.0.1, with this common name. */
  private void pemPair(String name) throws Exception {
    run(
        dir,
        "openssl",
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        name + "-key.pem",
        "-out",
        name + "-cert.pem",
        "-days",
        "2",
        "-subj",
        "/CN=" + name,
        "-addext",
        "subjectAltName=IP:127.0.0.1,DNS:localhost");
  }

  private static String presentedName(WsTestClient client) throws Exception {
    return ((java.security.cert.X509Certificate) client.getSSLSession().getPeerCertificates()[0])
        .getSubjectX500Principal()
        .getName();
  }

  /**
   * A renewal the way certbot does it: the live/ names point at new files. After a reload a new
   * connection is shown the new certificate, and a connection made before it carries on.
   */
  @Test
  void aRenewedCertificateReachesNewConnectionsWhileOpenOnesLiveOn() throws Exception {
    DocumentedProtocolInteropTest.requireTool(opensslPresent(), "openssl");
    pemPair("old");
    pemPair("new");
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("privkey.pem");
    Files.createSymbolicLink(cert, dir.resolve("old-cert.pem"));
    Files.createSymbolicLink(key, dir.resolve("old-key.pem"));
    SignalingConfig config =
        SignalingServerTest.config()
            .withTls(new SignalingConfig.Tls(null, null, cert.toString(), key.toString()));

    try (SignalingServer server = start(config)) {
      WsTestClient before = WsTestClient.open(server.uri(), TlsContexts.trustingPem(cert));
      before.sendMessage(Hello.driver("alice-token", "t"));
      before.next(Welcome.class);
      assertThat(presentedName(before)).isEqualTo("CN=old");

      Files.delete(cert);
      Files.delete(key);
      Files.createSymbolicLink(cert, dir.resolve("new-cert.pem"));
      Files.createSymbolicLink(key, dir.resolve("new-key.pem"));
      String summary = server.reload(config);

      assertThat(summary).contains("certificate CN=new valid until");
      assertThat(server.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=new");
      WsTestClient after = WsTestClient.open(server.uri(), TlsContexts.trustingPem(cert));
      assertThat(presentedName(after)).isEqualTo("CN=new");
      after.close();
      before.sendMessage(new dev.rcdrive.protocol.SignalMessage.ListCars());
      assertThat(before.next(dev.rcdrive.protocol.SignalMessage.Cars.class).cars()).hasSize(2);
      assertThat(before.isOpen()).as("the connection made before the renewal").isTrue();
      before.close();
    }
  }

  /** Seen half-way through a renewal (new certificate, old key): the working pair stays. */
  @Test
  void aKeyThatDoesNotBelongToTheCertificateIsNotTakenUp() throws Exception {
    DocumentedProtocolInteropTest.requireTool(opensslPresent(), "openssl");
    pemPair("old");
    pemPair("new");
    SignalingConfig working =
        SignalingServerTest.config()
            .withTls(
                new SignalingConfig.Tls(
                    null,
                    null,
                    dir.resolve("old-cert.pem").toString(),
                    dir.resolve("old-key.pem").toString()));
    SignalingConfig mismatched =
        working.withTls(
            new SignalingConfig.Tls(
                null,
                null,
                dir.resolve("new-cert.pem").toString(),
                dir.resolve("old-key.pem").toString()));

    assertThatThrownBy(() -> SignalingServer.start(mismatched))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("does not belong to the certificate");
    try (SignalingServer server = start(working)) {
      assertThat(server.reload(mismatched)).contains("certificate kept");

      helloOverWss(server, TlsContexts.trustingPem(dir.resolve("old-cert.pem")));
    }
  }

  @Test
  void anUnreadableKeyIsRefusedInOneLineNamingTheFile() throws Exception {
    DocumentedProtocolInteropTest.requireTool(opensslPresent(), "openssl");
    pemPair("old");
    SignalingConfig config =
        SignalingServerTest.config()
            .withTls(
                new SignalingConfig.Tls(
                    null,
                    null,
                    dir.resolve("old-cert.pem").toString(),
                    dir.resolve("missing-key.pem").toString()));

    assertThatThrownBy(() -> SignalingServer.start(config))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("tls: cannot read " + dir.resolve("missing-key.pem") + " (no such file)");
  }

  @Test
  void clientThatDoesNotTrustTheCertificateIsNotConnected() throws Exception {
    Path keystore = selfSignedKeystore();
    SignalingConfig config =
        SignalingServerTest.config()
            .withTls(new SignalingConfig.Tls(keystore.toString(), "changeit", null, null));

    try (SignalingServer server = start(config)) {
      WsTestClient client = WsTestClient.openMayBeRefused(server.uri());
      assertThat(client.isOpen()).isFalse();
      assertThat(server.stats().openConnections()).isZero();
    }
  }

  /**
   * A client speaking plain ws:// to the wss:// port: no WebSocket, nothing counted, no credential
   * ever read in clear, and the server serves a TLS client right after.
   */
  @Test
  void plainWsClientIsRefusedAndTheServerStillServesTls() throws Exception {
    Path keystore = selfSignedKeystore();
    SignalingConfig config =
        SignalingServerTest.config()
            .withTls(new SignalingConfig.Tls(keystore.toString(), "changeit", null, null));

    try (SignalingServer server = start(config)) {
      java.net.URI plain = java.net.URI.create("ws://127.0.0.1:" + server.port());
      WsTestClient client = WsTestClient.openMayBeRefused(plain);
      assertThat(client.isOpen()).isFalse();
      try (RawWs raw = RawWs.open(java.net.InetAddress.getLoopbackAddress(), server.port())) {
        raw.sendText(
            "{\"type\":\"hello\",\"role\":\"driver\",\"credential\":\"alice-token\",\"protocol\":1}");
        throw new AssertionError("a cleartext upgrade was accepted: " + raw.next());
      } catch (java.io.IOException refused) {
        // the TLS layer cannot parse an HTTP request: the upgrade never completes
      }

      assertThat(server.stats().openConnections()).isZero();
      helloOverWss(server, TlsContexts.trusting(keystore, "changeit".toCharArray()));
    }
  }

  @Test
  void wrongKeystorePasswordIsAClearConfigError() throws Exception {
    Path keystore = selfSignedKeystore();
    SignalingConfig config =
        SignalingServerTest.config()
            .withTls(new SignalingConfig.Tls(keystore.toString(), "wrong", null, null));

    assertThatThrownBy(() -> SignalingServer.start(config))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageStartingWith("tls: ");
  }

  @Test
  void traditionalPemKeyIsRefusedWithTheCommandThatConvertsIt() throws Exception {
    Files.writeString(
        dir.resolve("rsa.pem"),
        "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
    SignalingConfig config =
        SignalingServerTest.config()
            .withTls(
                new SignalingConfig.Tls(
                    null, null, selfSignedPem().toString(), dir.resolve("rsa.pem").toString()));

    assertThatThrownBy(() -> SignalingServer.start(config))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("openssl pkcs8 -topk8");
  }

  private Path selfSignedPem() throws Exception {
    DocumentedProtocolInteropTest.requireTool(opensslPresent(), "openssl");
    run(
        dir,
        "openssl",
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        "unused.pem",
        "-out",
        "only-cert.pem",
        "-days",
        "2",
        "-subj",
        "/CN=x");
    return dir.resolve("only-cert.pem");
  }

  @Test
  void tlsConfigMustChooseOneForm() {
    SignalingConfig config =
        SignalingServerTest.config()
            .withTls(new SignalingConfig.Tls("a.p12", null, "c.pem", "k.pem"));

    assertThatThrownBy(() -> config.resolved(java.util.Map.of()))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("tls: give either keystore (+ password) or certificate + privateKey");
  }
}
