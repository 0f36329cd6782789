package dev.rcdrive.signaling.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the browser driver page: a handful of static files packaged in the jar (under {@code
 * driver-page/}) and {@code /config.json}, which tells the page where signaling is. HTTPS with the
 * signaling server's own certificate; plain HTTP only on a loopback address (browsers treat
 * http://127.0.0.1 as a secure context, nothing else). The JDK's own HTTP server on a port of its
 * own, beside Java-WebSocket's: docs/decisions/0008.
 *
 * <p>Only GET and HEAD of known file names are answered; a name is letters, digits and dashes with
 * one extension, so no request reaches outside the page's folder.
 */
public final class DriverPageServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DriverPageServer.class);

  /** Where the page's files live on the class path. */
  static final String RESOURCE_DIR = "/driver-page/";

  private static final Pattern FILE_NAME =
      Pattern.compile("[a-z0-9][a-z0-9-]{0,63}\\.(html|js|css|svg|png|json)");

  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "svg", "image/svg+xml",
          "png", "image/png",
          "json", "application/json; charset=utf-8");

  /**
   * Nothing but this origin's own files; the signaling socket is on another port, hence ws:/wss:.
   * No inline script or style anywhere in the page.
   */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " media-src 'self' blob: mediastream:; connect-src 'self' ws: wss:;"
          + " object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  /** Where the page finds the signaling server. */
  public record Signaling(String scheme, int port, String url) {
    /** The page's own host name, this scheme and port: the usual case. */
    public static Signaling at(URI signalingUri) {
      return new Signaling(signalingUri.getScheme(), signalingUri.getPort(), null);
    }

    public Signaling withUrl(String fixedUrl) {
      return new Signaling(scheme, port, fixedUrl);
    }
  }

  private final HttpServer server;
  private final ExecutorService workers;
  private final boolean https;
  private final String configJson;
  private final Map<String, Optional<Asset>> assets = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicBoolean closed =
      new java.util.concurrent.atomic.AtomicBoolean();

  private record Asset(byte[] bytes, String type, String etag) {}

  private DriverPageServer(HttpServer server, ExecutorService workers, boolean https, String json) {
    this.server = server;
    this.workers = workers;
    this.https = https;
    this.configJson = json;
  }

  /**
   * Why the page cannot be served on this address, or null when it can: away from loopback a
   * browser gives an http:// page no gamepads and no secure context, so the page needs TLS there.
   */
  public static String unavailableReason(String host, boolean tls) {
    if (tls || isLoopback(host)) {
      return null;
    }
    return "browsers need HTTPS for the driver page away from loopback: give the server a"
        + " certificate (--cert/--key or --keystore), or --host 127.0.0.1";
  }

  /**
   * Binds and starts serving.
   *
   * @param tls the signaling server's context (the same certificate); null for plain HTTP, allowed
   *     on a loopback host only
   * @throws IOException when the port cannot be bound (the message names it)
   */
  public static DriverPageServer start(String host, int port, SSLContext tls, Signaling signaling)
      throws IOException {
    String refusal = unavailableReason(host, tls != null);
    if (refusal != null) {
      throw new IllegalArgumentException(refusal);
    }
    bound(); // before the first server reads them
    HttpServer server;
    try {
      InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(host), port);
      if (tls != null) {
        HttpsServer secure = HttpsServer.create(address, 64);
        secure.setHttpsConfigurator(new HttpsConfigurator(tls));
        server = secure;
      } else {
        server = HttpServer.create(address, 64);
      }
    } catch (java.net.BindException e) {
      throw new IOException("port " + port + " on " + host + " is in use (" + e.getMessage() + ")");
    }
    AtomicInteger threads = new AtomicInteger();
    // Static files of a few tens of KiB: a few threads are plenty; a full queue is refused.
    ThreadPoolExecutor workers =
        new ThreadPoolExecutor(
            2,
            4,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(256),
            r -> {
              Thread thread = new Thread(r, "driver-page-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    server.setExecutor(workers);
    DriverPageServer page =
        new DriverPageServer(server, workers, tls != null, configJson(signaling));
    server.createContext("/", page::handle);
    server.start();
    log.info("driver page on {}", page.uri());
    return page;
  }

  /**
   * Bounds on the JDK server's request and response times (JVM-wide properties read once when its
   * first server starts): a client that trickles its request a byte at a time is cut off.
   */
  private static void bound() {
    System.getProperties().putIfAbsent("sun.net.httpserver.maxReqTime", "10");
    System.getProperties().putIfAbsent("sun.net.httpserver.maxRspTime", "30");
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The page's address, e.g. https://0.0.0.0:8444/ (a wildcard host stays as it is). */
  public URI uri() {
    String host = server.getAddress().getAddress().getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return URI.create((https ? "https://" : "http://") + host + ":" + port() + "/");
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    server.stop(0);
    workers.shutdownNow();
  }

  private static String configJson(Signaling signaling) {
    StringBuilder json = new StringBuilder("{");
    json.append("\"signalingScheme\":").append(quote(signaling.scheme())).append(',');
    json.append("\"signalingPort\":").append(signaling.port()).append(',');
    if (signaling.url() != null) {
      json.append("\"signalingUrl\":").append(quote(signaling.url())).append(',');
    }
    json.append("\"version\":").append(quote(dev.rcdrive.protocol.Version.current()));
    return json.append('}').toString();
  }

  /** A JSON string; the values are a scheme, a URL and a version, but quote them properly. */
  private static String quote(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || c == '<' || c == '>') {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }

  // ---- requests ---------------------------------------------------------------------------

  private void handle(HttpExchange exchange) throws IOException {
    try {
      respond(exchange);
    } catch (IOException e) {
      log.debug(
          "driver page: {} {}: {}", exchange.getRequestMethod(), path(exchange), e.toString());
    } finally {
      exchange.close();
    }
  }

  private void respond(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    boolean head = method.equals("HEAD");
    securityHeaders(exchange);
    if (!head && !method.equals("GET")) {
      exchange.getResponseHeaders().set("Allow", "GET, HEAD");
      send(exchange, 405, "text/plain; charset=utf-8", bytes("only GET and HEAD\n"), false);
      return;
    }
    String path = path(exchange);
    if (path.equals("/config.json")) {
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      send(exchange, 200, TYPES.get("json"), bytes(configJson), head);
      return;
    }
    String name = path.equals("/") ? "index.html" : path.substring(1);
    Optional<Asset> asset =
        FILE_NAME.matcher(name).matches()
            ? assets.computeIfAbsent(name, DriverPageServer::load)
            : Optional.empty();
    if (asset.isEmpty()) {
      send(exchange, 404, "text/plain; charset=utf-8", bytes("not found\n"), head);
      return;
    }
    Asset found = asset.get();
    exchange.getResponseHeaders().set("ETag", found.etag());
    // Revalidate every time (a cheap 304): an upgraded server's page is picked up at once.
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    String ifNoneMatch = exchange.getRequestHeaders().getFirst("If-None-Match");
    if (found.etag().equals(ifNoneMatch)) {
      exchange.sendResponseHeaders(304, -1);
      return;
    }
    send(exchange, 200, found.type(), found.bytes(), head);
  }

  private static String path(HttpExchange exchange) {
    String raw = exchange.getRequestURI().getRawPath();
    return raw == null || raw.isEmpty() ? "/" : raw;
  }

  private static void securityHeaders(HttpExchange exchange) {
    var headers = exchange.getResponseHeaders();
    headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("Referrer-Policy", "no-referrer");
    // Cross-origin isolation: performance.now() then ticks in 5 µs instead of 100 µs steps, which
    // the control round trip (well under a millisecond on a LAN) needs.
    headers.set("Cross-Origin-Opener-Policy", "same-origin");
    headers.set("Cross-Origin-Embedder-Policy", "require-corp");
    headers.set("Cross-Origin-Resource-Policy", "same-origin");
    headers.set(
        "Permissions-Policy",
        "gamepad=(self), fullscreen=(self), camera=(), microphone=(), geolocation=()");
  }

  private static void send(
      HttpExchange exchange, int status, String type, byte[] body, boolean head)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    if (head) {
      exchange.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static Optional<Asset> load(String name) {
    try (InputStream in = DriverPageServer.class.getResourceAsStream(RESOURCE_DIR + name)) {
      if (in == null) {
        return Optional.empty();
      }
      byte[] bytes = in.readAllBytes();
      String extension = name.substring(name.lastIndexOf('.') + 1);
      return Optional.of(new Asset(bytes, TYPES.get(extension), etag(bytes)));
    } catch (IOException e) {
      log.warn("driver page: cannot read {}: {}", name, e.toString());
      return Optional.empty();
    }
  }

  private static String etag(byte[] bytes) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      return "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
