package dev.rcdrive.signaling.web;

import dev.rcdrive.signaling.InvalidConfigException;
import dev.rcdrive.signaling.SignalingConfig;
import dev.rcdrive.signaling.TlsContexts;
import java.io.IOException;
import java.net.URI;
import javax.net.ssl.SSLContext;

/**
 * What {@code rcdrive signal} does about the browser driver page: serves it beside the signaling
 * server (same host, same certificate), or says in one line why it is off.
 *
 * @param server the running page server, or null when the page is off
 * @param note for the operator: where the page is, or why it is off
 */
public record DriverPage(DriverPageServer server, String note) implements AutoCloseable {

  /**
   * Starts the page for a signaling server that already runs at {@code signalingUri}.
   *
   * @throws InvalidConfigException a bad {@code web} section or TLS setting
   * @throws IOException the page's port cannot be bound
   */
  public static DriverPage start(SignalingConfig config, URI signalingUri, WebConfig web)
      throws InvalidConfigException, IOException {
    return start(config, signalingUri, web, null);
  }

  /**
   * With the signaling server's own TLS context ({@code SignalingServer.tlsContext()}), so that a
   * renewed certificate reaches both; null: one made from the config.
   */
  public static DriverPage start(
      SignalingConfig config, URI signalingUri, WebConfig web, SSLContext sharedTls)
      throws InvalidConfigException, IOException {
    if (!web.problems().isEmpty()) {
      throw new InvalidConfigException(String.join("\n", web.problems()));
    }
    if (!web.enabled()) {
      return new DriverPage(null, "driver page: off (web.enabled is false, or --no-web)");
    }
    SignalingConfig resolved = config.resolved(System.getenv());
    String refusal = DriverPageServer.unavailableReason(resolved.host(), resolved.tls() != null);
    if (refusal != null) {
      return new DriverPage(null, "driver page: off: " + refusal);
    }
    SSLContext tls =
        resolved.tls() == null
            ? null
            : sharedTls != null ? sharedTls : TlsContexts.server(resolved.tls());
    DriverPageServer.Signaling signaling =
        DriverPageServer.Signaling.at(signalingUri).withUrl(web.signalingUrl());
    try {
      DriverPageServer server =
          DriverPageServer.start(resolved.host(), web.portBeside(resolved.port()), tls, signaling);
      return new DriverPage(
          server, "driver page: " + server.uri() + " (drive from a browser with a driver token)");
    } catch (IOException e) {
      throw new IOException(
          "driver page: " + e.getMessage() + "; give --web-port PORT, or --no-web", e);
    }
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
  }
}
