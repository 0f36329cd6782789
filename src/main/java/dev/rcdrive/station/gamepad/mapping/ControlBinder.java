package dev.rcdrive.station.gamepad.mapping;

import dev.rcdrive.station.gamepad.device.PadControl;
import dev.rcdrive.station.gamepad.device.PadSnapshot;
import java.util.List;
import java.util.Optional;

/**
 * "Press the control you want for Throttle": watches snapshots and picks the control that moved
 * furthest from where it rested when binding began. It decides when that control has gone past the
 * threshold and come back (pressed and released), so the binding knows the full travel and a
 * trigger still held is not driving the moment it is bound. Sticks wobble when a trigger is
 * squeezed; the furthest mover wins, not the first.
 */
public final class ControlBinder {

  /** Deviation from rest a control must reach to count as "pressed". */
  public static final double THRESHOLD = 0.5;

  private final PadAction action;
  private final List<PadControl> controls;
  private final float[] rest;
  private final float[] extreme; // signed value furthest from rest seen so far

  public ControlBinder(PadAction action, PadSnapshot baseline) {
    if (!baseline.connected()) {
      throw new IllegalArgumentException("binding needs a connected controller");
    }
    this.action = action;
    this.controls = baseline.controls();
    this.rest = baseline.values();
    this.extreme = baseline.values();
  }

  public PadAction action() {
    return action;
  }

  /** The next snapshot; the new binding once a control was pressed and released, else empty. */
  public Optional<PadMapping> offer(PadSnapshot snapshot, PadMapping current) {
    if (!snapshot.connected() || !snapshot.controls().equals(controls)) {
      return Optional.empty(); // another controller, or none: keep waiting
    }
    int best = -1;
    double bestTravel = THRESHOLD;
    for (int i = 0; i < controls.size(); i++) {
      if (!eligible(controls.get(i))) {
        continue;
      }
      float v = snapshot.value(i);
      if (Math.abs(v - rest[i]) > Math.abs(extreme[i] - rest[i])) {
        extreme[i] = v;
      }
      double travel = Math.abs(extreme[i] - rest[i]);
      if (travel >= bestTravel) {
        bestTravel = travel;
        best = i;
      }
    }
    if (best < 0 || Math.abs(snapshot.value(best) - rest[best]) > THRESHOLD / 2) {
      return Optional.empty(); // nothing pressed far enough yet, or not released yet
    }
    return Optional.of(bind(current, controls.get(best), rest[best], extreme[best]));
  }

  private boolean eligible(PadControl control) {
    return switch (action) {
      case STEER -> control.kind() == PadControl.Kind.AXIS;
      case THROTTLE, BRAKE -> control.kind() != PadControl.Kind.POV; // digital triggers too
      default -> control.kind() == PadControl.Kind.BUTTON;
    };
  }

  private PadMapping bind(PadMapping current, PadControl control, float restValue, float moved) {
    if (!action.isAxis()) {
      return current.withButton(action, control.id());
    }
    AxisBinding old = current.axis(action);
    if (action == PadAction.STEER) {
      AxisBinding base = old == null ? AxisBinding.stick(control.id(), null) : old;
      return current.withAxis(
          action,
          base.withControl(control.id(), AxisBinding.Shape.STICK, partnerOf(control.id()))
              .withStickCalibration(restValue, -1, 1));
    }
    AxisBinding base = old == null ? AxisBinding.range(control.id(), 0, 1) : old;
    return current.withAxis(
        action,
        base.withControl(control.id(), AxisBinding.Shape.RANGE, null).withRange(restValue, moved));
  }

  /** The other axis of the same stick, by JInput's naming: x/y, rx/ry, z/rz. */
  static String partnerOf(String id) {
    return switch (id) {
      case "x" -> "y";
      case "y" -> "x";
      case "rx" -> "ry";
      case "ry" -> "rx";
      case "z" -> "rz";
      case "rz" -> "z";
      default -> null;
    };
  }
}
