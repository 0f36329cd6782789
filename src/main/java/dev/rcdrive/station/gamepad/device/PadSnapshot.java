package dev.rcdrive.station.gamepad.device;

import java.util.Arrays;
import java.util.List;

/**
 * One poll of the active controller: every control's value at {@code nanos}. Immutable, so the
 * poller thread hands it to the control path and the UI without locks.
 *
 * @param key which controller ("name#n"); empty when none is active
 * @param state whether the values are live
 * @param seq increases with each poll (the UI skips redraws when it has not moved)
 * @param nanos {@link System#nanoTime()} of the poll
 */
public record PadSnapshot(
    String key,
    String name,
    State state,
    long seq,
    long nanos,
    List<PadControl> controls,
    float[] values) {

  /** Whether a controller is in use. */
  public enum State {
    /** No controller is selected or found. */
    NONE,
    CONNECTED,
    /** The controller in use stopped answering (unplugged, out of range, battery flat). */
    DISCONNECTED
  }

  public static final PadSnapshot NONE =
      new PadSnapshot("", "", State.NONE, 0, 0, List.of(), new float[0]);

  public PadSnapshot {
    controls = List.copyOf(controls);
    values = values.clone();
    if (values.length != controls.size()) {
      throw new IllegalArgumentException(
          values.length + " values for " + controls.size() + " controls");
    }
  }

  @Override
  public float[] values() {
    return values.clone();
  }

  /**
   * The value of control {@code id}; NaN when this controller has no such control or its reading
   * was no number.
   */
  public float value(String id) {
    for (int i = 0; i < controls.size(); i++) {
      if (controls.get(i).id().equals(id)) {
        return values[i];
      }
    }
    return Float.NaN;
  }

  public float value(int index) {
    return values[index];
  }

  public boolean connected() {
    return state == State.CONNECTED;
  }

  /** The same controls, no longer live: what an unplug leaves behind. */
  PadSnapshot disconnected(long atNanos) {
    return new PadSnapshot(
        key, name, State.DISCONNECTED, seq + 1, atNanos, controls, new float[values.length]);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PadSnapshot s
        && s.key.equals(key)
        && s.state == state
        && s.seq == seq
        && s.nanos == nanos
        && s.controls.equals(controls)
        && Arrays.equals(s.values, values);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(seq) * 31 + key.hashCode();
  }

  @Override
  public String toString() {
    return "PadSnapshot[" + key + " " + state + " #" + seq + " " + Arrays.toString(values) + "]";
  }
}
