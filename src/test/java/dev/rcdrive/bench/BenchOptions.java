package dev.rcdrive.bench;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * A benchmark's settings: {@code key=value} arguments over {@code bench.KEY} system properties.
 * Blank properties count as unset, so the pom can pass {@code -Dbench.pairs=${bench.pairs}} with an
 * empty default. A key no benchmark reads is an error, so a typo never silently runs the defaults.
 */
final class BenchOptions {

  private static final String PROPERTY_PREFIX = "bench.";

  /** Properties of the Maven profile itself, not settings of a benchmark. */
  private static final Set<String> NOT_SETTINGS = Set.of("args");

  private final Map<String, String> values;
  private final Set<String> read = new HashSet<>();

  private BenchOptions(Map<String, String> values) {
    this.values = values;
  }

  static BenchOptions parse(List<String> args, Properties properties) {
    Map<String, String> values = new HashMap<>();
    for (String name : properties.stringPropertyNames()) {
      String key = name.substring(Math.min(name.length(), PROPERTY_PREFIX.length()));
      String value = properties.getProperty(name).trim();
      if (name.startsWith(PROPERTY_PREFIX) && !NOT_SETTINGS.contains(key) && !value.isEmpty()) {
        values.put(key, value);
      }
    }
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("expected key=value, got '" + arg + "'");
      }
      values.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    return new BenchOptions(values);
  }

  /** A positive whole number. */
  int positiveInt(String key, int defaultValue) {
    read.add(key);
    String text = values.get(key);
    if (text == null) {
      return defaultValue;
    }
    try {
      int value = Integer.parseInt(text.replace("_", ""));
      if (value > 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        key + ": expected a positive whole number, got '" + text + "'");
  }

  /** A whole number, zero allowed (zero means "libwebrtc's default" for the video caps). */
  int nonNegativeInt(String key, int defaultValue) {
    read.add(key);
    String text = values.get(key);
    if (text == null) {
      return defaultValue;
    }
    try {
      int value = Integer.parseInt(text.replace("_", ""));
      if (value >= 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        key + ": expected a whole number 0 or more, got '" + text + "'");
  }

  /** A number, zero allowed. */
  double nonNegativeDouble(String key, double defaultValue) {
    read.add(key);
    String text = values.get(key);
    if (text == null) {
      return defaultValue;
    }
    try {
      double value = Double.parseDouble(text);
      if (value >= 0 && Double.isFinite(value)) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(key + ": expected a number 0 or more, got '" + text + "'");
  }

  /** One of the given words (case-insensitive), returned as given in {@code allowed}. */
  String oneOf(String key, String defaultValue, List<String> allowed) {
    read.add(key);
    String text = values.get(key);
    if (text == null) {
      return defaultValue;
    }
    for (String word : allowed) {
      if (word.equalsIgnoreCase(text)) {
        return word;
      }
    }
    throw new IllegalArgumentException(
        key + ": expected one of " + allowed + ", got '" + text + "'");
  }

  /** Any text (a path); the default when unset. */
  String string(String key, String defaultValue) {
    read.add(key);
    return values.getOrDefault(key, defaultValue);
  }

  /** true/false, yes/no, on/off. */
  boolean flag(String key, boolean defaultValue) {
    String word =
        oneOf(
            key,
            defaultValue ? "true" : "false",
            List.of("true", "false", "yes", "no", "on", "off"));
    return word.equals("true") || word.equals("yes") || word.equals("on");
  }

  /** A comma-separated subset of the given words, in the order given. */
  List<String> subsetOf(String key, List<String> defaultValue, List<String> allowed) {
    read.add(key);
    String text = values.get(key);
    if (text == null) {
      return defaultValue;
    }
    List<String> chosen = new java.util.ArrayList<>();
    for (String part : text.split(",")) {
      String match =
          allowed.stream()
              .filter(word -> word.equalsIgnoreCase(part.trim()))
              .findFirst()
              .orElse(null);
      if (match == null) {
        throw new IllegalArgumentException(
            key + ": expected a comma-separated subset of " + allowed + ", got '" + text + "'");
      }
      if (!chosen.contains(match)) {
        chosen.add(match);
      }
    }
    return chosen;
  }

  /** Call once every setting has been read: refuses keys nobody asked for. */
  void rejectUnread() {
    Set<String> unknown = new TreeSet<>(values.keySet());
    unknown.removeAll(read);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          "unknown setting(s) " + unknown + "; known: " + new TreeSet<>(read));
    }
  }
}
