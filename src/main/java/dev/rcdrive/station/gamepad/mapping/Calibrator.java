package dev.rcdrive.station.gamepad.mapping;

import dev.rcdrive.station.gamepad.device.PadControl;
import dev.rcdrive.station.gamepad.device.PadSnapshot;
import java.util.ArrayList;
import java.util.List;

/**
 * Calibration of the bound axes in two steps: {@link #rest} while the driver leaves every stick
 * centred and every trigger released, then {@link #observe} while they move each through its full
 * travel. {@link #apply} writes the centre and range of the steering stick and the released /
 * pressed ends of throttle and brake; an axis that was not moved keeps its old values and is named.
 */
public final class Calibrator {

  /** Less travel than this means "not moved" (raw units; full travel is 1 or 2). */
  static final double MIN_TRAVEL = 0.3;

  /** The new mapping and what could not be calibrated. */
  public record Result(PadMapping mapping, List<String> notMoved) {}

  private final List<PadControl> controls;
  private final float[] rest;
  private final float[] low;
  private final float[] high;

  /** Step 1: the controller at rest. */
  public Calibrator(PadSnapshot atRest) {
    if (!atRest.connected()) {
      throw new IllegalArgumentException("calibration needs a connected controller");
    }
    controls = atRest.controls();
    rest = atRest.values();
    low = atRest.values();
    high = atRest.values();
  }

  /** Step 2, for every snapshot while the driver moves the controls. */
  public void observe(PadSnapshot s) {
    if (!s.connected() || !s.controls().equals(controls)) {
      return;
    }
    for (int i = 0; i < controls.size(); i++) {
      float v = s.value(i);
      if (Float.isFinite(v)) {
        low[i] = Math.min(low[i], v);
        high[i] = Math.max(high[i], v);
      }
    }
  }

  public Result apply(PadMapping mapping) {
    List<String> notMoved = new ArrayList<>();
    PadMapping out = mapping;
    AxisBinding steer = mapping.steer();
    if (steer != null) {
      int i = index(steer.control());
      if (i >= 0 && high[i] - rest[i] >= MIN_TRAVEL && rest[i] - low[i] >= MIN_TRAVEL) {
        out = out.withAxis(PadAction.STEER, steer.withStickCalibration(rest[i], low[i], high[i]));
      } else {
        notMoved.add(PadAction.STEER.label());
      }
    }
    for (PadAction action : List.of(PadAction.THROTTLE, PadAction.BRAKE)) {
      AxisBinding b = mapping.axis(action);
      if (b == null) {
        continue;
      }
      int i = index(b.control());
      if (i < 0) {
        notMoved.add(action.label());
        continue;
      }
      // Keep the direction the binding already has (one half of a combined axis stays its half).
      float end = b.pressed() >= b.released() ? high[i] : low[i];
      if (Math.abs(end - rest[i]) >= MIN_TRAVEL) {
        out = out.withAxis(action, b.withRange(rest[i], end));
      } else {
        notMoved.add(action.label());
      }
    }
    return new Result(out, List.copyOf(notMoved));
  }

  private int index(String id) {
    for (int i = 0; i < controls.size(); i++) {
      if (controls.get(i).id().equals(id)) {
        return i;
      }
    }
    return -1;
  }
}
