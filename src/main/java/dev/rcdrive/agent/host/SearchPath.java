package dev.rcdrive.agent.host;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Finds programs the way a shell does: a path as given, a bare name in the directories of PATH. */
public final class SearchPath {

  private SearchPath() {}

  /** The directories of {@code $PATH}. */
  public static List<Path> system() {
    String path = System.getenv("PATH");
    List<Path> dirs = new ArrayList<>();
    for (String dir : (path == null ? "/usr/bin:/bin" : path).split(File.pathSeparator)) {
      if (!dir.isEmpty()) {
        dirs.add(Path.of(dir));
      }
    }
    return dirs;
  }

  /** The first of {@code names} that is an executable file: as a path, or in {@code dirs}. */
  public static Optional<Path> find(List<String> names, List<Path> dirs) {
    for (String name : names) {
      if (name.contains("/")) {
        Path path = Path.of(name);
        if (isProgram(path)) {
          return Optional.of(path);
        }
        continue;
      }
      for (Path dir : dirs) {
        Path candidate = dir.resolve(name);
        if (isProgram(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }

  private static boolean isProgram(Path path) {
    return Files.isRegularFile(path) && Files.isExecutable(path);
  }
}
