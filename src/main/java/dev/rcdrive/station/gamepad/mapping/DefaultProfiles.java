package dev.rcdrive.station.gamepad.mapping;

import dev.rcdrive.station.gamepad.device.PadControl;
import dev.rcdrive.station.gamepad.device.PadInfo;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The built-in mappings, chosen by the controller's name and by the controls it really has: JInput
 * names the same pad's controls differently per OS (Linux evdev: buttons "A", "B", triggers on
 * z/rz; Windows DirectInput: buttons "0", "1", both Xbox triggers on one z axis), so each family
 * has one profile per naming and the first profile whose name matches and whose controls all exist
 * wins. Everywhere: left stick X steers, right trigger throttles, left trigger brakes/reverses, the
 * bottom face button (A, ✕) arms, the right one (B, ○) is E-STOP, back/share takes a snapshot and
 * start/options toggles fullscreen. Layouts follow SDL's gamecontrollerdb and the Linux drivers.
 */
public final class DefaultProfiles {

  /** A built-in profile: its name, which controller names it is for, and the mapping it gives. */
  public record Profile(String name, Pattern names, Function<String, PadMapping> mapping) {

    /** Whether this profile fits a controller: its name, and every control it binds exists. */
    boolean fits(PadInfo pad) {
      if (!names.matcher(pad.name()).find()) {
        return false;
      }
      PadMapping m = mapping.apply(pad.name());
      Set<String> ids = pad.controls().stream().map(PadControl::id).collect(Collectors.toSet());
      for (PadAction action : PadAction.values()) {
        String control = m.controlOf(action);
        if (control != null && !ids.contains(control)) {
          return false;
        }
      }
      return true;
    }
  }

  private static final Pattern XBOX =
      Pattern.compile("xbox|x-box|xinput|gamepad f310|gamepad f710", Pattern.CASE_INSENSITIVE);
  private static final Pattern PLAYSTATION =
      Pattern.compile(
          "dualshock|dualsense|wireless controller|ps4|ps5|sony", Pattern.CASE_INSENSITIVE);
  private static final Pattern LOGITECH_DINPUT =
      Pattern.compile(
          "logitech dual action|rumblepad 2|f310|f710|logitech", Pattern.CASE_INSENSITIVE);
  private static final Pattern ANY = Pattern.compile("");

  static final List<Profile> PROFILES =
      List.of(
          // Linux xpad / xone / hid-microsoft; also the F310 and F710 in XInput mode (switch on X).
          new Profile(
              "Xbox (Linux)",
              XBOX,
              c ->
                  PadMapping.of(
                      c,
                      "Xbox (Linux)",
                      AxisBinding.stick("x", "y"),
                      AxisBinding.range("rz", -1, 1),
                      AxisBinding.range("z", -1, 1),
                      "A",
                      "B",
                      "Select",
                      "Start")),
          // DirectInput (Windows): both triggers share z, left pushes it up, right down.
          new Profile(
              "Xbox (Windows, combined triggers)",
              XBOX,
              c ->
                  PadMapping.of(
                      c,
                      "Xbox (Windows, combined triggers)",
                      AxisBinding.stick("x", "y"),
                      AxisBinding.range("z", 0, -1),
                      AxisBinding.range("z", 0, 1),
                      "0",
                      "1",
                      "6",
                      "7")),
          // hid-sony / hid-playstation: ✕ is BTN_SOUTH ("A"), ○ BTN_EAST ("B"), L2/R2 on z/rz.
          new Profile(
              "PlayStation DualShock 4 / DualSense (Linux)",
              PLAYSTATION,
              c ->
                  PadMapping.of(
                      c,
                      "PlayStation DualShock 4 / DualSense (Linux)",
                      AxisBinding.stick("x", "y"),
                      AxisBinding.range("rz", -1, 1),
                      AxisBinding.range("z", -1, 1),
                      "A",
                      "B",
                      "Select",
                      "Start")),
          // Plain HID (Windows DirectInput, macOS): □0 ✕1 ○2 △3, L2 on rx, R2 on ry, right stick
          // z/rz.
          new Profile(
              "PlayStation DualShock 4 / DualSense (HID)",
              PLAYSTATION,
              c ->
                  PadMapping.of(
                      c,
                      "PlayStation DualShock 4 / DualSense (HID)",
                      AxisBinding.stick("x", "y"),
                      AxisBinding.range("ry", -1, 1),
                      AxisBinding.range("rx", -1, 1),
                      "1",
                      "2",
                      "8",
                      "9")),
          // F310/F710 with the switch on D ("Logitech Dual Action", "Cordless RumblePad 2"):
          // triggers are buttons. Windows numbers the buttons; Linux names them Trigger, Thumb, …
          new Profile(
              "Logitech F310 / F710 (DirectInput mode, Windows)",
              LOGITECH_DINPUT,
              c ->
                  PadMapping.of(
                      c,
                      "Logitech F310 / F710 (DirectInput mode, Windows)",
                      AxisBinding.stick("x", "y"),
                      AxisBinding.range("7", 0, 1),
                      AxisBinding.range("6", 0, 1),
                      "1",
                      "2",
                      "8",
                      "9")),
          new Profile(
              "Logitech F310 / F710 (DirectInput mode, Linux)",
              LOGITECH_DINPUT,
              c ->
                  PadMapping.of(
                      c,
                      "Logitech F310 / F710 (DirectInput mode, Linux)",
                      AxisBinding.stick("x", "y"),
                      AxisBinding.range("Base 2", 0, 1),
                      AxisBinding.range("Base", 0, 1),
                      "Thumb",
                      "Thumb 2",
                      "Base 3",
                      "Base 4")));

