package dev.rcdrive.agent.camera;

import dev.rcdrive.agent.host.SearchPath;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Finds the libcamera video program: rpicam-vid (Bookworm on), else libcamera-vid (Bullseye). */
public final class CameraProgram {

  public static final List<String> NAMES = List.of("rpicam-vid", "libcamera-vid");

  private CameraProgram() {}

  /** The directories of {@code $PATH}. */
  public static List<Path> systemPath() {
    return SearchPath.system();
  }

  /**
   * The program to run: {@code configured} when given (a path, or a name looked up on the path),
   * else the first of {@link #NAMES} found.
   */
  public static Optional<Path> find(String configured, List<Path> searchPath) {
    List<String> names = configured == null || configured.isBlank() ? NAMES : List.of(configured);
    return SearchPath.find(names, searchPath);
  }

  /** The error a user sees when no program is found. */
  public static String notFound(String configured) {
    if (configured != null && !configured.isBlank()) {
      return "camera.command: " + configured + " not found or not executable";
    }
    return "camera: neither rpicam-vid nor libcamera-vid is on the PATH"
        + " (Raspberry Pi OS: apt install rpicam-apps)";
  }
}
