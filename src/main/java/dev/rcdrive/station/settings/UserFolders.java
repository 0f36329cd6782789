package dev.rcdrive.station.settings;

import dev.dirs.ProjectDirectories;
import java.nio.file.Path;

/**
 * Where the station keeps the user's settings: the OS's per-user config folder ({@code
 * ~/.config/rcdrive} on Linux, {@code %APPDATA%\rcdrive\rcdrive\config} on Windows, {@code
 * ~/Library/Application Support/dev.rcdrive.rcdrive} on macOS). The window's place, the connection
 * profiles and the controller mappings live in it.
 */
public final class UserFolders {

  private UserFolders() {}

  /** The per-user config folder ({@code -Drcdrive.configDir} overrides it, for tests). */
  public static Path config() {
    String override = System.getProperty("rcdrive.configDir");
    if (override != null) {
      return Path.of(override);
    }
    return Path.of(ProjectDirectories.from("dev", "rcdrive", "rcdrive").configDir);
  }
}
