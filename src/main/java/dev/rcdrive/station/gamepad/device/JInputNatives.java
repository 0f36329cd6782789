package dev.rcdrive.station.gamepad.device;

import dev.dirs.ProjectDirectories;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JInput's native libraries, taken from the {@code jinput-natives-all} jar on the class path and
 * written to a per-user cache folder, so no user ever sets {@code java.library.path}. Must run
 * before JInput's plugins load: they read {@code net.java.games.input.librarypath} once, in a
 * static initializer.
 */
public final class JInputNatives {

  public static final String PROPERTY = "net.java.games.input.librarypath";

  private static final Logger log = LoggerFactory.getLogger(JInputNatives.class);

  /**
   * The version folder: a new JInput never loads an old library, and Windows may keep using one.
   */
  static final String VERSION = "jinput-2.0.10";

  private static volatile Path loaded;

  private JInputNatives() {}

  /**
   * Extracts (once per run) and points JInput at the result. A user's own {@value #PROPERTY} wins.
   *
   * @return the folder JInput will load from, or null when this OS has no library in the jar
   */
  public static synchronized Path prepare() {
    if (System.getProperty(PROPERTY) != null) {
      return Path.of(System.getProperty(PROPERTY));
    }
    if (loaded == null) {
      Path dir = extract(defaultCacheDir().resolve(VERSION), libraryNames());
      if (dir != null) {
        System.setProperty(PROPERTY, dir.toString());
        loaded = dir;
      }
    }
    return loaded;
  }

  static Path defaultCacheDir() {
    String override = System.getProperty("rcdrive.cacheDir");
    if (override != null) {
      return Path.of(override);
    }
    return Path.of(ProjectDirectories.from("dev", "rcdrive", "rcdrive").cacheDir);
  }

  /**
   * The jar's files this OS and CPU need (all of them do no harm, but this keeps the cache small).
   */
  static List<String> libraryNames() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    boolean x86 =
        "x86".equals(System.getProperty("os.arch")) || "i386".equals(System.getProperty("os.arch"));
    if (os.startsWith("windows")) {
      return x86
          ? List.of("jinput-dx8.dll", "jinput-raw.dll")
          : List.of("jinput-dx8_64.dll", "jinput-raw_64.dll");
    }
    if (os.startsWith("mac")) {
      return List.of("libjinput-osx.jnilib");
    }
    if (os.startsWith("linux")) {
      return List.of(x86 ? "libjinput-linux.so" : "libjinput-linux64.so");
    }
    return List.of();
  }

  /**
   * Writes each named class path resource into {@code dir}, unless an identical file is already
   * there (a running JVM on Windows cannot overwrite a loaded DLL, and an unchanged file needs no
   * write).
   *
   * @return {@code dir}, or null when none of the libraries is on the class path
   */
  static Path extract(Path dir, List<String> names) {
    List<String> written = new ArrayList<>();
    for (String name : names) {
      byte[] bytes;
      try (InputStream in = JInputNatives.class.getResourceAsStream("/" + name)) {
        if (in == null) {
          continue;
        }
        bytes = in.readAllBytes();
      } catch (IOException e) {
        log.warn("cannot read {} from the class path: {}", name, e.getMessage());
        continue;
      }
      try {
        Files.createDirectories(dir);
        for (String target : targetNames(name)) {
          writeIfDifferent(dir.resolve(target), bytes);
        }
        written.add(name);
      } catch (IOException e) {
        log.warn("cannot write JInput's {} to {}: {}", name, dir, e.getMessage());
      }
    }
    if (written.isEmpty()) {
      log.info("no JInput native library for {} on the class path", names);
      return null;
    }
    log.debug("JInput natives {} in {}", written, dir);
    return dir;
  }

  /**
   * JInput asks for {@code System.mapLibraryName(name)}, which on current macOS JDKs ends in
   * ".dylib" while the jar ships ".jnilib": write both.
   */
  static List<String> targetNames(String name) {
    if (name.endsWith(".jnilib")) {
      return List.of(name, name.substring(0, name.length() - ".jnilib".length()) + ".dylib");
    }
    return List.of(name);
  }

  private static void writeIfDifferent(Path file, byte[] bytes) throws IOException {
    if (Files.isRegularFile(file)
        && Files.size(file) == bytes.length
        && Arrays.equals(Files.readAllBytes(file), bytes)) {
      return;
    }
    Path temp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
    try {
      Files.write(temp, bytes);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
