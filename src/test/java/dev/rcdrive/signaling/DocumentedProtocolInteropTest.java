package dev.rcdrive.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A car and a driver written in Python from docs/protocol.md alone (src/test/python/doc_client.py)
 * go through the documented exchange against the real server: the document is the contract.
 */
class DocumentedProtocolInteropTest {

  /** Debian's interpreter, where python3-websockets is installed (.ci/run installs it). */
  private static final Path PYTHON = Path.of("/usr/bin/python3");

  /** In CI the tool must be there (.ci/run installs it); elsewhere its absence skips the test. */
  static void requireTool(boolean present, String what) {
    if (System.getenv("CI") == null) {
      org.junit.jupiter.api.Assumptions.assumeTrue(present, what + " is not installed");
    }
    assertThat(present).as(what + " (.ci/run installs it)").isTrue();
  }

  private static boolean pythonWebsockets() throws Exception {
    if (!Files.isExecutable(PYTHON)) {
      return false;
    }
    Process check = new ProcessBuilder(PYTHON.toString(), "-c", "import websockets").start();
    return check.waitFor(30, TimeUnit.SECONDS) && check.exitValue() == 0;
  }

  @Test
  void clientWrittenFromTheDocumentInPythonWorks() throws Exception {
    requireTool(pythonWebsockets(), "Debian's python3-websockets");
    VirtualTime time = new VirtualTime(); // nothing in the exchange waits for a timeout
    try (SignalingServer server =
        SignalingServer.start(SignalingServerTest.config(), time.clock(), time)) {
      Process python =
          new ProcessBuilder(
                  PYTHON.toString(),
                  "src/test/python/doc_client.py",
                  server.uri().toString(),
                  "buggy",
                  "buggy-key",
                  "alice-token")
              .redirectErrorStream(true)
              .start();
      String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(python.waitFor(60, TimeUnit.SECONDS)).isTrue();

      assertThat(python.exitValue()).as(output).isZero();
      assertThat(output).contains("OK: the documented exchange works");
    }
  }
}
