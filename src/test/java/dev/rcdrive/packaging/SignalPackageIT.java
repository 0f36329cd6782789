package dev.rcdrive.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rcdrive.signaling.TlsContexts;
import dev.rcdrive.signaling.TurnCredentials;
import dev.rcdrive.testing.TurnAllocate;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The server package as a user meets it (issue 20): packaging/signal/build.sh builds the amd64 and
 * arm64 .debs; as root, apt installs this machine's one with its maintainer scripts, {@code rcdrive
 * signal init} configures it, the unit's own ExecStart line runs the server as its user and the
 * coturn drop-in's ExecStart runs coturn (no systemd in CI), a simulated car and {@code rcdrive
 * probe --relay-only} meet through them over wss:// with a certificate the test made; revoking a
 * driver refuses it, a renewed certificate reaches new connections while an old one lives on;
 * remove and purge leave nothing. All traffic stays on loopback.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES) // apt may fetch Java on a clean machine
class SignalPackageIT {

  private static final String NAME = "rcdrive-signal";
  private static final Path LAUNCHER = Path.of("target", "dist", "bin", "rcdrive").toAbsolutePath();
  private static final List<Path> debs = new ArrayList<>();
  private final List<Process> processes = new ArrayList<>();
  private Path certs;

  @BeforeAll
  static void build() throws Exception {
    assumeTrue(Commands.onPath("dpkg-deb"), "the .deb needs dpkg-deb");
    Commands.Result built = Commands.run(List.of("bash", "packaging/signal/build.sh"), 300);
    assertThat(built.exit()).as(built.out()).isZero();
    built.out().lines().map(Path::of).forEach(debs::add);
    assertThat(debs).hasSize(2);
  }

