package dev.rcdrive.protocol;

import java.util.Locale;

/** Who is on the other end of a signaling connection. */
public enum Role {
  CAR,
  DRIVER;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Role fromWire(String value) {
    for (Role role : values()) {
      if (role.wireName().equals(value)) {
        return role;
      }
    }
    throw new IllegalArgumentException("role must be 'car' or 'driver', got '" + value + "'");
  }
}
