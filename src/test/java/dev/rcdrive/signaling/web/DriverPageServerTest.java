package dev.rcdrive.signaling.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rcdrive.signaling.InvalidConfigException;
import dev.rcdrive.signaling.SignalingConfig;
import dev.rcdrive.signaling.TlsContexts;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The page server as a browser meets it: real sockets, the JDK's HTTP client. */
class DriverPageServerTest {

  @TempDir Path dir;

  private static final DriverPageServer.Signaling SIGNALING =
      new DriverPageServer.Signaling("ws", 8443, null);

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static HttpResponse<String> get(URI uri) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesThePageWithHeadersThatKeepItToItself() throws Exception {
    try (DriverPageServer page = DriverPageServer.start("127.0.0.1", 0, null, SIGNALING)) {
      HttpResponse<String> index = get(page.uri());

      assertThat(page.uri().toString()).startsWith("http://127.0.0.1:");
      assertThat(index.statusCode()).isEqualTo(200);
      assertThat(index.body()).contains("<script type=\"module\" src=\"app.js\">");
      assertThat(index.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
      assertThat(index.headers().firstValue("Content-Security-Policy"))
          .hasValueSatisfying(csp -> assertThat(csp).contains("script-src 'self'"));
      assertThat(index.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
      assertThat(index.headers().firstValue("Cross-Origin-Opener-Policy")).hasValue("same-origin");
      assertThat(index.headers().firstValue("Cross-Origin-Embedder-Policy"))
          .hasValue("require-corp");
      assertThat(index.headers().firstValue("Cache-Control")).hasValue("no-cache");
    }
  }

  @ParameterizedTest
  @CsvSource(
      textBlock =
          """
          app.js,       text/javascript; charset=utf-8
          protocol.js,  text/javascript; charset=utf-8
          drive.js,     text/javascript; charset=utf-8
          input.js,     text/javascript; charset=utf-8
          signaling.js, text/javascript; charset=utf-8
          link.js,      text/javascript; charset=utf-8
          video.js,     text/javascript; charset=utf-8
          style.css,    text/css; charset=utf-8
          logo.svg,     image/svg+xml
          """)
  void everyFileOfThePageIsInTheJar(String file, String type) throws Exception {
    try (DriverPageServer page = DriverPageServer.start("127.0.0.1", 0, null, SIGNALING)) {
      HttpResponse<String> response = get(page.uri().resolve(file));

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type")).hasValue(type);
      assertThat(response.body()).isNotBlank();
    }
  }

  @Test
  void theIndexLoadsOnlyFilesThatExist() throws Exception {
    try (DriverPageServer page = DriverPageServer.start("127.0.0.1", 0, null, SIGNALING)) {
      String index = get(page.uri()).body();
      java.util.regex.Matcher refs =
          java.util.regex.Pattern.compile("(?:src|href)=\"([^\"#:]+)\"").matcher(index);
      int checked = 0;
      while (refs.find()) {
        assertThat(get(page.uri().resolve(refs.group(1))).statusCode())
            .as(refs.group(1))
            .isEqualTo(200);
        checked++;
      }
      assertThat(checked).isGreaterThanOrEqualTo(3);
    }
  }

  @Test
  void configTellsThePageWhereSignalingIs() throws Exception {
    DriverPageServer.Signaling behindProxy =
        new DriverPageServer.Signaling("wss", 8443, "wss://cars.example.org/signal");
    try (DriverPageServer plain = DriverPageServer.start("127.0.0.1", 0, null, SIGNALING);
        DriverPageServer proxied = DriverPageServer.start("127.0.0.1", 0, null, behindProxy)) {
      HttpResponse<String> config = get(plain.uri().resolve("config.json"));

      assertThat(config.headers().firstValue("Content-Type"))
          .hasValue("application/json; charset=utf-8");
      assertThat(config.headers().firstValue("Cache-Control")).hasValue("no-store");
      assertThat(config.body())
          .startsWith("{\"signalingScheme\":\"ws\",\"signalingPort\":8443,\"version\":")
          .doesNotContain("signalingUrl");
      assertThat(get(proxied.uri().resolve("config.json")).body())
          .contains("\"signalingUrl\":\"wss://cars.example.org/signal\"");
    }
  }

  @ParameterizedTest
  @CsvSource(
      textBlock =
          """
          /nothing.js
          /../pom.xml
          /%2e%2e/pom.xml
          /driver-page/app.js
          /App.js
          /META-INF/services/ch.qos.logback.classic.spi.Configurator
          /dev/rcdrive/cli/Main.class
          /.hidden.js
          /app.js/
          """)
  void namesOutsideThePageAreNotFound(String path) throws Exception {
    try (DriverPageServer page = DriverPageServer.start("127.0.0.1", 0, null, SIGNALING)) {
      // A raw request: the HTTP client would normalize "/../" away before sending it.
      String response = raw(page.port(), "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");

      assertThat(response).startsWith("HTTP/1.1 404");
    }
  }

  @Test
  void onlyGetAndHeadAreAnswered() throws Exception {
    try (DriverPageServer page = DriverPageServer.start("127.0.0.1", 0, null, SIGNALING)) {
      HttpResponse<String> post =
          HTTP.send(
              HttpRequest.newBuilder(page.uri())
                  .POST(HttpRequest.BodyPublishers.ofString("x"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> head =
          HTTP.send(
              HttpRequest.newBuilder(page.uri().resolve("app.js"))
                  .method("HEAD", HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(post.statusCode()).isEqualTo(405);
      assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
      assertThat(head.statusCode()).isEqualTo(200);
      assertThat(head.body()).isEmpty();
      assertThat(head.headers().firstValueAsLong("Content-Length").orElse(-1)).isPositive();
    }
  }

  @Test
  void anUnchangedFileIsNotSentAgain() throws Exception {
    try (DriverPageServer page = DriverPageServer.start("127.0.0.1", 0, null, SIGNALING)) {
      HttpResponse<String> first = get(page.uri().resolve("app.js"));
      String etag = first.headers().firstValue("ETag").orElseThrow();
      HttpResponse<String> again =
          HTTP.send(
              HttpRequest.newBuilder(page.uri().resolve("app.js"))
                  .header("If-None-Match", etag)
                  .build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(again.statusCode()).isEqualTo(304);
      assertThat(again.body()).isEmpty();
    }
  }

  @Test
  void plainHttpIsRefusedAwayFromLoopback() {
    assertThat(DriverPageServer.unavailableReason("127.0.0.1", false)).isNull();
    assertThat(DriverPageServer.unavailableReason("::1", false)).isNull();
    assertThat(DriverPageServer.unavailableReason("0.0.0.0", true)).isNull();
    assertThat(DriverPageServer.unavailableReason("0.0.0.0", false))
        .contains("HTTPS")
        .contains("--cert");
    assertThatThrownBy(() -> DriverPageServer.start("0.0.0.0", 0, null, SIGNALING))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aTakenPortIsNamed() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      assertThatThrownBy(
              () -> DriverPageServer.start("127.0.0.1", taken.getLocalPort(), null, SIGNALING))
          .isInstanceOf(java.io.IOException.class)
          .hasMessageContaining("port " + taken.getLocalPort())
          .hasMessageContaining("in use");
    }
  }

  @Test
  void httpsUsesTheSignalingServersCertificate() throws Exception {
    Path keystore = selfSignedKeystore();
    SignalingConfig.Tls tls = new SignalingConfig.Tls(keystore.toString(), "changeit", null, null);
    SSLContext server = TlsContexts.server(tls);
    SSLContext trust = TlsContexts.trusting(keystore, "changeit".toCharArray());
    try (DriverPageServer page =
        DriverPageServer.start(
            "127.0.0.1", 0, server, new DriverPageServer.Signaling("wss", 8443, null))) {
      HttpClient https = HttpClient.newBuilder().sslContext(trust).build();
      HttpResponse<String> index =
          https.send(
              HttpRequest.newBuilder(URI.create("https://localhost:" + page.port() + "/")).build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(page.uri().getScheme()).isEqualTo("https");
      assertThat(index.statusCode()).isEqualTo(200);
      assertThat(index.sslSession().orElseThrow().getPeerCertificates()[0].toString())
          .contains("CN=localhost");
    }
  }

  @Test
  void theSignalCommandsPageFollowsItsConfig() throws Exception {
    SignalingConfig config =
        new SignalingConfig(
            "127.0.0.1",
            0,
            null,
            List.of(new SignalingConfig.Car("c", null, "k")),
            List.of(new SignalingConfig.Driver(null, "t")),
            List.of(),
            null);
    URI signaling = URI.create("ws://127.0.0.1:41234");

    try (DriverPage off =
            DriverPage.start(config, signaling, WebConfig.defaults().withEnabled(false));
        DriverPage on = DriverPage.start(config, signaling, WebConfig.defaults())) {
      assertThat(off.server()).isNull();
      assertThat(off.note()).contains("off");
      assertThat(on.server().uri().getPort()).isPositive(); // signaling on port 0: so is the page
      assertThat(get(on.server().uri().resolve("config.json")).body())
          .contains("\"signalingPort\":41234");
    }
    DriverPage lan = DriverPage.start(config.withHost("0.0.0.0"), signaling, WebConfig.defaults());
    assertThat(lan.server()).isNull();
    assertThat(lan.note()).contains("off").contains("HTTPS");
    assertThatThrownBy(
            () -> DriverPage.start(config, signaling, WebConfig.defaults().withPort(70000)))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("web.port");
  }

  private static String raw(int port, String request) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      byte[] head = new byte[12];
      int read = in.readNBytes(head, 0, head.length);
      return new String(head, 0, read, StandardCharsets.US_ASCII);
    }
  }

  private Path selfSignedKeystore() throws Exception {
    Path keystore = dir.resolve("server.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
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
                "changeit")
            .redirectErrorStream(true)
            .start();
    String output = new String(keytool.getInputStream().readAllBytes());
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue()).as(output).isZero();
    assertThat(Files.exists(keystore)).isTrue();
    return keystore;
  }
}
