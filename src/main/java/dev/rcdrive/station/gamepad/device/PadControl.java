package dev.rcdrive.station.gamepad.device;

/**
 * One control of a game controller, named by its JInput identifier ("x", "rz", "pov", "A", "0"):
 * the name mapping files store, stable across runs on one OS.
 */
public record PadControl(String id, Kind kind) {

  /** What a control reads: sticks and triggers −1…1, buttons 0/1, a hat JInput's POV values. */
  public enum Kind {
    AXIS,
    BUTTON,
    POV
  }

  public PadControl {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("a control needs an id");
    }
  }
}
