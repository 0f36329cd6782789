package dev.rcdrive.station.gamepad.mapping;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A controller's mapping: three axes and four buttons (a button is a control id; null: unbound).
 * Saved as JSON per controller model; {@code format} and {@code controller} let a loader tell a
 * foreign or misplaced file from ours.
 *
 * @param profile the built-in profile it started from (for the page; "custom" after edits)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PadMapping(
    String format,
    int version,
    String controller,
    String profile,
    AxisBinding steer,
    AxisBinding throttle,
    AxisBinding brake,
    String arm,
    String estop,
    String snapshot,
    String fullscreen) {

  public static final String FORMAT = "rcdrive-gamepad-mapping";
  public static final int VERSION = 1;

  public static PadMapping of(
      String controller,
      String profile,
      AxisBinding steer,
      AxisBinding throttle,
      AxisBinding brake,
      String arm,
      String estop,
      String snapshot,
      String fullscreen) {
    return new PadMapping(
        FORMAT,
        VERSION,
        controller,
        profile,
        steer,
        throttle,
        brake,
        arm,
        estop,
        snapshot,
        fullscreen);
  }

  public AxisBinding axis(PadAction action) {
    return switch (action) {
      case STEER -> steer;
      case THROTTLE -> throttle;
      case BRAKE -> brake;
      default -> throw new IllegalArgumentException(action + " is a button");
    };
  }

  public String button(PadAction action) {
    return switch (action) {
      case ARM -> arm;
      case ESTOP -> estop;
      case SNAPSHOT -> snapshot;
      case FULLSCREEN -> fullscreen;
      default -> throw new IllegalArgumentException(action + " is an axis");
    };
  }

  /** The control bound to an action (axis or button), or null. */
  public String controlOf(PadAction action) {
    if (action.isAxis()) {
      AxisBinding b = axis(action);
      return b == null ? null : b.control();
    }
    return button(action);
  }

  public PadMapping withAxis(PadAction action, AxisBinding binding) {
    return new PadMapping(
        format,
        version,
        controller,
        "custom",
        action == PadAction.STEER ? binding : steer,
        action == PadAction.THROTTLE ? binding : throttle,
        action == PadAction.BRAKE ? binding : brake,
        arm,
        estop,
        snapshot,
        fullscreen);
  }

  public PadMapping withButton(PadAction action, String control) {
    return new PadMapping(
        format,
        version,
        controller,
        "custom",
        steer,
        throttle,
        brake,
        action == PadAction.ARM ? control : arm,
        action == PadAction.ESTOP ? control : estop,
        action == PadAction.SNAPSHOT ? control : snapshot,
        action == PadAction.FULLSCREEN ? control : fullscreen);
  }

  /** Why this cannot be a mapping for {@code controllerName}, or null when it can. */
  public String problemFor(String controllerName) {
    if (!FORMAT.equals(format)) {
      return "it is not an rcdrive controller mapping";
    }
    if (version != VERSION) {
      return "it is version " + version + " (this station reads version " + VERSION + ")";
    }
    if (controllerName != null && !controllerName.equals(controller)) {
      return "it is for \"" + controller + "\", not \"" + controllerName + "\"";
    }
    if (steer == null || steer.control() == null) {
      return "it binds no steering axis";
    }
    return null;
  }
}
