package dev.rcdrive.signaling;

import dev.rcdrive.protocol.ConfigReader;
import dev.rcdrive.protocol.SignalMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the signaling server needs, as read from {@code signal.json} (see docs/protocol.md,
 * "Server configuration"). Secrets may be written as {@code env:NAME} or {@code file:PATH} so that
 * they stay out of the file itself.
 */
public record SignalingConfig(
    String host,
    Integer port,
    Tls tls,
    List<Car> cars,
    List<Driver> drivers,
    List<IceServerConfig> iceServers,
    Limits limits) {

  public static final int DEFAULT_PORT = 8443;

  /** A signaling message is a few KiB; this bounds what a misconfiguration can allow. */
  static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

  public SignalingConfig {
    host = host == null ? "0.0.0.0" : host;
    port = port == null ? DEFAULT_PORT : port;
    // Copies that keep null entries, so that resolved() can name them instead of failing here.
    cars = cars == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(cars));
    drivers = drivers == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(drivers));
    iceServers =
        iceServers == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(iceServers));
    limits = limits == null ? Limits.defaults() : limits;
  }

  /** A car allowed to register: its id, display name and key. */
  public record Car(String id, String name, String key) {
    public String displayName() {
      return name == null || name.isBlank() ? id : name;
    }

    @Override
    public String toString() {
      return "Car[id=" + id + ", name=" + name + "]";
    }
  }

  /** A driver token; the name is shown to the car when this driver takes it. */
  public record Driver(String name, String token) {
    @Override
    public String toString() {
      return "Driver[name=" + name + "]";
    }
  }

  /**
   * A STUN/TURN server handed out in {@code welcome}. With {@code secret} set, TURN credentials are
   * minted per peer with coturn's REST scheme ({@code use-auth-secret}); otherwise {@code
   * username}/{@code credential} are handed out as they are.
   */
  public record IceServerConfig(
      List<String> urls, String username, String credential, String secret, Long ttlSeconds) {
    public IceServerConfig {
      urls = urls == null ? List.of() : List.copyOf(urls);
      ttlSeconds = ttlSeconds == null ? 24 * 3600L : ttlSeconds;
    }

    @Override
    public String toString() {
      return "IceServerConfig[urls=" + urls + "]";
    }
  }

  /** wss://: either a PKCS#12 keystore, or a PEM certificate chain and PKCS#8 PEM private key. */
  public record Tls(String keystore, String password, String certificate, String privateKey) {
    @Override
    public String toString() {
      return "Tls[keystore=" + keystore + ", certificate=" + certificate + "]";
    }
  }

  /** Abuse limits; each breach is answered with an {@code error} naming it. */
  public record Limits(
      Integer maxMessageBytes,
      Integer messagesPerSecond,
      Integer messageBurst,
      Integer maxConnectionsPerAddress,
      Long authTimeoutMillis,
      Integer pingIntervalSeconds,
      Integer maxConnections,
      Integer failedLoginsAllowed,
      Integer loginBlockMaxSeconds) {
    public Limits {
      maxMessageBytes = maxMessageBytes == null ? 64 * 1024 : maxMessageBytes;
      messagesPerSecond = messagesPerSecond == null ? 50 : messagesPerSecond;
      messageBurst = messageBurst == null ? 100 : messageBurst;
      maxConnectionsPerAddress = maxConnectionsPerAddress == null ? 64 : maxConnectionsPerAddress;
      authTimeoutMillis = authTimeoutMillis == null ? 5000L : authTimeoutMillis;
      pingIntervalSeconds = pingIntervalSeconds == null ? 20 : pingIntervalSeconds;
      maxConnections = maxConnections == null ? 10_000 : maxConnections;
      failedLoginsAllowed = failedLoginsAllowed == null ? 5 : failedLoginsAllowed;
      loginBlockMaxSeconds = loginBlockMaxSeconds == null ? 300 : loginBlockMaxSeconds;
    }

    /** The limits before the failed-login budget existed; that budget at its defaults. */
    public Limits(
        Integer maxMessageBytes,
        Integer messagesPerSecond,
        Integer messageBurst,
        Integer maxConnectionsPerAddress,
        Long authTimeoutMillis,
        Integer pingIntervalSeconds,
        Integer maxConnections) {
      this(
          maxMessageBytes,
          messagesPerSecond,
          messageBurst,
          maxConnectionsPerAddress,
          authTimeoutMillis,
          pingIntervalSeconds,
          maxConnections,
          null,
          null);
    }

    public static Limits defaults() {
      return new Limits(null, null, null, null, null, null, null, null, null);
    }

    public Limits withMaxConnectionsPerAddress(int value) {
      return new Limits(
          maxMessageBytes,
          messagesPerSecond,
          messageBurst,
          value,
          authTimeoutMillis,
          pingIntervalSeconds,
          maxConnections,
          failedLoginsAllowed,
          loginBlockMaxSeconds);
    }

    public Limits withAuthTimeoutMillis(long value) {
      return new Limits(
          maxMessageBytes,
          messagesPerSecond,
          messageBurst,
          maxConnectionsPerAddress,
          value,
          pingIntervalSeconds,
          maxConnections,
          failedLoginsAllowed,
          loginBlockMaxSeconds);
    }

    public Limits withPingIntervalSeconds(int value) {
      return new Limits(
          maxMessageBytes,
          messagesPerSecond,
          messageBurst,
          maxConnectionsPerAddress,
          authTimeoutMillis,
          value,
          maxConnections,
          failedLoginsAllowed,
          loginBlockMaxSeconds);
    }

    /** {@code allowed} failed logins per address, then blocks doubling up to {@code maxBlock}. */
    public Limits withLoginBudget(int allowed, int maxBlockSeconds) {
      return new Limits(
          maxMessageBytes,
          messagesPerSecond,
          messageBurst,
          maxConnectionsPerAddress,
          authTimeoutMillis,
          pingIntervalSeconds,
          maxConnections,
          allowed,
          maxBlockSeconds);
    }

    public Limits withRate(int perSecond, int burst) {
      return new Limits(
          maxMessageBytes,
          perSecond,
          burst,
          maxConnectionsPerAddress,
          authTimeoutMillis,
          pingIntervalSeconds,
          maxConnections,
          failedLoginsAllowed,
          loginBlockMaxSeconds);
    }
  }

  public SignalingConfig withPort(int newPort) {
    return new SignalingConfig(host, newPort, tls, cars, drivers, iceServers, limits);
  }

  public SignalingConfig withHost(String newHost) {
    return new SignalingConfig(newHost, port, tls, cars, drivers, iceServers, limits);
  }

  public SignalingConfig withLimits(Limits newLimits) {
    return new SignalingConfig(host, port, tls, cars, drivers, iceServers, newLimits);
  }

  public SignalingConfig withTls(Tls newTls) {
    return new SignalingConfig(host, port, newTls, cars, drivers, iceServers, limits);
  }

  public SignalingConfig withIceServers(List<IceServerConfig> servers) {
    return new SignalingConfig(host, port, tls, cars, drivers, servers, limits);
  }

  /** Adds cars and drivers (e.g. from command-line flags) to those of the file. */
  public SignalingConfig plus(List<Car> moreCars, List<Driver> moreDrivers) {
    List<Car> allCars = new ArrayList<>(cars);
    allCars.addAll(moreCars);
    List<Driver> allDrivers = new ArrayList<>(drivers);
    allDrivers.addAll(moreDrivers);
    return new SignalingConfig(host, port, tls, allCars, allDrivers, iceServers, limits);
  }

  public static SignalingConfig empty() {
    return new SignalingConfig(null, null, null, null, null, null, null);
  }

  /** Sections of the same file that another reader checks: {@code web} is the driver page's. */
  private static final Set<String> OWNED_ELSEWHERE = Set.of("web");

  /**
   * Reads a config file; the exception names the file and every problem with its field: keys it
   * does not know (a typo must not leave a limit at its default unnoticed), values of the wrong
   * type. Bad JSON is named by its position only (the token may be a secret).
   */
  public static SignalingConfig load(Path file) throws InvalidConfigException {
    String json;
    try {
      json = Files.readString(file);
    } catch (IOException e) {
      throw new InvalidConfigException(
          file + ": cannot read (" + e.getClass().getSimpleName() + ")");
    }
    List<String> problems = new ArrayList<>();
    SignalingConfig config;
    try {
      config = ConfigReader.read(json, SignalingConfig.class, OWNED_ELSEWHERE, problems);
    } catch (IOException e) {
      throw new InvalidConfigException(file + ": " + e.getMessage());
    }
    if (config == null) {
      throw new InvalidConfigException(file + ": " + String.join("; ", problems));
    }
    return config;
  }

  /**
   * Checks every field and resolves {@code env:}/{@code file:} secrets; returns the config with the
   * secrets in place. Lists every problem at once, each with its field.
   */
  public SignalingConfig resolved(Map<String, String> env) throws InvalidConfigException {
    List<String> problems = new ArrayList<>();
    if (port < 0 || port > 65535) {
      problems.add("port: must be 0-65535, got " + port);
    }
    Set<String> ids = new HashSet<>();
    List<Car> resolvedCars = new ArrayList<>();
    for (int i = 0; i < cars.size(); i++) {
      Car car = cars.get(i);
      String where = "cars[" + i + "]";
      if (car == null) {
        problems.add(where + ": empty entry");
        continue;
      }
      checkName(problems, where + ".name", car.name());
      if (car.id() == null || !SignalMessage.CAR_ID.matcher(car.id()).matches()) {
        problems.add(where + ".id: 1-64 letters, digits, '.', '_' or '-' required");
      } else if (!ids.add(car.id())) {
        problems.add(where + ".id: duplicate car id '" + car.id() + "'");
      }
      String key = Secrets.resolve(where + ".key", car.key(), env, problems);
      resolvedCars.add(new Car(car.id(), car.name(), key));
    }
    List<Driver> resolvedDrivers = new ArrayList<>();
    for (int i = 0; i < drivers.size(); i++) {
      Driver driver = drivers.get(i);
      if (driver == null) {
        problems.add("drivers[" + i + "]: empty entry");
        continue;
      }
      checkName(problems, "drivers[" + i + "].name", driver.name());
      String token = Secrets.resolve("drivers[" + i + "].token", driver.token(), env, problems);
      resolvedDrivers.add(new Driver(driver.name(), token));
    }
    List<IceServerConfig> resolvedIce = new ArrayList<>();
    for (int i = 0; i < iceServers.size(); i++) {
      IceServerConfig ice = iceServers.get(i);
      String where = "iceServers[" + i + "]";
      if (ice == null) {
        problems.add(where + ": empty entry");
        continue;
      }
      if (ice.urls().isEmpty()) {
        problems.add(where + ".urls: at least one stun: or turn: URL required");
      }
      for (String url : ice.urls()) {
        if (!url.matches("(stun|stuns|turn|turns):.+")) {
          problems.add(
              where + ".urls: '" + url + "' must start with stun:, stuns:, turn: or turns:");
        }
      }
      String secret =
          ice.secret() == null
              ? null
              : Secrets.resolve(where + ".secret", ice.secret(), env, problems);
      String credential =
          ice.credential() == null
              ? null
              : Secrets.resolve(where + ".credential", ice.credential(), env, problems);
      if (ice.ttlSeconds() <= 0) {
        problems.add(where + ".ttlSeconds: must be positive");
      }
      resolvedIce.add(
          new IceServerConfig(ice.urls(), ice.username(), credential, secret, ice.ttlSeconds()));
    }
    Tls resolvedTls = tls;
    if (tls != null) {
      boolean keystore = tls.keystore() != null;
      boolean pem = tls.certificate() != null || tls.privateKey() != null;
      if (keystore == pem) {
        problems.add("tls: give either keystore (+ password) or certificate + privateKey");
      } else if (pem && (tls.certificate() == null || tls.privateKey() == null)) {
        problems.add("tls: certificate and privateKey go together");
      }
      String password =
          tls.password() == null
              ? ""
              : Secrets.resolve("tls.password", tls.password(), env, problems);
      resolvedTls = new Tls(tls.keystore(), password, tls.certificate(), tls.privateKey());
    }
    checkPositive(problems, "limits.maxMessageBytes", limits.maxMessageBytes());
    if (limits.maxMessageBytes() > MAX_MESSAGE_BYTES) {
      problems.add(
          "limits.maxMessageBytes: at most "
              + MAX_MESSAGE_BYTES
              + ", got "
              + limits.maxMessageBytes());
    }
    checkPositive(problems, "limits.maxConnections", limits.maxConnections());
    checkPositive(problems, "limits.messagesPerSecond", limits.messagesPerSecond());
    checkPositive(problems, "limits.messageBurst", limits.messageBurst());
    checkPositive(problems, "limits.maxConnectionsPerAddress", limits.maxConnectionsPerAddress());
    checkPositive(problems, "limits.authTimeoutMillis", limits.authTimeoutMillis());
    checkPositive(problems, "limits.pingIntervalSeconds", limits.pingIntervalSeconds());
    checkPositive(problems, "limits.failedLoginsAllowed", limits.failedLoginsAllowed());
    checkPositive(problems, "limits.loginBlockMaxSeconds", limits.loginBlockMaxSeconds());
    if (!problems.isEmpty()) {
      throw new InvalidConfigException(String.join("\n", problems));
    }
    return new SignalingConfig(
        host, port, resolvedTls, resolvedCars, resolvedDrivers, resolvedIce, limits);
  }

  private static void checkName(List<String> problems, String field, String name) {
    if (name != null
        && (name.length() > SignalMessage.MAX_NAME_CHARS
            || name.chars().anyMatch(Character::isISOControl))) {
      problems.add(field + ": at most " + SignalMessage.MAX_NAME_CHARS + " printable characters");
    }
  }

  private static void checkPositive(List<String> problems, String field, long value) {
    if (value <= 0) {
      problems.add(field + ": must be positive, got " + value);
    }
  }
}
