package dev.rcdrive.station.gamepad.mapping;

/** What a driver can do with a controller. The first three are axes, the rest buttons. */
public enum PadAction {
  STEER("Steer"),
  THROTTLE("Throttle"),
  BRAKE("Brake / reverse"),
  ARM("Arm / disarm"),
  ESTOP("E-STOP"),
  SNAPSHOT("Snapshot"),
  FULLSCREEN("Fullscreen");

  private final String label;

  PadAction(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  public boolean isAxis() {
    return ordinal() <= BRAKE.ordinal();
  }
}
