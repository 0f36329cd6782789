package dev.rcdrive.station.app;

import dev.rcdrive.station.connect.Profiles;
import dev.rcdrive.station.drive.DriveController;
import dev.rcdrive.station.gamepad.device.Gamepads;
import dev.rcdrive.station.gamepad.device.JInputGamepads;
import dev.rcdrive.station.gamepad.mapping.MappingStore;
import dev.rcdrive.station.settings.UserFolders;
import java.nio.file.Path;

/**
 * What the station's view model works with, made by whoever starts it (the window, a test) and
 * handed in: the drive's safety rules, the game controllers, their saved mappings and the saved
 * connections. {@link StationViewModel#shutdown} closes what needs closing.
 */
public record StationServices(
    DriveController drive, Gamepads gamepads, MappingStore mappings, Profiles profiles) {

  /** The user's own: the system's controllers (JInput), the per-user config folder. */
  public static StationServices forUser() {
    return forUser(JInputGamepads.system());
  }

  /** With these controllers; the rest as {@link #forUser()}. */
  public static StationServices forUser(Gamepads gamepads) {
    Path config = UserFolders.config();
    return new StationServices(
        new DriveController(), gamepads, new MappingStore(config), Profiles.load(config));
  }
}
