package dev.rcdrive.protocol;

/** What the car is doing with its outputs, as reported in telemetry. Wire codes never change. */
public enum CarState {
  /** Outputs neutral; throttle requests are ignored until the station arms. */
  DISARMED(0),
  /** Applying the driver's commands within the car's limits. */
  ARMED(1),
  /** No valid control for failsafeMs, or the link or an output failed: outputs neutral. */
  FAILSAFE(2),
  /** Emergency stop latched: outputs neutral until the station clears it. */
  ESTOP(3);

  private final int code;

  CarState(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** The state for a wire code, or {@code null} when the code is unknown. */
  public static CarState fromCode(int code) {
    for (CarState state : values()) {
      if (state.code == code) {
        return state;
      }
    }
    return null;
  }
}
