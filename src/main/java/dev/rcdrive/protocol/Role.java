package dev.rcdrive.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Who is on the other end of a signaling connection. */
public enum Role {
  CAR,
  DRIVER;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static Role fromWire(String value) {
    for (Role role : values()) {
      if (role.wireName().equals(value)) {
        return role;
      }
    }
    throw new IllegalArgumentException("role must be 'car' or 'driver', got '" + value + "'");
  }
}
