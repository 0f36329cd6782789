package dev.rcdrive.station.input;

import dev.rcdrive.station.drive.Axes;
import java.util.EnumSet;
import java.util.Set;

/**
 * Keyboard driving: W/↑ throttle, S/↓ brake then reverse, A/← and D/→ steer, Space brake. Keys ramp
 * the axes instead of jumping (a key is all or nothing; a car is not), and steering centres itself
 * when no steering key is held. Pure logic: the view forwards key events and calls {@link #poll}
 * each pulse; the axes go to the {@code DriveController}, which alone decides whether they move the
 * car (Enter and Esc are the window's, not this input's).
 */
public final class KeyboardInput {

  /** The keys that drive; the view maps JavaFX key codes to these. */
  public enum Key {
    THROTTLE,
    REVERSE,
    LEFT,
    RIGHT,
    BRAKE
  }

  /** Full throttle from rest in 0.6 s; off the throttle at once. */
  static final double THROTTLE_RAMP_PER_SECOND = 1.0 / 0.6;

  /** Full lock from centre in 0.35 s. */
  static final double STEER_RAMP_PER_SECOND = 1.0 / 0.35;

  /** Back to centre from full lock in 0.2 s when released. */
  static final double CENTRE_PER_SECOND = 1.0 / 0.2;

  private final Set<Key> held = EnumSet.noneOf(Key.class);
  private double throttle;
  private double steering;

  public synchronized void press(Key key) {
    held.add(key);
  }

  public synchronized void release(Key key) {
    held.remove(key);
  }

  /** Everything up, axes to zero: focus lost, window hidden. */
  public synchronized void releaseAll() {
    held.clear();
    throttle = 0;
    steering = 0;
  }

  /** The axes now; advances the ramps by {@code seconds}. */
  public synchronized Axes poll(double seconds) {
    double throttleTarget =
        (held.contains(Key.THROTTLE) ? 1 : 0) - (held.contains(Key.REVERSE) ? 1 : 0);
    throttle =
        throttleTarget == 0
            ? 0 // lifting off is immediate
            : approach(throttle, throttleTarget, THROTTLE_RAMP_PER_SECOND * seconds);
    double steerTarget = (held.contains(Key.RIGHT) ? 1 : 0) - (held.contains(Key.LEFT) ? 1 : 0);
    double rate = steerTarget == 0 ? CENTRE_PER_SECOND : STEER_RAMP_PER_SECOND;
    steering = approach(steering, steerTarget, rate * seconds);
    double brake = held.contains(Key.BRAKE) ? 1 : 0;
    return Axes.signed(steering, brake > 0 ? 0 : throttle, brake);
  }

  private static double approach(double value, double target, double step) {
    if (value < target) {
      return Math.min(target, value + step);
    }
    return Math.max(target, value - step);
  }
}
