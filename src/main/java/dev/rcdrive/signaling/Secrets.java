package dev.rcdrive.signaling;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** Secret values: where they come from, and how they are compared. */
public final class Secrets {

  private Secrets() {}

  /**
   * {@code env:NAME} reads an environment variable, {@code file:PATH} a file's first line, {@code
   * sha256:HEX} is a stored hash (see {@link #HASHED}), any other text is the secret itself.
   * Problems are added to the list, never logged with the value.
   */
  static String resolve(
      String field, String value, Map<String, String> env, List<String> problems) {
    if (value == null || value.isEmpty()) {
      problems.add(field + ": required");
      return null;
    }
    if (value.startsWith("env:")) {
      String name = value.substring(4);
      String fromEnv = env.get(name);
      if (fromEnv == null || fromEnv.isEmpty()) {
        problems.add(field + ": environment variable " + name + " is not set");
      }
      return fromEnv;
    }
    if (value.startsWith("file:")) {
      Path path = Path.of(value.substring(5));
      try {
        String text = Files.readString(path).lines().findFirst().orElse("").strip();
        if (text.isEmpty()) {
          problems.add(field + ": " + path + " is empty");
        }
        return text;
      } catch (IOException e) {
        problems.add(field + ": cannot read " + path + " (" + e.getClass().getSimpleName() + ")");
        return null;
      }
    }
    if (value.startsWith(HASHED) && !isHashed(value)) {
      problems.add(field + ": " + HASHED + " must be followed by 64 hex digits");
    }
    return value;
  }

  /**
   * A stored secret written as its hash: {@code sha256:} and 64 hex digits, what {@code rcdrive
   * signal init}, {@code add-car} and {@code add-driver} store, so a copy of the config file gives
   * no one a working key. The secrets are 256 random bits: a plain SHA-256 is as hard to reverse as
   * the secret is to guess, and no slow key-derivation function is needed.
   */
  public static final String HASHED = "sha256:";

  /** {@code secret} as it is stored: {@link #HASHED} and the hex SHA-256 of its UTF-8 bytes. */
  public static String hashed(String secret) {
    return HASHED + HexFormat.of().formatHex(sha256(secret));
  }

  /** True when {@code stored} is a well-formed {@link #HASHED} value. */
  static boolean isHashed(String stored) {
    return stored != null
        && stored.startsWith(HASHED)
        && stored.length() == HASHED.length() + 64
        && stored.substring(HASHED.length()).chars().allMatch(c -> Character.digit(c, 16) >= 0);
  }

  /**
   * Compares in time independent of where the strings differ and of their lengths (both are hashed
   * first), so a client cannot find a key byte by byte by timing refusals. An {@code expected}
   * stored as its hash ({@link #HASHED}) is compared with the hash of {@code given}.
   */
  public static boolean matches(String expected, String given) {
    if (expected == null || given == null) {
      return false;
    }
    byte[] want =
        isHashed(expected)
            ? HexFormat.of().parseHex(expected.substring(HASHED.length()))
            : sha256(expected);
    return MessageDigest.isEqual(want, sha256(given));
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JRE has SHA-256", e);
    }
  }
}
