package dev.rcdrive.rtc;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A fresh JVM for {@link NativeCacheTest}: makes the WebRTC factory (a peer connection needs the
 * library working, not only mapped) and prints where the process mapped the library from. With
 * {@code ahead} the library's load is started in the background first and waited for; with {@code
 * race} the factory is made at once, while that load may still run.
 */
public final class NativeCacheProbe {
  private NativeCacheProbe() {}

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "";
    if (!mode.isEmpty()) {
      Thread loader = NativeCache.preloadInBackground();
      if (mode.equals("ahead")) {
        loader.join();
        System.out.println("loaded ahead " + NativeCache.loaded());
      }
    }
    try (RtcEngine engine = RtcEngine.create()) {
      System.out.println("factory " + (engine.factory() != null));
    }
    Files.readAllLines(Path.of("/proc/self/maps")).stream()
        .filter(l -> l.contains("libwebrtc-java"))
        .map(l -> "mapped " + l.substring(l.indexOf('/')))
        .distinct()
        .forEach(System.out::println);
    System.out.flush();
    System.exit(0); // libwebrtc's threads must not keep it alive
  }
}
