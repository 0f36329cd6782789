package dev.rcdrive.station.input;

import dev.rcdrive.station.drive.DriveIntent;

/**
 * Something the driver drives with: the keyboard now, game controllers next. It turns its own
 * device state into normalized axes; it knows nothing about frames or links (LibDS's split).
 */
public interface InputSource {

  /** For the HUD: "Keyboard", "Xbox Wireless Controller", … */
  String name();

  /**
   * The axes now, given the armed/e-stop state the station holds; advances ramps by {@code
   * seconds}.
   */
  DriveIntent poll(double seconds, boolean armed, boolean estop);
}
