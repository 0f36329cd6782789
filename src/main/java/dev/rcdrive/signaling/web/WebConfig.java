package dev.rcdrive.signaling.web;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rcdrive.protocol.ConfigKeys;
import dev.rcdrive.signaling.InvalidConfigException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

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
@JsonIgnoreProperties(ignoreUnknown = true)
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
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(Files.readString(file));
    } catch (IOException e) {
      // SignalingConfig.load reads the same file first and reports it in detail.
      throw new InvalidConfigException(file + ": cannot read the web section");
    }
    JsonNode web = root == null ? null : root.get("web");
    if (web == null || web.isNull()) {
      return defaults();
    }
    if (!web.isObject()) {
      throw new InvalidConfigException(file + ": web: expected an object");
    }
    List<String> unknown =
        ConfigKeys.unknown(web, WebConfig.class, Set.of(), Set.of()).stream()
            .map(problem -> "web." + problem)
            .toList();
    if (!unknown.isEmpty()) {
      throw new InvalidConfigException(file + ": " + String.join("; ", unknown));
    }
    for (String field : List.of("enabled", "port", "signalingUrl")) {
      JsonNode value = web.get(field);
      if (value == null || value.isNull()) {
        continue;
      }
      boolean right =
          switch (field) {
            case "enabled" -> value.isBoolean();
            case "port" -> value.isInt();
            default -> value.isTextual();
          };
      if (!right) {
        throw new InvalidConfigException(file + ": web." + field + ": wrong type of value");
      }
    }
    return new WebConfig(
        web.hasNonNull("enabled") ? web.get("enabled").booleanValue() : null,
        web.hasNonNull("port") ? web.get("port").intValue() : null,
        web.hasNonNull("signalingUrl") ? web.get("signalingUrl").textValue() : null);
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
