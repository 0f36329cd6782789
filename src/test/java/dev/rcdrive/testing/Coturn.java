package dev.rcdrive.testing;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real coturn TURN server on loopback, started by a test and stopped by it, using the REST
 * credential scheme (static-auth-secret) that the signaling server mints credentials for. Flags as
 * measured in PLATFORM.md (loopback peers must be allowed explicitly).
 */
public final class Coturn implements AutoCloseable {
  private final Process process;
  private final String host;
  private final int port;
  private final String secret;
  private final Path log;

  private Coturn(Process process, String host, int port, String secret, Path log) {
    this.process = process;
    this.host = host;
    this.port = port;
    this.secret = secret;
    this.log = log;
  }

  public static boolean installed() {
    return Files.isExecutable(Path.of("/usr/bin/turnserver"));
  }

  public static Coturn start(String secret) throws IOException, InterruptedException {
    return start(secret, InetAddress.getLoopbackAddress());
  }

  /**
   * Listening and relaying on {@code at}: an address of a test's own network namespace pair, for
   * ICE agents that will not use a loopback relay address (libnice, in GStreamer's webrtcbin).
   */
  public static Coturn start(String secret, InetAddress at)
      throws IOException, InterruptedException {
    int port;
    try (DatagramSocket probe = new DatagramSocket(0, at)) {
      port = probe.getLocalPort();
    }
    int relayBase = 49160 + (port % 500) * 20; // a relay range of its own per server
    Path log = Files.createTempFile("coturn", ".log");
    Process process =
        new ProcessBuilder(
                List.of(
                    "/usr/bin/turnserver",
                    "-n",
                    "--listening-ip=" + at.getHostAddress(),
                    "--listening-port=" + port,
                    "--relay-ip=" + at.getHostAddress(),
                    "--min-port=" + relayBase,
                    "--max-port=" + (relayBase + 19),
                    "--realm=rcdrive.test",
                    "--use-auth-secret",
                    "--static-auth-secret=" + secret,
                    "--no-tls",
                    "--no-dtls",
                    "--no-cli",
                    "--fingerprint",
                    "--allow-loopback-peers",
                    "--log-file=stdout",
                    "--simple-log"))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    Coturn coturn = new Coturn(process, at.getHostAddress(), port, secret, log);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("turnserver exited: " + Files.readString(log));
      }
      if (Files.readString(log).contains("Total General servers")) {
        return coturn;
      }
      Thread.sleep(50);
    }
    coturn.close();
    throw new IOException("turnserver did not start within 10 s: " + Files.readString(log));
  }

  public String url() {
    return "turn:" + host + ":" + port + "?transport=udp";
  }

  public String secret() {
    return secret;
  }

  /** What coturn logged, for assertions and failure messages. */
  public String log() throws IOException {
    return Files.readString(log);
  }

  @Override
  public void close() throws IOException {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    Files.deleteIfExists(log);
  }
}