  private DefaultProfiles() {}

  /** The profile names, for the page's "start from" choice. */
  public static List<String> names() {
    return PROFILES.stream().map(Profile::name).toList();
  }

  /** The built-in mapping for this controller: the first fitting profile, else {@link #generic}. */
  public static PadMapping forController(PadInfo pad) {
    for (Profile profile : PROFILES) {
      if (profile.fits(pad)) {
        return profile.mapping().apply(pad.name());
      }
    }
    return generic(pad);
  }

  /** A named profile for this controller (the user's override), or null if it does not fit. */
  public static PadMapping named(String profileName, PadInfo pad) {
    for (Profile profile : PROFILES) {
      if (profile.name().equals(profileName)) {
        return new Profile(profile.name(), ANY, profile.mapping()).fits(pad)
            ? profile.mapping().apply(pad.name())
            : null;
      }
    }
    return "Generic".equals(profileName) ? generic(pad) : null;
  }

  /**
   * For any other controller: the first axis steers (paired with the second for the radial
   * deadzone) and a right-stick vertical axis (ry, else rz, else a slider) drives: up for throttle,
   * down for brake/reverse. A guess can be wrong (an axis that rests at one end would read as full
   * throttle): {@link GamepadInput} refuses to arm until throttle and brake read zero. The first
   * two buttons arm and stop.
   */
  static PadMapping generic(PadInfo pad) {
    List<String> axes = ids(pad, PadControl.Kind.AXIS);
    List<String> buttons = ids(pad, PadControl.Kind.BUTTON);
    String steer = axes.contains("x") ? "x" : axes.isEmpty() ? null : axes.get(0);
    String partner =
        axes.contains("y")
            ? "y"
            : axes.size() > 1 && !axes.get(1).equals(steer) ? axes.get(1) : null;
    String drive = null;
    for (String candidate : List.of("ry", "rz", "slider")) {
      if (drive == null && axes.contains(candidate)) {
        drive = candidate;
      }
    }
    return PadMapping.of(
        pad.name(),
        "Generic",
        steer == null ? null : AxisBinding.stick(steer, partner),
        drive == null ? null : AxisBinding.range(drive, 0, -1).withFeel(0.1, 0, false, 0),
        drive == null ? null : AxisBinding.range(drive, 0, 1).withFeel(0.1, 0, false, 0),
        buttons.size() > 0 ? buttons.get(0) : null,
        buttons.size() > 1 ? buttons.get(1) : null,
        null,
        null);
  }

  private static List<String> ids(PadInfo pad, PadControl.Kind kind) {
    return pad.controls().stream().filter(c -> c.kind() == kind).map(PadControl::id).toList();
  }
}
