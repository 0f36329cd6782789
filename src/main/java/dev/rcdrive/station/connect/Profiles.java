package dev.rcdrive.station.connect;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.rcdrive.protocol.ConfigReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saved connections (server, token, last car) in {@code profiles.json} in the per-user config
 * folder, newest first. The file holds driver tokens, so it is readable by its owner only. A
 * corrupt or foreign file is moved aside (never lost) and the station starts with none. Read by
 * {@link ConfigReader} and written with Jackson's streaming generator: the station reads it on the
 * FX thread at start, where data binding's first use cost tens of milliseconds.
 */
public final class Profiles {

  private static final Logger log = LoggerFactory.getLogger(Profiles.class);

  private static final JsonFactory JSON = new JsonFactory();

  private static final int KEEP = 10;

  /** One saved connection. */
  public record Profile(String server, String token, String lastCar) {
    @Override
    public String toString() {
      return "Profile[" + server + ", car " + lastCar + "]";
    }
  }

  private final Path file;
  private final List<Profile> profiles = new ArrayList<>();
  private String problem;

  private Profiles(Path file) {
    this.file = file;
  }

  /** Loads what is there; a bad file is kept aside as profiles.json.bad and reported. */
  public static Profiles load(Path configDir) {
    Profiles loaded = new Profiles(configDir.resolve("profiles.json"));
    if (!Files.exists(loaded.file)) {
      return loaded;
    }
    try {
      loaded.profiles.addAll(read(loaded.file));
    } catch (IOException e) {
      Path aside = loaded.file.resolveSibling("profiles.json.bad");
      try {
        Files.move(loaded.file, aside, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException moveFailed) {
        log.warn("cannot move {} aside: {}", loaded.file, moveFailed.getMessage());
      }
      loaded.problem =
          "Saved connections could not be read; the file was kept as " + aside.getFileName();
      log.warn("{}: {}", loaded.file, e.getClass().getSimpleName());
    }
    return loaded;
  }

  /** What profiles.json holds. */
  record Saved(List<Profile> profiles) {}

  /** {@code {"profiles": [{"server": …, "token": …, "lastCar": …}, …]}}; unknown keys skipped. */
  private static List<Profile> read(Path file) throws IOException {
    List<String> problems = new ArrayList<>();
    Saved saved = ConfigReader.readSkippingUnknown(Files.readString(file), Saved.class, problems);
    if (saved == null) {
      throw new IOException(String.join("; ", problems));
    }
    List<Profile> read = new ArrayList<>();
    if (saved.profiles() != null) {
      saved.profiles().stream().filter(p -> p != null && p.server() != null).forEach(read::add);
    }
    return read;
  }

  /** Why the saved file was not used, or null. */
  public String problem() {
    return problem;
  }

  public List<Profile> all() {
    return List.copyOf(profiles);
  }

  /** The most recent connection, or null. */
  public Profile latest() {
    return profiles.isEmpty() ? null : profiles.get(0);
  }

  /** Remembers a connection as the most recent one (same server and token replace the old). */
  public void remember(Profile profile) {
    profiles.removeIf(
        p ->
            p.server().equals(profile.server())
                && String.valueOf(p.token()).equals(String.valueOf(profile.token())));
    profiles.add(0, profile);
    while (profiles.size() > KEEP) {
      profiles.remove(profiles.size() - 1);
    }
    save();
  }

  /** Removes a saved connection (its token goes with it); false when it was not saved. */
  public boolean forget(Profile profile) {
    boolean removed = profiles.remove(profile);
    if (removed) {
      save();
    }
    return removed;
  }

  private void save() {
    try {
      Files.createDirectories(file.getParent());
      Path temp = file.resolveSibling("profiles.json.tmp");
      Files.deleteIfExists(temp);
      try {
        // created owner-only, so the tokens are never readable by others, not even for a moment
        Files.createFile(
            temp,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException notPosix) {
        // Windows: the user's profile folder is private already
      }
      write(temp);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      log.warn("cannot save connections in {}: {}", file, e.getMessage());
    }
  }

  private void write(Path to) throws IOException {
    try (JsonGenerator json = JSON.createGenerator(to.toFile(), JsonEncoding.UTF8)) {
      json.useDefaultPrettyPrinter();
      json.writeStartObject();
      json.writeArrayFieldStart("profiles");
      for (Profile profile : profiles) {
        json.writeStartObject();
        json.writeStringField("server", profile.server());
        if (profile.token() != null) {
          json.writeStringField("token", profile.token());
        }
        if (profile.lastCar() != null) {
          json.writeStringField("lastCar", profile.lastCar());
        }
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    }
  }
}
