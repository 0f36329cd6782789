package dev.rcdrive.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rcdrive.signaling.CoturnConfig;
import dev.rcdrive.signaling.InvalidConfigException;
import dev.rcdrive.signaling.SignalingConfigFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The operator's commands for a signaling server installed from the package: {@code init} writes a
 * working configuration for a domain, {@code add-car}, {@code add-driver} and {@code revoke} edit
 * it. The running server sees the edit within seconds (it watches its config file; SIGHUP works
 * too), so none of them needs a restart; a revoked car or driver is disconnected at once
 * (docs/decisions/0017).
 */
final class SignalAdmin {

  static final String DEFAULT_CONFIG = "/etc/rcdrive/signal.json";
  static final Set<PosixFilePermission> SECRET_MODE = PosixFilePermissions.fromString("rw-r-----");

  private SignalAdmin() {}

  /** What every command shares: the config file. */
  abstract static class Base implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--config",
        paramLabel = "FILE",
        defaultValue = DEFAULT_CONFIG,
        description = "The signaling server's config (default: ${DEFAULT-VALUE}).")
    Path config;

    PrintWriter out() {
      return spec.commandLine().getOut();
    }

    int fail(String message) {
      spec.commandLine().getErr().println("rcdrive signal " + spec.name() + ": " + message);
      return 2;
    }

    @Override
    public Integer call() {
      try {
        return run();
      } catch (InvalidConfigException e) {
        return fail(e.getMessage());
      } catch (IOException e) {
        return fail(config + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
      }
    }

    abstract int run() throws InvalidConfigException, IOException;

    void applied() {
      out().println("The running server applies this within a few seconds (no restart).");
      out().flush();
    }
  }

  @Command(
      name = "add-car",
      mixinStandardHelpOptions = true,
      description = "Allow a car: prints its new key once (only its hash is stored).")
  static final class AddCar extends Base {
    @Parameters(paramLabel = "ID", description = "The car's id, e.g. buggy.")
    String id;

    @Option(names = "--name", paramLabel = "NAME", description = "Name shown to drivers.")
    String name;

    @Override
    int run() throws InvalidConfigException, IOException {
      SignalingConfigFile file = SignalingConfigFile.open(config);
      String key = file.addCar(id, name);
      file.save(SECRET_MODE);
      out()
          .println(
              "car " + id + " added. Its key (shown only now; put it in the car's agent.env):");
      out().println("  RCDRIVE_CAR_KEY=" + key);
      applied();
      return 0;
    }
  }

  @Command(
      name = "add-driver",
      mixinStandardHelpOptions = true,
      description = "Allow a driver: prints the new token once (only its hash is stored).")
  static final class AddDriver extends Base {
    @Parameters(paramLabel = "NAME", description = "The driver's name, e.g. alice.")
    String name;

    @Override
    int run() throws InvalidConfigException, IOException {
      SignalingConfigFile file = SignalingConfigFile.open(config);
      String token = file.addDriver(name);
      file.save(SECRET_MODE);
      out()
          .println(
              "driver " + name + " added. The token (shown only now; give it to " + name + "):");
      out().println("  " + token);
      applied();
      return 0;
    }
  }

  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description = {
        "Remove a car or a driver. A revoked driver is disconnected and its car ends the video"
            + " link at once; a revoked car is disconnected."
      })
  static final class Revoke extends Base {
    @Parameters(index = "0", paramLabel = "car|driver", description = "What to revoke.")
    String kind;

    @Parameters(index = "1", paramLabel = "ID|NAME", description = "The car's id or driver's name.")
    String which;

    @Override
    int run() throws InvalidConfigException, IOException {
      SignalingConfigFile file = SignalingConfigFile.open(config);
      boolean removed;
      if (kind.equals("car")) {
        removed = file.revokeCar(which);
      } else if (kind.equals("driver")) {
        removed = file.revokeDriver(which);
      } else {
        return fail("say 'revoke car ID' or 'revoke driver NAME', not '" + kind + "'");
      }
      if (!removed) {
        return fail("no " + kind + " '" + which + "' in " + config);
      }
      file.save(SECRET_MODE);
      out().println(kind + " " + which + " revoked.");
      applied();
      return 0;
    }
  }

  @Command(
      name = "init",
      mixinStandardHelpOptions = true,
      description = {
        "First run on a server: writes the signaling config for a domain, a TURN secret and the"
            + " coturn config that matches it, and the cars and drivers asked for (their secrets"
            + " are printed once). See docs/server.md."
      })
  static final class Init extends Base {
    @Option(
        names = "--domain",
        required = true,
        paramLabel = "DOMAIN",
        description = "This server's DNS name, e.g. car.example.org.")
    String domain;

    @Option(names = "--car", paramLabel = "ID", description = "A car to add. Repeatable.")
    List<String> cars = new ArrayList<>();

    @Option(names = "--driver", paramLabel = "NAME", description = "A driver to add. Repeatable.")
    List<String> drivers = new ArrayList<>();

    @Option(
        names = "--port",
        paramLabel = "PORT",
        defaultValue = "8443",
        description = "Signaling port, wss:// (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(
        names = "--certificates",
        paramLabel = "DIR",
        description =
            "Where fullchain.pem and privkey.pem are (default: /etc/letsencrypt/live/DOMAIN).")
    Path certificates;

    @Option(
        names = "--external-ip",
        paramLabel = "ADDRESS",
        description = "The public address when this machine is behind 1:1 NAT (most clouds).")
    String externalIp;

    @Option(names = "--turn-tls-443", description = "Also serve TURN over TLS on port 443.")
    boolean tls443;

    @Option(
        names = "--coturn-config",
        paramLabel = "FILE",
        defaultValue = "/etc/rcdrive/turnserver.conf",
        description = "Where to write coturn's config (default: ${DEFAULT-VALUE}).")
    Path coturnConfig;

    @Option(
        names = "--coturn-dropin",
        paramLabel = "FILE",
        defaultValue = "/etc/systemd/system/coturn.service.d/rcdrive.conf",
        description = "systemd drop-in that starts coturn with it (default: ${DEFAULT-VALUE}).")
    Path coturnDropIn;

    @Option(names = "--force", description = "Replace an existing configuration.")
    boolean force;

    @Override
    int run() throws InvalidConfigException, IOException {
      if (!domain.matches(
          "[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*")) {
        return fail("--domain " + domain + " is not a DNS name");
      }
      if (!force && (hasContent(config) || hasContent(coturnConfig))) {
        return fail(
            config
                + " or "
                + coturnConfig
                + " exists already: add cars and drivers with"
                + " add-car/add-driver, or give --force to start over (old secrets stop working)");
      }
      Path certs = certificates != null ? certificates : Path.of("/etc/letsencrypt/live", domain);
      String certificate = certs.resolve("fullchain.pem").toString();
      String privateKey = certs.resolve("privkey.pem").toString();
      CoturnConfig turn =
          new CoturnConfig(
              domain,
              SignalingConfigFile.newSecret(),
              externalIp,
              tls443,
              certificate,
              privateKey,
              CoturnConfig.DEFAULT_MIN_RELAY_PORT,
              CoturnConfig.DEFAULT_MAX_RELAY_PORT);

      ObjectMapper json = new ObjectMapper();
      ObjectNode root = json.createObjectNode();
      root.put("host", "0.0.0.0").put("port", port);
      root.putObject("tls").put("certificate", certificate).put("privateKey", privateKey);
      root.putArray("cars");
      root.putArray("drivers");
      ArrayNode ice = root.putArray("iceServers");
      List<String> urls = turn.urls();
      ice.addObject().putArray("urls").add(urls.get(0));
      ObjectNode relay = ice.addObject();
      urls.subList(1, urls.size()).forEach(relay.putArray("urls")::add);
      relay.put("secret", turn.secret()).put("ttlSeconds", 86400);
      root.putObject("web").put("enabled", true).put("port", port + 1);

      SignalingConfigFile file = SignalingConfigFile.create(config, root);
      List<String> lines = new ArrayList<>();
      for (String car : cars) {
        lines.add("  car " + car + ": RCDRIVE_CAR_KEY=" + file.addCar(car, null));
      }
      for (String driver : drivers) {
        lines.add("  driver " + driver + ": " + file.addDriver(driver));
      }
      if (force) {
        Files.deleteIfExists(config);
      }
      file.save(SECRET_MODE);
      giveGroup(config, "rcdrive-signal");
      write(coturnConfig, turn.text(), SECRET_MODE);
      giveGroup(coturnConfig, "turnserver");
      write(
          coturnDropIn,
          "# Written by 'rcdrive signal init': coturn with rcdrive's configuration.\n"
              + "[Service]\n"
              + "ExecStart=\n"
              + "ExecStart=/usr/bin/turnserver -c "
              + coturnConfig
              + " --pidfile=\n"
              + (tls443 ? "AmbientCapabilities=CAP_NET_BIND_SERVICE\n" : ""),
          PosixFilePermissions.fromString("rw-r--r--"));

      PrintWriter out = out();
      out.println("Wrote " + config + ", " + coturnConfig + " and " + coturnDropIn + ".");
      if (!lines.isEmpty()) {
        out.println("Secrets, shown only now (only their hashes are stored):");
        lines.forEach(out::println);
      }
      if (!Files.isReadable(Path.of(privateKey))) {
        out.println(
            "No certificate at "
                + certs
                + " yet: get one with certbot (docs/server.md) before starting the server.");
      }
      out.println("Then: systemctl daemon-reload && systemctl enable --now coturn rcdrive-signal");
      out.flush();
      return 0;
    }

    private static boolean hasContent(Path path) throws IOException {
      return Files.exists(path) && Files.size(path) > 0;
    }

    private static void write(Path path, String text, Set<PosixFilePermission> mode)
        throws IOException {
      Files.createDirectories(path.toAbsolutePath().getParent());
      Path next = Files.createTempFile(path.toAbsolutePath().getParent(), ".rcdrive", ".new");
      try {
        Files.setPosixFilePermissions(next, mode);
        Files.writeString(next, text);
        Files.move(
            next,
            path,
            java.nio.file.StandardCopyOption.REPLACE_EXISTING,
            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(next);
      }
    }

    /** The file's group becomes {@code group} when that group exists (the package makes it). */
    private static void giveGroup(Path path, String group) throws IOException {
      try {
        GroupPrincipal principal =
            FileSystems.getDefault()
                .getUserPrincipalLookupService()
                .lookupPrincipalByGroupName(group);
        Files.getFileAttributeView(path, PosixFileAttributeView.class).setGroup(principal);
      } catch (UserPrincipalNotFoundException noSuchGroup) {
        // not installed from the package: the file stays the operator's
      }
    }
  }
}
