package dev.rcdrive.signaling;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;

/** Secret values: where they come from, and how they are compared. */
public final class Secrets {

  private Secrets() {}

  /**
   * {@code env:NAME} reads an environment variable, {@code file:PATH} a file's first line, any
   * other text is the secret itself. Problems are added to the list, never logged with the value.
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
    return value;
  }

  /**
   * Compares in time independent of where the strings differ and of their lengths (both are hashed
   * first), so a client cannot find a key byte by byte by timing refusals.
   */
  public static boolean matches(String expected, String given) {
    if (expected == null || given == null) {
      return false;
    }
    return MessageDigest.isEqual(sha256(expected), sha256(given));
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JRE has SHA-256", e);
    }
  }
}
