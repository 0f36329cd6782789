package dev.rcdrive.station.gamepad.device;

import java.util.List;

/** A controller found by a scan: its key ("name#n", unique in one scan), name and controls. */
public record PadInfo(String key, String name, List<PadControl> controls) {
  public PadInfo {
    controls = List.copyOf(controls);
  }

  @Override
  public String toString() {
    return name;
  }
}
