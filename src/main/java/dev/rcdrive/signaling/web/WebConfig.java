package dev.rcdrive.signaling.web;

import dev.rcdrive.protocol.ConfigReader;
import dev.rcdrive.signaling.InvalidConfigException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code web} section of {@code signal.json}: whether and where the browser driver page is
 * served. Read on its own from the same file (the signaling config ignores fields it does not
 * know), so the page's settings stay out of the signaling server's.
 *
 * @param enabled false: no page (default true)
 * @param port the page's port, 0 for any free one; null: {@value #DEFAULT_PORT}, or any free one
 *     when the signaling server's port is 0 too (tests, benchmarks, several servers on one host)
 * @param signalingUrl what the page connects to; null: the page's own host name at the signaling
 *     server's port and scheme (set it when a reverse proxy puts signaling elsewhere)
 */
public record WebConfig(Boolean enabled, Integer port, String signalingUrl) {

  /** Beside the signaling server's 8443 (docs/decisions/0008). */
  public static final int DEFAULT_PORT = 8444;

  public WebConfig {
    enabled = enabled == null || enabled;
  }

  /** The port to bind, given the signaling server's configured port. */
  public int portBeside(int signalingPort) {
    if (port != null) {
      return port;
    }
    return signalingPort == 0 ? 0 : DEFAULT_PORT;
  }

  public static WebConfig defaults() {
    return new WebConfig(null, null, null);
  }

  public WebConfig withPort(int newPort) {
    return new WebConfig(enabled, newPort, signalingUrl);
  }

  public WebConfig withEnabled(boolean value) {
    return new WebConfig(value, port, signalingUrl);
  }

  public WebConfig withSignalingUrl(String url) {
    return new WebConfig(enabled, port, url);
  }

  /** The {@code web} section of a signal.json, or the defaults when it has none. */
  public static WebConfig load(Path file) throws InvalidConfigException {
    List<String> problems = new ArrayList<>();
    WebConfig web;
    try {
      web = ConfigReader.section(Files.readString(file), "web", WebConfig.class, problems);
    } catch (IOException e) {
      // SignalingConfig.load reads the same file first and reports it in detail.
      throw new InvalidConfigException(file + ": cannot read the web section");
    }
    if (!problems.isEmpty()) {
      throw new InvalidConfigException(file + ": " + String.join("; ", problems));
    }
    return web == null ? defaults() : web;
  }

  /** Every problem, each naming its field; empty when the section is usable. */
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (port != null && (port < 0 || port > 65535)) {
      problems.add("web.port: must be 0-65535, got " + port);
    }
    if (signalingUrl != null) {
      try {
        URI uri = new URI(signalingUrl);
        if (!"wss".equals(uri.getScheme()) && !"ws".equals(uri.getScheme())
            || uri.getHost() == null) {
          problems.add("web.signalingUrl: must look like wss://host[:port][/path]");
        }
      } catch (URISyntaxException e) {
        problems.add("web.signalingUrl: not a URL");
      }
    }
    return problems;
  }
}
