package dev.rcdrive.station.gamepad.mapping;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rcdrive.station.gamepad.device.PadControl;
import dev.rcdrive.station.gamepad.device.PadInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * The built-in mappings, chosen by the controller's name and by the controls it really has. They
 * are data, not code: {@value #RESOURCE} lists them (and says why each looks as it does); this
 * class loads and checks that file once, picks a profile for a controller, and makes the generic
 * guess for controllers no profile fits. The first profile whose name pattern finds the
 * controller's name and whose controls all exist wins.
 */
public final class DefaultProfiles {

  /** The profiles file, on the class path. */
  public static final String RESOURCE = "/station/gamepad-profiles.json";

  static final String FORMAT = "rcdrive-gamepad-profiles";
  static final int VERSION = 1;

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

  /** The file as written: a format tag, a version, the profiles ({@code about}: a comment). */
  record ProfilesFile(String format, int version, String about, List<Entry> profiles) {}

  /** One profile as written; controls are JInput's names for them. */
  record Entry(
      String name,
      String about,
      String names,
      Axis steer,
      Axis throttle,
      Axis brake,
      String arm,
      String estop,
      String snapshot,
      String fullscreen) {}

  /** An axis as written: {@code stick} (+ {@code partner}), or {@code range} from/to. */
  record Axis(String stick, String partner, String range, Double released, Double pressed) {}

  private static final Pattern ANY = Pattern.compile("");

  static final List<Profile> PROFILES = loadBuiltIn();

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
   * throttle): the station's {@code DriveController} refuses to arm until throttle and brake read
   * zero. The first two buttons arm and stop.
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

  // ---- the file -----------------------------------------------------------------------------

  private static List<Profile> loadBuiltIn() {
    try (InputStream in = DefaultProfiles.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the class path");
      }
      return parse(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  /**
   * Reads and checks a profiles file.
   *
   * @throws IllegalArgumentException naming the profile and what is wrong with it
   * @throws IOException when it is not JSON of this shape (an unknown key included)
   */
  static List<Profile> parse(InputStream in) throws IOException {
    ProfilesFile file = new ObjectMapper().readValue(in, ProfilesFile.class);
    if (file == null || !FORMAT.equals(file.format())) {
      throw new IllegalArgumentException("not an rcdrive profiles file (format " + FORMAT + ")");
    }
    if (file.version() != VERSION) {
      throw new IllegalArgumentException(
          "version " + file.version() + " (this station reads version " + VERSION + ")");
    }
    if (file.profiles() == null || file.profiles().isEmpty()) {
      throw new IllegalArgumentException("no profiles");
    }
    List<Profile> profiles = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < file.profiles().size(); i++) {
      Entry e = file.profiles().get(i);
      String where = "profile " + (i + 1) + (e.name() == null ? "" : " (" + e.name() + ")");
      if (e.name() == null || e.name().isBlank() || "Generic".equals(e.name())) {
        throw new IllegalArgumentException(where + ": needs a name of its own");
      }
      if (!seen.add(e.name())) {
        throw new IllegalArgumentException(where + ": the name is used twice");
      }
      profiles.add(profile(e, where));
    }
    return List.copyOf(profiles);
  }

  private static Profile profile(Entry e, String where) {
    Pattern names;
    try {
      names = Pattern.compile(e.names() == null ? "" : e.names(), Pattern.CASE_INSENSITIVE);
    } catch (PatternSyntaxException bad) {
      throw new IllegalArgumentException(where + ": names is not a pattern: " + bad.getMessage());
    }
    if (names.pattern().isEmpty()) {
      throw new IllegalArgumentException(
          where + ": names is empty (it would fit every controller)");
    }
    AxisBinding steer = axis(e.steer(), where + ", steer");
    AxisBinding throttle = axis(e.throttle(), where + ", throttle");
    AxisBinding brake = axis(e.brake(), where + ", brake");
    Function<String, PadMapping> mapping =
        controller ->
            PadMapping.of(
                controller,
                e.name(),
                steer,
                throttle,
                brake,
                e.arm(),
                e.estop(),
                e.snapshot(),
                e.fullscreen());
    String problem = mapping.apply("check").problemFor("check");
    if (problem != null) {
      throw new IllegalArgumentException(where + ": " + problem);
    }
    if (e.arm() == null || e.estop() == null) {
      throw new IllegalArgumentException(where + ": needs an arm and an E-STOP button");
    }
    return new Profile(e.name(), names, mapping);
  }

  private static AxisBinding axis(Axis a, String where) {
    if (a == null) {
      return null;
    }
    if ((a.stick() == null) == (a.range() == null)) {
      throw new IllegalArgumentException(where + ": give either stick or range");
    }
    if (a.stick() != null) {
      if (a.released() != null || a.pressed() != null) {
        throw new IllegalArgumentException(where + ": a stick has no released/pressed ends");
      }
      return AxisBinding.stick(a.stick(), a.partner());
    }
    if (a.released() == null || a.pressed() == null || a.released().equals(a.pressed())) {
      throw new IllegalArgumentException(where + ": a range needs two different ends");
    }
    if (a.partner() != null) {
      throw new IllegalArgumentException(where + ": only a stick has a partner");
    }
    return AxisBinding.range(a.range(), a.released(), a.pressed());
  }
}
