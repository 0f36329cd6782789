package dev.rcdrive.station.gamepad.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.function.Predicate;
import net.java.games.input.Controller;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The permission diagnostic, with a temp folder standing in for /dev/input. Readability is judged
 * by the files' owner-read bit (tests run as root here, and root reads everything).
 */
class LinuxInputAccessTest {

  @TempDir Path dev;

  private static final Predicate<Path> OWNER_READ =
      p -> {
        try {
          return Files.getPosixFilePermissions(p).contains(PosixFilePermission.OWNER_READ);
        } catch (java.io.IOException e) {
          return false;
        }
      };

  private void device(String name, String permissions) throws Exception {
    Path file = dev.resolve(name);
    Files.createFile(file);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
  }

  @Test
  void unreadableEventDevicesAreExplainedWithTheFix() throws Exception {
    device("event0", "---------");
    device("event1", "---------");
    device("event2", "rw-------");
    device("js0", "---------"); // not an event device: JInput does not use it for this
    Files.createFile(dev.resolve("mice"));

    String message = new LinuxInputAccess(dev, OWNER_READ).diagnose();

    assertThat(message)
        .contains("2 of 3 input devices in " + dev)
        .contains("usermod -aG input")
        .contains("log out and in")
        .contains("udev rule")
        .contains("ENV{ID_INPUT_JOYSTICK}==\"1\"")
        .contains("udevadm control --reload");
  }

  @Test
  void nothingToSayWhenAllAreReadableOrThereAreNone() throws Exception {
    assertThat(new LinuxInputAccess(dev.resolve("missing"), OWNER_READ).diagnose()).isNull();
    assertThat(new LinuxInputAccess(dev, OWNER_READ).diagnose()).isNull();
    device("event0", "rw-r-----");
    assertThat(new LinuxInputAccess(dev, OWNER_READ).diagnose()).isNull();
  }

  @Test
  void theFingerprintChangesWhenADeviceOrItsPermissionDoes() throws Exception {
    LinuxInputAccess access = new LinuxInputAccess(dev, OWNER_READ);
    device("event0", "rw-------");
    String before = access.fingerprint();
    device("event1", "---------");
    String plugged = access.fingerprint();
    Files.setPosixFilePermissions(
        dev.resolve("event1"), PosixFilePermissions.fromString("rw-------"));

    assertThat(plugged).isNotEqualTo(before);
    assertThat(access.fingerprint()).isNotEqualTo(plugged);
  }

  @Test
  void theGamepadsSayItWhenTheyFindNoController() throws Exception {
    device("event3", "---------");
    List<Controller> none = List.of(FakePad.keyboard());
    try (JInputGamepads pads =
        new JInputGamepads(
            () -> none, JInputGamepads.Options.DEFAULTS, new LinuxInputAccess(dev, OWNER_READ))) {
      assertThat(pads.rescan().join()).isEmpty();
      assertThat(pads.diagnostic()).contains("1 of 1 input devices").contains("input group");
    }
  }
}
