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

  @Test
  void clientWrittenFromTheDocumentInPythonWorks() throws Exception {
    assertThat(Files.isExecutable(PYTHON)).as("Debian python3 (see .ci/run)").isTrue();
    try (SignalingServer server = SignalingServer.start(SignalingServerTest.config())) {
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
