package dev.rcdrive.station.gamepad.mapping;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rcdrive.station.gamepad.device.PadInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mappings saved per controller model, one JSON file each in {@code gamepads/} of the per-user
 * config folder (named after the controller, so every pad of a model shares it). A file that cannot
 * be read, or is not a mapping for this controller, is moved aside as {@code .bad} (never lost) and
 * the built-in defaults are used, with a sentence saying so.
 */
public final class MappingStore {

  private static final Logger log = LoggerFactory.getLogger(MappingStore.class);

  /**
   * Made when a controller's mapping is first read or saved, not with this class: the station makes
   * its store on the FX thread at start, and Jackson's data binding costs tens of milliseconds on
   * first use.
   */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }

  /**
   * What {@link #load} found.
   *
   * @param saved whether it came from the user's file (else the built-in profile)
   * @param problem why the user's file was not used, or null
   */
  public record Loaded(PadMapping mapping, boolean saved, String problem) {}

  private final Path folder;

  /**
   * @param configDir the per-user config folder ({@code UserFolders.config()} in the app)
   */
  public MappingStore(Path configDir) {
    this.folder = configDir.resolve("gamepads");
  }

  public Path fileFor(String controllerName) {
    String safe = controllerName.strip().replaceAll("[^A-Za-z0-9._ -]", "_").replace(' ', '_');
    if (safe.isEmpty() || safe.startsWith(".")) {
      safe = "controller" + safe;
    }
    return folder.resolve(safe + ".json");
  }

  public Loaded load(PadInfo pad) {
    PadMapping defaults = DefaultProfiles.forController(pad);
    Path file = fileFor(pad.name());
    if (!Files.exists(file)) {
      return new Loaded(defaults, false, null);
    }
    String why;
    try {
      PadMapping mapping = Json.MAPPER.readValue(file.toFile(), PadMapping.class);
      why = mapping == null ? "it is empty" : mapping.problemFor(pad.name());
      if (why == null) {
        return new Loaded(mapping, true, null);
      }
    } catch (IOException e) {
      why = "it is not valid JSON (" + e.getClass().getSimpleName() + ")";
    }
    Path aside = file.resolveSibling(file.getFileName() + ".bad");
    try {
      Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException moveFailed) {
      log.warn("cannot move {} aside: {}", file, moveFailed.getMessage());
    }
    String problem =
        String.format(
            "The saved mapping for %s was not used: %s. It was kept as %s; the %s defaults are in"
                + " use.",
            pad.name(), why, aside.getFileName(), defaults.profile());
    log.warn(problem);
    return new Loaded(defaults, false, problem);
  }

  /** Writes atomically (a crash mid-write leaves the old file, not half a new one). */
  public void save(PadMapping mapping) throws IOException {
    Path file = fileFor(mapping.controller());
    Files.createDirectories(folder);
    Path temp = Files.createTempFile(folder, file.getFileName().toString(), ".tmp");
    try {
      Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(temp.toFile(), mapping);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Forgets the user's mapping: the built-in defaults apply again. */
  public void delete(String controllerName) throws IOException {
    Files.deleteIfExists(fileFor(controllerName));
  }
}