  @AfterEach
  void stop() throws Exception {
    for (Process process : processes) {
      process.descendants().forEach(ProcessHandle::destroy);
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
    if (certs != null) {
      Commands.run(List.of("rm", "-rf", certs.toString()), 30);
    }
  }

  private static String field(Path deb, String name) throws Exception {
    return Commands.run(List.of("dpkg-deb", "-f", deb.toString(), name), 10).out().strip();
  }

  @Test
  void bothDebsNameTheirArchitectureJavaAndCoturnAndCarryNoNativeCode() throws Exception {
    assertThat(debs.get(0).toString()).endsWith("_amd64.deb");
    assertThat(debs.get(1).toString()).endsWith("_arm64.deb");
    for (Path deb : debs) {
      assertThat(field(deb, "Package")).isEqualTo(NAME);
      assertThat(field(deb, "Depends")).contains("openjdk-17-jre-headless", "adduser");
      assertThat(field(deb, "Recommends")).contains("coturn");
      String files = Commands.run(List.of("dpkg-deb", "-c", deb.toString()), 30).out();
      assertThat(files)
          .contains("./lib/systemd/system/rcdrive-signal.service")
          .contains("./usr/bin/rcdrive -> ../share/rcdrive-signal/bin/rcdrive")
          .contains("./etc/letsencrypt/renewal-hooks/deploy/rcdrive-signal")
          .doesNotContain("javafx-", "jinput-", "webrtc-java-0.14.0-linux");
      assertThat(files.lines().filter(l -> l.contains("./etc/rcdrive/signal.env")).findFirst())
          .hasValueSatisfying(line -> assertThat(line).startsWith("-rw-r-----"));
    }
    assertThat(field(debs.get(0), "Architecture")).isEqualTo("amd64");
    assertThat(field(debs.get(1), "Architecture")).isEqualTo("arm64");
  }

  @Test
  void installedWithAptItServesCarAndProbeOverWssAndTurnRevokesRenewsAndPurgesClean()
      throws Exception {
    assumeTrue(
        "root".equals(System.getProperty("user.name")) && Commands.onPath("apt-get"),
        "installing a package needs root and apt-get");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/turnserver")), "coturn is not installed");
    assumeTrue(Files.isExecutable(LAUNCHER), "run ./mvnw package first (target/dist)");
    assumeTrue(installedStatus().isEmpty(), NAME + " is installed here already: not touched");
    String arch = Commands.run(List.of("dpkg", "--print-architecture"), 10).out().strip();
    Path deb =
        debs.stream()
            .filter(d -> d.toString().endsWith("_" + arch + ".deb"))
            .findFirst()
            .orElseThrow();
    try {
      Commands.Result install = apt("install", deb.toAbsolutePath().toString());
      assertThat(install.exit()).as(install.out()).isZero();
      assertThat(installedStatus()).isEqualTo("install ok installed");
      assertThat(Commands.run(List.of("getent", "passwd", NAME), 10).exit()).isZero();
      assertMode(Path.of("/etc/rcdrive/signal.env"), "rw-r-----", NAME);
      Commands.Result verify =
          Commands.run(
              List.of("systemd-analyze", "verify", "/lib/systemd/system/rcdrive-signal.service"),
              60);
      assertThat(verify.exit()).as(verify.out()).isZero();

      // A certificate for 127.0.0.1 where certbot would keep it, readable as the hook leaves it.
      certs = Files.createTempDirectory(Path.of("/tmp"), "rcdrive-signal-it");
      Files.setPosixFilePermissions(certs, PosixFilePermissions.fromString("rwxr-xr-x"));
      makeCertificate("first");
      int port = freeTcpPort();
      Commands.Result init =
          Commands.run(
              List.of(
                  "/usr/bin/rcdrive",
                  "signal",
                  "init",
                  "--domain",
                  "localhost",
                  "--car",
                  "sim",
                  "--driver",
                  "alice",
                  "--driver",
                  "bob",
                  "--certificates",
                  certs.toString(),
                  "--port",
                  String.valueOf(port)),
              60);
      assertThat(init.exit()).as(init.out()).isZero();
      String carKey = secret("car sim: RCDRIVE_CAR_KEY=", init.out());
      String alice = secret("driver alice:", init.out());
      String bob = secret("driver bob:", init.out());
      Path config = Path.of("/etc/rcdrive/signal.json");
      assertMode(config, "rw-r-----", NAME);
      assertMode(Path.of("/etc/rcdrive/turnserver.conf"), "rw-r-----", "turnserver");
      assertThat(Files.readString(config)).doesNotContain(carKey, alice, bob);

      // coturn as its drop-in starts it, production defaults, moved to loopback ports.
      Path dropIn = Path.of("/etc/systemd/system/coturn.service.d/rcdrive.conf");
      String coturnLine = execStart(Files.readString(dropIn), "/usr/bin/turnserver");
      String turnSecret =
          new ObjectMapper()
              .readTree(config.toFile())
              .get("iceServers")
              .get(1)
              .get("secret")
              .asText();
      int turnPort = freeUdpPort();
      Process strict =
          start(
              List.of(
                  "runuser",
                  "-u",
                  "turnserver",
                  "--",
                  "sh",
                  "-c",
                  coturnLine + loopbackFlags(turnPort)));
      TurnCredentials.Pair user =
          TurnCredentials.mint(turnSecret, "it", Duration.ofHours(1), Instant.now());
      await()
          .atMost(Duration.ofSeconds(20))
          .ignoreExceptions()
          .until(
              () -> TurnAllocate.attempt(turnPort, user.username(), user.credential()).allocated());
      TurnAllocate.Outcome loopbackPeer =
          TurnAllocate.permission(turnPort, user.username(), user.credential(), "127.0.0.1");
      assertThat(loopbackPeer.errorCode())
          .as("a loopback peer with the defaults: " + loopbackPeer)
          .isEqualTo(403);
      stopProcess(strict);

      // The build's own relay test allows loopback peers explicitly, and so does this drive.
      int relayPort = freeUdpPort();
      start(
          List.of(
              "runuser",
              "-u",
              "turnserver",
              "--",
              "sh",
              "-c",
              coturnLine
                  + loopbackFlags(relayPort)
                  + " --allow-loopback-peers --allowed-peer-ip=127.0.0.1"));
      ObjectNode edited = (ObjectNode) new ObjectMapper().readTree(config.toFile());
      ArrayNode urls = ((ObjectNode) edited.get("iceServers").get(1)).putArray("urls");
      urls.add("turn:127.0.0.1:" + relayPort + "?transport=udp");
      ((ObjectNode) edited.get("iceServers").get(0))
          .putArray("urls")
          .add("stun:127.0.0.1:" + relayPort);
      Files.writeString(config, new ObjectMapper().writeValueAsString(edited));

      // The server as the unit starts it: its user, its environment file, its ExecStart line.
      String signalLine =
          execStart(
              Files.readString(Path.of("/lib/systemd/system/rcdrive-signal.service")),
              "/usr/bin/rcdrive");
      Process server =
          start(
              List.of(
                  "runuser",
                  "-u",
                  NAME,
                  "--",
                  "sh",
                  "-c",
                  "set -a; . /etc/rcdrive/signal.env; exec " + signalLine));
      String uri = awaitLine(server, Pattern.compile("listening on (wss://\\S+)"));
      assertThat(uri).isEqualTo("wss://127.0.0.1:" + port);
      drainLater(server);
      await()
          .atMost(Duration.ofSeconds(20))
          .ignoreExceptions()
          .until(
              () ->
                  TurnAllocate.attempt(relayPort, user.username(), user.credential()).allocated());

      Path trust = certs.resolve("trust.p12");
      Commands.Result store =
          Commands.run(
              List.of(
                  Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                  "-importcert",
                  "-noprompt",
                  "-alias",
                  "it",
                  "-file",
                  certs.resolve("fullchain.pem").toString(),
                  "-keystore",
                  trust.toString(),
                  "-storetype",
                  "PKCS12",
                  "-storepass",
                  "changeit"),
              60);
      assertThat(store.exit()).as(store.out()).isZero();
      String javaOpts =
          "-Djavax.net.ssl.trustStore=" + trust + " -Djavax.net.ssl.trustStorePassword=changeit";
      Path agentJson = certs.resolve("agent.json");
      Files.writeString(
          agentJson,
          "{\"server\":\""
              + uri
              + "\",\"carId\":\"sim\",\"key\":\""
              + carKey
              + "\",\"camera\":{\"type\":\"sim\",\"width\":320,\"height\":240,\"fps\":15},"
              + "\"actuator\":\"sim\",\"relayOnly\":true}");
      Process car =
          start(
              List.of(LAUNCHER.toString(), "agent", "--config", agentJson.toString()),
              "JAVA_OPTS",
              javaOpts);
      assertThat(awaitLine(car, Pattern.compile("(signaling READY)"))).isNotNull();
      drainLater(car);

      Commands.Result probe = probe(uri, alice, javaOpts);
      assertThat(probe.exit()).as(probe.out()).isZero();
      JsonNode report =
          new ObjectMapper()
              .readTree(
                  probe.out().lines().filter(l -> l.startsWith("{")).findFirst().orElse("{}"));
      assertThat(report.get("connected").asBoolean()).as(probe.out()).isTrue();
      assertThat(report.get("candidateType").asText()).isEqualTo("relay");
      assertThat(report.get("frames").asLong()).isPositive();

      // Revoke bob with the installed command: the running server refuses him from then on.
      SSLContext trusting = TlsContexts.trustingPem(certs.resolve("fullchain.pem"));
      assertThat(hello(uri, bob, trusting)).contains("\"welcome\"");
      Commands.Result revoke =
          Commands.run(List.of("/usr/bin/rcdrive", "signal", "revoke", "driver", "bob"), 60);
      assertThat(revoke.exit()).as(revoke.out()).isZero();
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> hello(uri, bob, trusting).contains("AUTH_FAILED"));
      Commands.Result refused = probe(uri, bob, javaOpts);
      assertThat(refused.exit()).as(refused.out()).isNotZero();
      assertThat(refused.out()).contains("AUTH_FAILED");

      // Renew: a connection made before lives on, a new one is shown the new certificate.
      Messages before = open(uri, alice, trusting);
      assertThat(before.next()).contains("\"welcome\"");
      makeCertificate("renewed");
      SSLContext trustingNew = TlsContexts.trustingPem(certs.resolve("fullchain.pem"));
      await()
          .atMost(Duration.ofSeconds(15))
          .ignoreExceptions()
          .until(() -> presentedName(port, trustingNew).equals("CN=renewed"));
      before.socket.sendText("{\"type\":\"list\"}", true);
      assertThat(before.next()).contains("\"cars\"").contains("\"sim\"");
      assertThat(before.socket.isOutputClosed() || before.socket.isInputClosed()).isFalse();

      for (Process process : List.copyOf(processes)) {
        stopProcess(process);
      }
      Commands.Result remove = apt("remove", NAME);
      assertThat(remove.exit()).as(remove.out()).isZero();
      assertThat(Path.of("/usr/share/rcdrive-signal")).doesNotExist();
      assertThat(config).as("remove keeps the configuration").exists();
      Commands.Result purge = apt("purge", NAME);
      assertThat(purge.exit()).as(purge.out()).isZero();
      assertThat(installedStatus()).isEmpty();
      assertThat(config).doesNotExist();
      assertThat(Path.of("/etc/rcdrive/turnserver.conf")).doesNotExist();
      assertThat(dropIn).doesNotExist();
      assertThat(Commands.run(List.of("getent", "passwd", NAME), 10).exit()).isNotZero();
      List<String> left = new ArrayList<>();
      for (String line :
          Commands.run(List.of("dpkg-deb", "-c", deb.toString()), 30).out().lines().toList()) {
        String path = line.substring(line.indexOf("./") + 1).replaceAll(" -> .*$", "");
        if (!line.startsWith("d") && Files.exists(Path.of(path), LinkOption.NOFOLLOW_LINKS)) {
          left.add(path);
        }
      }
      assertThat(left).as("files of the package left after purge").isEmpty();
    } finally {
      if (!installedStatus().isEmpty()) {
        apt("purge", NAME);
      }
    }
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private static String loopbackFlags(int port) {
    int relayBase = 49160 + (port % 400) * 20;
    return " --listening-ip=127.0.0.1 --relay-ip=127.0.0.1 --listening-port="
        + port
        + " --tls-listening-port="
        + (port + 2)
        + " --alt-listening-port=0 --alt-tls-listening-port=0"
        + " --min-port="
        + relayBase
        + " --max-port="
        + (relayBase + 19)
        + " --no-dtls";
  }

  /** The last {@code ExecStart=} line of a unit or drop-in that runs {@code program}. */
  private static String execStart(String unit, String program) {
    String found = null;
    for (String line : unit.lines().toList()) {
      if (line.startsWith("ExecStart=" + program)) {
        found = line.substring("ExecStart=".length());
      }
    }
    assertThat(found).as("ExecStart=" + program + " in\n" + unit).isNotNull();
    return found;
  }

  private void makeCertificate(String name) throws Exception {
    Path key = certs.resolve(name + "-key.pem");
    Path cert = certs.resolve(name + "-cert.pem");
    Commands.Result made =
        Commands.run(
            List.of(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-keyout",
                key.toString(),
                "-out",
                cert.toString(),
                "-days",
                "2",
                "-subj",
                "/CN=" + name,
                "-addext",
                "subjectAltName=IP:127.0.0.1,DNS:localhost"),
            60);
    assertThat(made.exit()).as(made.out()).isZero();
    Commands.run(List.of("chgrp", "ssl-cert", key.toString()), 10);
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r-----"));
    Files.setPosixFilePermissions(cert, PosixFilePermissions.fromString("rw-r--r--"));
    // certbot's way: live/ names are symlinks moved onto the new files
    for (String[] link :
        new String[][] {{"fullchain.pem", cert.toString()}, {"privkey.pem", key.toString()}}) {
      Path tmp = certs.resolve(link[0] + ".tmp");
      Files.deleteIfExists(tmp);
      Files.createSymbolicLink(tmp, Path.of(link[1]));
      Files.move(
          tmp,
          certs.resolve(link[0]),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
  }

  private static String presentedName(int port, SSLContext trust) throws Exception {
    try (SSLSocket socket = (SSLSocket) trust.getSocketFactory().createSocket("127.0.0.1", port)) {
      socket.setSoTimeout(5000);
      socket.startHandshake();
      return ((X509Certificate) socket.getSession().getPeerCertificates()[0])
          .getSubjectX500Principal()
          .getName();
    }
  }

  private static void assertMode(Path path, String mode, String group) throws Exception {
    PosixFileAttributes attributes = Files.readAttributes(path, PosixFileAttributes.class);
    assertThat(PosixFilePermissions.toString(attributes.permissions()))
        .as(path.toString())
        .isEqualTo(mode);
    assertThat(attributes.group().getName()).as(path + "'s group").isEqualTo(group);
    assertThat(attributes.owner().getName()).as(path + "'s owner").isEqualTo("root");
  }

  private static String secret(String label, String out) {
    Matcher m = Pattern.compile(Pattern.quote(label) + "\\s*([A-Za-z0-9_-]{43})").matcher(out);
    assertThat(m.find()).as(label + " in\n" + out).isTrue();
    return m.group(1);
  }

  private Commands.Result probe(String uri, String token, String javaOpts) throws Exception {
    return Commands.run(
        List.of(
            LAUNCHER.toString(),
            "probe",
            "--server",
            uri,
            "--car",
            "sim",
            "--token",
            token,
            "--relay-only",
            "--seconds",
            "3",
            "--json"),
        90,
        "JAVA_OPTS",
        javaOpts);
  }

  /** One hello over wss://; the first answer (welcome, or the refusal). */
  private static String hello(String uri, String token, SSLContext trust) throws Exception {
    Messages messages = open(uri, token, trust);
    try {
      return messages.next();
    } finally {
      messages.socket.abort();
    }
  }

  private record Messages(WebSocket socket, LinkedBlockingQueue<String> queue) {
    String next() throws InterruptedException {
      String message = queue.poll(10, TimeUnit.SECONDS);
      assertThat(message).as("a message within 10 s").isNotNull();
      return message;
    }
  }

  private static Messages open(String uri, String token, SSLContext trust) throws Exception {
    LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
    WebSocket socket =
        HttpClient.newBuilder()
            .sslContext(trust)
            .build()
            .newWebSocketBuilder()
            .buildAsync(
                URI.create(uri),
                new WebSocket.Listener() {
                  private final StringBuilder text = new StringBuilder();

                  @Override
                  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                    text.append(data);
                    if (last) {
                      queue.add(text.toString());
                      text.setLength(0);
                    }
                    ws.request(1);
                    return null;
                  }

                  @Override
                  public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
                    queue.add("closed " + code + " " + reason);
                    return null;
                  }
                })
            .get(10, TimeUnit.SECONDS);
    socket.sendText(
        "{\"type\":\"hello\",\"role\":\"driver\",\"credential\":\""
            + token
            + "\",\"client\":\"it\",\"protocol\":1}",
        true);
    return new Messages(socket, queue);
  }

  private Process start(List<String> command, String... env) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    for (int i = 0; i + 1 < env.length; i += 2) {
      builder.environment().put(env[i], env[i + 1]);
    }
    Process process = builder.start();
    processes.add(process);
    return process;
  }

