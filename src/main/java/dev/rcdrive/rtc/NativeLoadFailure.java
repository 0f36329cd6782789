package dev.rcdrive.rtc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Says why a native library did not load, in the user's words: the shared library the system lacks
 * and the Debian package that provides it. The packages come from {@code
 * debian-libraries.properties}, the same table the package test checks the agent's {@code Depends}
 * against, so the hint and the package cannot disagree.
 */
public final class NativeLoadFailure {

  /** glibc's loader: "/tmp/x.so: libXfixes.so.3: cannot open shared object file: ...". */
  private static final Pattern MISSING =
      Pattern.compile("([A-Za-z0-9_.+-]+\\.so(?:\\.[0-9]+)*): cannot open shared object file");

  private static final Map<String, String> PACKAGES = load();

  private NativeLoadFailure() {}

  /**
   * One line for the user: "libXfixes.so.3 is missing: sudo apt-get install libxfixes3" when the
   * loader names a missing library, else the loader's own words.
   */
  public static String explain(Throwable error) {
    Optional<String> missing = missingLibrary(error);
    if (missing.isEmpty()) {
      return rootMessage(error);
    }
    String soname = missing.get();
    return debianPackage(soname)
        .map(p -> soname + " is missing: sudo apt-get install " + p)
        .orElse(
            soname
                + " is missing: install the package that provides it (apt-file search "
                + soname
                + ")");
  }

  /** The library the dynamic loader could not find, if the error (or a cause) names one. */
  static Optional<String> missingLibrary(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getMessage() != null) {
        Matcher m = MISSING.matcher(t.getMessage());
        if (m.find()) {
          return Optional.of(m.group(1));
        }
      }
    }
    return Optional.empty();
  }

  /** The Debian (bookworm) package that provides {@code soname}, if the table knows it. */
  public static Optional<String> debianPackage(String soname) {
    return Optional.ofNullable(PACKAGES.get(soname));
  }

  /** The whole table, soname → package, sorted. */
  public static Map<String, String> table() {
    return PACKAGES;
  }

  private static String rootMessage(Throwable error) {
    StringBuilder text = new StringBuilder(String.valueOf(error.getMessage()));
    for (Throwable t = error.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
      if (t.getMessage() != null) {
        text.append(": ").append(t.getMessage());
      }
    }
    return text.toString();
  }

  private static Map<String, String> load() {
    Properties table = new Properties();
    try (InputStream in =
        NativeLoadFailure.class.getResourceAsStream("debian-libraries.properties")) {
      if (in == null) {
        throw new IllegalStateException("debian-libraries.properties is missing from the jar");
      }
      table.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> sorted = new TreeMap<>();
    table.forEach((soname, pkg) -> sorted.put(soname.toString(), pkg.toString().trim()));
    return java.util.Collections.unmodifiableMap(sorted);
  }
}
