package dev.rcdrive.cli;

import dev.rcdrive.signaling.InvalidConfigException;
import dev.rcdrive.signaling.SignalingConfig;
import dev.rcdrive.signaling.SignalingConfig.IceServerConfig;
import dev.rcdrive.signaling.SignalingServer;
import dev.rcdrive.signaling.web.DriverPage;
import dev.rcdrive.signaling.web.WebConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rcdrive signal}: runs the signaling server until interrupted. */
@Command(
    name = "signal",
    mixinStandardHelpOptions = true,
    versionProvider = Main.VersionProvider.class,
    description = {
      "Run the signaling server that introduces cars to drivers (WebSocket, JSON; see"
          + " docs/protocol.md).",
      "Secrets in flags and in the config file may be written as env:NAME or file:PATH."
    },
    sortOptions = false,
    subcommands = {
      SignalAdmin.Init.class,
      SignalAdmin.AddCar.class,
      SignalAdmin.AddDriver.class,
      SignalAdmin.Revoke.class
    })
final class SignalCommand implements Callable<Integer> {

  static final String DEMO_CAR = "demo";
  static final String DEMO_KEY = "demo-key";
  static final String DEMO_TOKEN = "demo-token";

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "JSON config (cars, drivers, ICE servers, TLS, limits); flags add to it.")
  Path config;

  @Option(
      names = "--host",
      paramLabel = "ADDRESS",
      description = "Address to listen on (default: from config, else 0.0.0.0; --demo: 127.0.0.1).")
  String host;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = "Port to listen on; 0 picks a free one (default: from config, else 8443).")
  Integer port;

  @Option(
      names = "--car",
      paramLabel = "ID=KEY",
      description = "Allow a car to register with this key. Repeatable.")
  List<String> cars = new ArrayList<>();

  @Option(
      names = "--driver-token",
      paramLabel = "TOKEN",
      description = "Allow drivers presenting this token. Repeatable.")
  List<String> driverTokens = new ArrayList<>();

  @Option(
      names = "--stun",
      paramLabel = "URL",
      description = "STUN server for peers, e.g. stun:stun.example.org:3478. Repeatable.")
  List<String> stun = new ArrayList<>();

  @Option(
      names = "--turn",
      paramLabel = "URL",
      description =
          "TURN server for peers, e.g. turn:turn.example.org:3478?transport=udp. Repeatable.")
  List<String> turn = new ArrayList<>();

  @Option(
      names = "--turn-secret",
      paramLabel = "SECRET",
      description = "coturn static-auth-secret: mint per-peer TURN credentials (REST scheme).")
  String turnSecret;

  @Option(
      names = "--turn-ttl",
      paramLabel = "SECONDS",
      defaultValue = "86400",
      description = "Lifetime of minted TURN credentials (default: ${DEFAULT-VALUE}).")
  long turnTtl;

  @Option(
      names = "--keystore",
      paramLabel = "FILE",
      description = "PKCS#12 keystore: serve wss://.")
  Path keystore;

  @Option(
      names = "--keystore-password",
      paramLabel = "PASSWORD",
      description = "Keystore password.")
  String keystorePassword;

  @Option(
      names = "--cert",
      paramLabel = "FILE",
      description = "PEM certificate chain: serve wss:// (with --key).")
  Path certificate;

  @Option(names = "--key", paramLabel = "FILE", description = "PKCS#8 PEM private key for --cert.")
  Path privateKey;

  @Option(
      names = "--web-port",
      paramLabel = "PORT",
      description =
          "Port of the browser driver page (HTTPS with the same certificate; plain HTTP on"
              + " loopback only); 0 picks a free one (default: from config, else 8444).")
  Integer webPort;

  @Option(
      names = "--insecure",
      description =
          "Serve plain ws:// on an address other than loopback (tokens and car keys then cross the"
              + " network unencrypted): only on a network you trust, or behind a TLS proxy.")
  boolean insecure;

  @Option(names = "--no-web", description = "Do not serve the browser driver page.")
  boolean noWeb;

  @Option(
      names = "--demo",
      description =
          "Add a demo car (id '"
              + DEMO_CAR
              + "', key '"
              + DEMO_KEY
              + "') and driver token '"
              + DEMO_TOKEN
              + "'; listen on 127.0.0.1.")
  boolean demo;

  @Override
  public Integer call() throws Exception {
    SignalingConfig resolved;
    WebConfig web;
    try {
      resolved = buildConfig();
      web = buildWebConfig();
      resolved.resolved(System.getenv()); // every field's problem first, then the policy
      refusePlainOnTheNetwork(resolved);
    } catch (InvalidConfigException e) {
      spec.commandLine().getErr().println("rcdrive signal: " + e.getMessage());
      return 2;
    }
    try (SignalingServer server = SignalingServer.start(resolved);
        DriverPage page = DriverPage.start(resolved, server.uri(), web, server.tlsContext());
        SignalReloads reloads = SignalReloads.start(this::buildConfig, server, watchedFiles())) {
      var out = spec.commandLine().getOut();
      out.println(
          "rcdrive signaling server listening on "
              + listening(resolved.host(), server.port(), resolved.tls() != null));
      out.println(page.note());
      if (demo) {
        out.println(
            "demo: car '"
                + DEMO_CAR
                + "' key '"
                + DEMO_KEY
                + "', driver token '"
                + DEMO_TOKEN
                + "'");
      }
      out.println(
          "Reloads cars, drivers and the certificate on SIGHUP and when "
              + (config == null ? "the certificate" : config.getFileName())
              + " changes. Press Ctrl+C to stop.");
      out.flush();
      CountDownLatch stop = new CountDownLatch(1);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    reloads.stop(); // no reload while the server stops
                    closeBoth(page, server, stop);
                  },
                  "signal-shutdown"));
      stop.await();
    } catch (InvalidConfigException e) {
      spec.commandLine().getErr().println("rcdrive signal: " + e.getMessage());
      return 2;
    } catch (java.io.IOException e) {
      spec.commandLine().getErr().println("rcdrive signal: " + e.getMessage());
      return 1;
    }
    return 0;
  }

  /**
   * Driver tokens and car keys travel in {@code hello}: over plain ws:// anyone on the path reads
   * them. Loopback is fine (a local demo, or a TLS proxy in front); anything else needs wss:// or
   * the user's explicit {@code --insecure}.
   */
  void refusePlainOnTheNetwork(SignalingConfig resolved) throws InvalidConfigException {
    if (resolved.tls() == null && !insecure && !isLoopback(resolved.host())) {
      throw new InvalidConfigException(
          "refusing plain ws:// on "
              + resolved.host()
              + ": driver tokens and car keys would cross the network unencrypted. Give --cert and"
              + " --key (or --keystore) for wss://, listen on --host 127.0.0.1 behind a TLS proxy,"
              + " or add --insecure on a network you trust");
    }
  }

  /**
   * Where the server really listens, as a user can reach it: the bound address and port, and for a
   * wildcard address every address of this machine's interfaces that are up.
   */
  static String listening(String host, int port, boolean tls) {
    String scheme = tls ? "wss://" : "ws://";
    boolean wildcard = host.equals("0.0.0.0") || host.equals("::");
    if (!wildcard) {
      return scheme + bracketed(host) + ":" + port;
    }
    List<String> urls = new ArrayList<>();
    try {
      for (java.net.NetworkInterface nif :
          java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
        if (!nif.isUp()) {
          continue;
        }
        for (java.net.InetAddress address : java.util.Collections.list(nif.getInetAddresses())) {
          boolean v6 = address instanceof java.net.Inet6Address;
          if ((v6 && host.equals("0.0.0.0")) || address.isLinkLocalAddress()) {
            continue; // an IPv4 wildcard does not answer on IPv6; link-local needs a zone
          }
          urls.add(scheme + bracketed(address.getHostAddress()) + ":" + port);
        }
      }
    } catch (java.net.SocketException e) {
      urls.clear();
    }
    return bracketed(host)
        + ":"
        + port
        + " (all interfaces"
        + (urls.isEmpty() ? ")" : ": " + String.join(", ", urls) + ")");
  }

  private static String bracketed(String host) {
    return host.contains(":") ? "[" + host + "]" : host;
  }

  /** The config file and the certificate files (where certbot renews them): a change reloads. */
  private List<Path> watchedFiles() throws InvalidConfigException {
    List<Path> files = new ArrayList<>();
    if (config != null) {
      files.add(config);
    }
    SignalingConfig.Tls tls = buildConfig().tls();
    if (tls != null) {
      for (String file : new String[] {tls.keystore(), tls.certificate(), tls.privateKey()}) {
        if (file != null) {
          files.add(Path.of(file));
        }
      }
    }
    return files;
  }

  private static boolean isLoopback(String host) {
    try {
      return java.net.InetAddress.getByName(host).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  /** The config file's {@code web} section with the flags applied. */
  WebConfig buildWebConfig() throws InvalidConfigException {
    WebConfig web = config == null ? WebConfig.defaults() : WebConfig.load(config);
    if (webPort != null) {
      web = web.withPort(webPort);
    }
    if (noWeb) {
      web = web.withEnabled(false);
    }
    if (!web.problems().isEmpty()) {
      throw new InvalidConfigException(String.join("\n", web.problems()));
    }
    return web;
  }

  SignalingConfig buildConfig() throws InvalidConfigException {
    if (demo && (config != null || !cars.isEmpty() || !driverTokens.isEmpty())) {
      throw new InvalidConfigException(
          "--demo adds a well-known token that may drive every car: it cannot be combined with"
              + " --config, --car or --driver-token");
    }
    if (demo && host != null && !isLoopback(host)) {
      throw new InvalidConfigException(
          "--demo listens on loopback only; --host " + host + " is not");
    }
    SignalingConfig base = config == null ? SignalingConfig.empty() : SignalingConfig.load(config);
    List<SignalingConfig.Car> moreCars = new ArrayList<>();
    for (String car : cars) {
      int eq = car.indexOf('=');
      if (eq <= 0 || eq == car.length() - 1) {
        throw new InvalidConfigException(
            "--car: expected ID=KEY, got '" + car.replaceAll("=.*", "=…") + "'");
      }
      moreCars.add(new SignalingConfig.Car(car.substring(0, eq), null, car.substring(eq + 1)));
    }
    List<SignalingConfig.Driver> moreDrivers = new ArrayList<>();
    for (String token : driverTokens) {
      moreDrivers.add(new SignalingConfig.Driver(null, token));
    }
    if (demo) {
      moreCars.add(new SignalingConfig.Car(DEMO_CAR, "Demo car", DEMO_KEY));
      moreDrivers.add(new SignalingConfig.Driver("demo driver", DEMO_TOKEN));
    }
    SignalingConfig merged = base.plus(moreCars, moreDrivers);
    if (host != null) {
      merged = merged.withHost(host);
    } else if (demo && config == null) {
      merged = merged.withHost("127.0.0.1");
    }
    if (port != null) {
      merged = merged.withPort(port);
    }
    List<IceServerConfig> ice = new ArrayList<>(merged.iceServers());
    if (!stun.isEmpty()) {
      ice.add(new IceServerConfig(stun, null, null, null, null));
    }
    if (!turn.isEmpty()) {
      if (turnSecret == null) {
        throw new InvalidConfigException(
            "--turn needs --turn-secret (coturn's static-auth-secret)");
      }
      ice.add(new IceServerConfig(turn, null, null, turnSecret, turnTtl));
    }
    merged = merged.withIceServers(ice);
    if (keystore != null || certificate != null || privateKey != null) {
      merged =
          merged.withTls(
              new SignalingConfig.Tls(
                  keystore == null ? null : keystore.toString(),
                  keystorePassword,
                  certificate == null ? null : certificate.toString(),
                  privateKey == null ? null : privateKey.toString()));
    }
    if (merged.cars().isEmpty()) {
      throw new InvalidConfigException(
          "no cars configured: give --config FILE, --car ID=KEY, or --demo");
    }
    if (merged.drivers().isEmpty()) {
      throw new InvalidConfigException(
          "no driver tokens configured: give --config FILE, --driver-token TOKEN, or --demo");
    }
    return merged;
  }

  /** Ctrl+C: stops the page and the server before the JVM exits, then lets call() return. */
  private static void closeBoth(AutoCloseable page, AutoCloseable server, CountDownLatch stop) {
    try {
      page.close();
      server.close();
    } catch (Exception e) {
      System.err.println("rcdrive signal: while stopping: " + e.getMessage());
    } finally {
      stop.countDown();
    }
  }
}