  private void stopProcess(Process process) throws Exception {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
    processes.remove(process);
  }

  private static String awaitLine(Process process, Pattern pattern) throws Exception {
    BufferedReader lines =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    String found =
        CompletableFuture.supplyAsync(
                () -> {
                  try {
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                      seen.append(line).append('\n');
                      Matcher matcher = pattern.matcher(line);
                      if (matcher.find()) {
                        return matcher.group(1);
                      }
                    }
                  } catch (java.io.IOException e) {
                    // ended
                  }
                  return null;
                })
            .get(60, TimeUnit.SECONDS);
    assertThat(found).as(pattern + " in\n" + seen).isNotNull();
    return found;
  }

  private static void drainLater(Process process) {
    CompletableFuture.runAsync(
        () -> {
          try {
            process.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
          } catch (java.io.IOException ignored) {
            // ended
          }
        });
  }

  private static int freeTcpPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static int freeUdpPort() throws Exception {
    try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static String installedStatus() throws Exception {
    Commands.Result status = Commands.run(List.of("dpkg-query", "-W", "-f=${Status}", NAME), 30);
    return status.exit() == 0 ? status.out().strip() : "";
  }

  private static Commands.Result apt(String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                "apt-get", "-y", "-q", "--no-install-recommends", "-o", "DPkg::Lock::Timeout=300"));
    command.addAll(List.of(args));
    return Commands.run(command, 900, "DEBIAN_FRONTEND", "noninteractive");
  }
}
