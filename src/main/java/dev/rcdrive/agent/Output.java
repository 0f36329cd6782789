package dev.rcdrive.agent;

/**
 * What the actuators are told: steering -1..1 (right positive), throttle -1..1 (reverse negative),
 * brake 0..1. Already within the car's limits.
 */
public record Output(double steering, double throttle, double brake) {
  public static final Output NEUTRAL = new Output(0, 0, 0);

  public boolean isNeutral() {
    return throttle == 0 && brake == 0;
  }
}
