package dev.rcdrive.signaling;

/** A configuration problem, with the field and what is wrong, fit to show a user as it is. */
public final class InvalidConfigException extends Exception {
  public InvalidConfigException(String message) {
    super(message);
  }
}
