package dev.rcdrive.rtc;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * Loads webrtc-java's native library from a copy kept between runs. webrtc-java's own loader
 * inflates the 23 MB library out of its jar into a new temporary file on every start (about a
 * quarter of a second of the agent's start here, and a 23 MB write to a Pi's SD card each time).
 * The kept copy is named by the jar entry's CRC and size, so another webrtc-java brings its own.
 *
 * <p>webrtc-java skips its own loading for a library it has in its loaded set; this adds to that
 * set after loading the copy. Anything unexpected (no cache folder, a loader that changed, a copy
 * that will not load) leaves the loading to webrtc-java as before, with the reason at debug level.
 */
public final class NativeCache {

  /** The name webrtc-java loads its library by. */
  static final String LIBRARY = "webrtc-java";

  private static final String LOADER = "dev.onvoid.webrtc.internal.NativeLoader";

  /** The cache folder: {@code -Drcdrive.nativeCache}, else $XDG_CACHE_HOME or ~/.cache. */
  static Path folder() {
    String configured = System.getProperty("rcdrive.nativeCache");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("rcdrive").resolve("native");
  }

  private NativeCache() {}

  /**
   * Loads the library from {@code folder} (copying it there first when it is not), before any
   * webrtc-java class loads it; returns the file loaded, or null when webrtc-java is left to do it.
   */
  static Path preload(Path folder) {
    return preload(folder, why -> LoggerFactory.getLogger(NativeCache.class).debug(why));
  }

  /**
   * Starts {@link #preload} on a daemon thread, for a command that will make an {@link RtcEngine}:
   * the 23 MB library then loads while the command parses its arguments and config. The engine
   * waits for a load in progress (both hold this class's lock) or finds it done; a failure here is
   * silent, because the engine's own attempt repeats it and reports it. Logging is not touched on
   * this thread: a logging system initialised from two threads at once replays its first events
   * with a warning.
   */
  public static Thread preloadInBackground() {
    Thread loader = new Thread(() -> preload(folder(), why -> {}), "webrtc-library-load");
    loader.setDaemon(true);
    loader.start();
    return loader;
  }

  /** Whether webrtc-java counts its library as loaded (by either way). */
  static synchronized boolean loaded() {
    try {
      return loadedSet(Class.forName(LOADER, true, NativeCache.class.getClassLoader()))
          .contains(LIBRARY);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }

  private static synchronized Path preload(Path folder, Consumer<String> notUsed) {
    try {
      Class<?> loader = Class.forName(LOADER, true, NativeCache.class.getClassLoader());
      Set<String> loaded = loadedSet(loader);
      if (loaded.contains(LIBRARY)) {
        return null; // loaded already, by whichever way came first
      }
      String name =
          System.mapLibraryName(
              LIBRARY
                  + "-"
                  + callStatic(loader, "getOSFamily")
                  + "-"
                  + callStatic(loader, "getOSArch"));
      URL resource = loader.getClassLoader().getResource(name);
      if (resource == null) {
        notUsed.accept("native cache: " + name + " is not on the class path");
        return null;
      }
      Path copy = keptCopy(folder, name, resource);
      System.load(copy.toAbsolutePath().toString());
      loaded.add(LIBRARY);
      return copy;
    } catch (ReflectiveOperationException
        | IOException
        | RuntimeException
        | UnsatisfiedLinkError e) {
      notUsed.accept("native cache not used (" + e + "): webrtc-java loads its library itself");
      return null;
    }
  }

  @SuppressWarnings("unchecked")
  private static Set<String> loadedSet(Class<?> loader) throws ReflectiveOperationException {
    for (Field field : loader.getDeclaredFields()) {
      if (Set.class.isAssignableFrom(field.getType())
          && java.lang.reflect.Modifier.isStatic(field.getModifiers())) {
        field.setAccessible(true);
        return (Set<String>) field.get(null);
      }
    }
    throw new NoSuchFieldException(LOADER + " has no set of loaded libraries");
  }

  private static String callStatic(Class<?> owner, String name)
      throws ReflectiveOperationException {
    Method method = owner.getDeclaredMethod(name);
    method.setAccessible(true);
    return (String) method.invoke(null);
  }

  /** The copy in {@code folder} for this jar entry, written once (atomically) when missing. */
  private static Path keptCopy(Path folder, String name, URL resource) throws IOException {
    String identity;
    URLConnection connection = resource.openConnection();
    if (connection instanceof JarURLConnection jar) {
      jar.setUseCaches(false);
      java.util.jar.JarEntry entry = jar.getJarEntry();
      identity = String.format(Locale.ROOT, "%08x-%d", entry.getCrc(), entry.getSize());
    } else {
      identity =
          String.format(
              Locale.ROOT,
              "%d-%d",
              connection.getContentLengthLong(),
              connection.getLastModified());
    }
    int dot = name.lastIndexOf('.');
    Path copy = folder.resolve(name.substring(0, dot) + "-" + identity + name.substring(dot));
    if (Files.isRegularFile(copy)) {
      return copy;
    }
    Files.createDirectories(folder);
    try {
      Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: its own permissions stand
    }
    Path partial = Files.createTempFile(folder, name, ".part");
    try (InputStream in = resource.openStream()) {
      Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
      try {
        Files.move(partial, copy, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(partial, copy, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(partial);
    }
    return copy;
  }
}
