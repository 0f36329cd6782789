package dev.rcdrive.station.gamepad.device;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Why JInput sees no controller on Linux when there are devices: it lists only the {@code
 * /dev/input/event*} files this user can read, and says nothing about the others. Desktops usually
 * give the logged-in user a plugged-in joystick (systemd's uaccess), so unreadable keyboards are
 * normal; unreadable devices with no controller found are what this explains.
 */
public final class LinuxInputAccess {

  public static final Path DEV_INPUT = Path.of("/dev/input");

  private final Path devInput;
  private final Predicate<Path> readable;

  /**
   * @param readable whether this process may open a device file (injectable: tests run as root)
   */
  public LinuxInputAccess(Path devInput, Predicate<Path> readable) {
    this.devInput = devInput;
    this.readable = readable;
  }

  public static LinuxInputAccess system() {
    return new LinuxInputAccess(DEV_INPUT, Files::isReadable);
  }

  /** The event device files, sorted; empty when the folder is missing (no /dev/input here). */
  public List<Path> eventDevices() {
    List<Path> found = new ArrayList<>();
    if (!Files.isDirectory(devInput)) {
      return found;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(devInput, "event*")) {
      files.forEach(found::add);
    } catch (IOException e) {
      return found;
    }
    found.sort(null);
    return found;
  }

  /**
   * A fingerprint of which devices exist and which are readable: a new scan pays off when it
   * changes.
   */
  public String fingerprint() {
    StringBuilder b = new StringBuilder();
    for (Path device : eventDevices()) {
      b.append(device.getFileName()).append(readable.test(device) ? "+" : "-").append(' ');
    }
    return b.toString();
  }

  /**
   * What to tell a driver who sees no controller, or null when nothing is in the way (no devices at
   * all, or all readable).
   */
  public String diagnose() {
    List<Path> devices = eventDevices();
    long blocked = devices.stream().filter(readable.negate()).count();
    if (blocked == 0) {
      return null;
    }
    String user = System.getProperty("user.name", "you");
    return String.format(
        "%d of %d input devices in %s cannot be read by user '%s', so a controller among them is"
            + " invisible. Fix: add yourself to the input group (sudo usermod -aG input %s, then"
            + " log out and in again), or allow just game controllers with a udev rule: put"
            + " SUBSYSTEM==\"input\", ENV{ID_INPUT_JOYSTICK}==\"1\", MODE=\"0660\", GROUP=\"input\","
            + " TAG+=\"uaccess\" in /etc/udev/rules.d/70-rcdrive-gamepad.rules, run sudo udevadm"
            + " control --reload and sudo udevadm trigger, and plug the controller in again.",
        blocked, devices.size(), devInput, user, user);
  }
}
