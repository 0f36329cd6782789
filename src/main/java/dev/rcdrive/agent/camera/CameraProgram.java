package dev.rcdrive.agent.camera;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Finds the libcamera video program: rpicam-vid (Bookworm on), else libcamera-vid (Bullseye). */
public final class CameraProgram {

  public static final List<String> NAMES = List.of("rpicam-vid", "libcamera-vid");

  private CameraProgram() {}

  /** The directories of {@code $PATH}. */
  public static List<Path> systemPath() {
    String path = System.getenv("PATH");
    List<Path> dirs = new ArrayList<>();
    for (String dir : (path == null ? "/usr/bin:/bin" : path).split(File.pathSeparator)) {
      if (!dir.isEmpty()) {
        dirs.add(Path.of(dir));
      }
    }
    return dirs;
  }

  /**
   * The program to run: {@code configured} when given (a path, or a name looked up on the path),
   * else the first of {@link #NAMES} found.
   */
  public static Optional<Path> find(String configured, List<Path> searchPath) {
    List<String> names = configured == null || configured.isBlank() ? NAMES : List.of(configured);
    for (String name : names) {
      if (name.contains("/")) {
        Path path = Path.of(name);
        if (Files.isRegularFile(path) && Files.isExecutable(path)) {
          return Optional.of(path);
        }
        continue;
      }
      for (Path dir : searchPath) {
        Path candidate = dir.resolve(name);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
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
