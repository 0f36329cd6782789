package dev.rcdrive.signaling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rcdrive.protocol.SignalMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Iterator;
import java.util.Set;

/**
 * The signaling server's config file as the operator's commands edit it ({@code rcdrive signal
 * add-car}, {@code add-driver}, {@code revoke}): every other field stays as the operator wrote it.
 * New secrets are stored as their hash ({@link Secrets#HASHED}) and shown once; the file is
 * replaced in one rename with its owner, group and mode kept, so the running server (which watches
 * it) never reads half a file, and a secret never sits in a file more readable than the old one.
 */
public final class SignalingConfigFile {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path path;
  private final ObjectNode root;

  private SignalingConfigFile(Path path, ObjectNode root) {
    this.path = path;
    this.root = root;
  }

  /** Reads {@code path}; the file must be a config the server would accept. */
  public static SignalingConfigFile open(Path path) throws InvalidConfigException {
    SignalingConfig.load(path); // the server's own reading: the same errors, in the same words
    try {
      JsonNode tree = JSON.readTree(path.toFile());
      if (!(tree instanceof ObjectNode object)) {
        throw new InvalidConfigException(path + ": not a JSON object");
      }
      return new SignalingConfigFile(path, object);
    } catch (IOException e) {
      throw new InvalidConfigException(
          path + ": cannot read (" + e.getClass().getSimpleName() + ")");
    }
  }

  /** A new config at {@code path} (not written until {@link #save}). */
  public static SignalingConfigFile create(Path path, ObjectNode root) {
    return new SignalingConfigFile(path, root);
  }

  /** 256 random bits, URL-safe base64 (43 characters): a car key or a driver token. */
  public static String newSecret() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Adds a car with a new key; returns the key (only its hash is stored). */
  public String addCar(String id, String name) throws InvalidConfigException {
    if (id == null || !SignalMessage.CAR_ID.matcher(id).matches()) {
      throw new InvalidConfigException(
          "car id '" + id + "': use 1-64 letters, digits, '.', '_' or '-', starting alnum");
    }
    ArrayNode cars = array("cars");
    if (find(cars, "id", id) >= 0) {
      throw new InvalidConfigException("car '" + id + "' exists already: revoke it first");
    }
    String key = newSecret();
    ObjectNode car = cars.addObject().put("id", id);
    if (name != null && !name.isBlank()) {
      car.put("name", name);
    }
    car.put("key", Secrets.hashed(key));
    return key;
  }

  /** Adds a driver with a new token; returns the token (only its hash is stored). */
  public String addDriver(String name) throws InvalidConfigException {
    if (name == null || name.isBlank() || name.length() > 64) {
      throw new InvalidConfigException("driver name: 1-64 characters");
    }
    ArrayNode drivers = array("drivers");
    if (find(drivers, "name", name) >= 0) {
      throw new InvalidConfigException("driver '" + name + "' exists already: revoke it first");
    }
    String token = newSecret();
    drivers.addObject().put("name", name).put("token", Secrets.hashed(token));
    return token;
  }

  /** Removes the car; false when there is none of that id. */
  public boolean revokeCar(String id) {
    return remove(array("cars"), "id", id);
  }

  /** Removes the driver; false when there is none of that name. */
  public boolean revokeDriver(String name) {
    return remove(array("drivers"), "name", name);
  }

  public ObjectNode root() {
    return root;
  }

  /**
   * Writes the file beside itself and renames it into place. An existing file's owner, group and
   * mode carry over; a new one gets {@code newMode} (e.g. {@code rw-r-----}).
   */
  public void save(Set<PosixFilePermission> newMode) throws IOException, InvalidConfigException {
    Path dir = path.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path next = Files.createTempFile(dir, "." + path.getFileName(), ".new");
    try {
      PosixFileAttributeView view = Files.getFileAttributeView(next, PosixFileAttributeView.class);
      if (Files.exists(path)) {
        PosixFileAttributes old = Files.readAttributes(path, PosixFileAttributes.class);
        view.setPermissions(old.permissions());
        if (!old.owner().equals(Files.getOwner(next))) {
          view.setOwner(old.owner());
        }
        view.setGroup(old.group());
      } else {
        view.setPermissions(newMode);
      }
      Files.write(next, JSON.writeValueAsBytes(root));
      Files.writeString(next, "\n", java.nio.file.StandardOpenOption.APPEND);
      SignalingConfig.load(next); // never put a file in place that the server would refuse
      Files.move(next, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(next);
    }
  }

  private ArrayNode array(String field) {
    JsonNode node = root.get(field);
    if (node instanceof ArrayNode array) {
      return array;
    }
    return root.putArray(field);
  }

  private static int find(ArrayNode array, String field, String value) {
    for (int i = 0; i < array.size(); i++) {
      if (value.equals(array.get(i).path(field).asText(null))) {
        return i;
      }
    }
    return -1;
  }

  private static boolean remove(ArrayNode array, String field, String value) {
    boolean removed = false;
    for (Iterator<JsonNode> it = array.elements(); it.hasNext(); ) {
      if (value.equals(it.next().path(field).asText(null))) {
        it.remove();
        removed = true;
      }
    }
    return removed;
  }
}
