package dev.rcdrive.sim;

/**
 * A kinematic bicycle model of a 1:10 RC car in a walled square arena: steering angle, speed,
 * acceleration, braking, drag, top speed and a slower reverse. Not thread-safe: one thread steps it
 * (the agent's actuator tick); others read {@link #pose()} snapshots.
 */
public final class CarModel {

  /** The car's physical limits. */
  public record Spec(
      double wheelbaseM,
      double maxSteerRad,
      double maxAccel,
      double brakeDecel,
      double dragPerSecond,
      double topSpeed,
      double topReverseSpeed,
      double arenaHalfSizeM) {

    /** A typical 1:10 buggy in a 20 m square. */
    public static Spec buggy() {
      return new Spec(0.26, Math.toRadians(28), 5.0, 10.0, 0.6, 8.0, 2.5, 10.0);
    }
  }

  /** Where the car is and how fast it goes; x/y in metres, heading in radians (0 = +x). */
  public record Pose(double x, double y, double heading, double speed, double steerRad) {}

  private final Spec spec;
  private double x;
  private double y;
  private double heading;
  private double speed;
  private double steer;
  private volatile Pose pose;

  public CarModel(Spec spec) {
    this.spec = spec;
    this.x = -spec.arenaHalfSizeM() / 2;
    this.pose = new Pose(x, y, heading, speed, steer);
  }

  public Spec spec() {
    return spec;
  }

  public Pose pose() {
    return pose;
  }

  /**
   * Advances the model by {@code dt} seconds under the given command.
   *
   * @param steering -1 (full left) .. 1 (full right)
   * @param throttle -1 (full reverse) .. 1 (full forward)
   * @param brake 0 .. 1
   */
  public void step(double dt, double steering, double throttle, double brake) {
    steer = -clamp(steering, -1, 1) * spec.maxSteerRad(); // right is clockwise: negative angle
    double accel = clamp(throttle, -1, 1) * spec.maxAccel();
    double braking = clamp(brake, 0, 1) * spec.brakeDecel();
    double v = speed + accel * dt;
    // Brake and drag pull the speed toward zero, never past it.
    double slowdown = (braking + spec.dragPerSecond() * Math.abs(v)) * dt;
    v = Math.abs(v) <= slowdown ? 0 : v - Math.signum(v) * slowdown;
    speed = clamp(v, -spec.topReverseSpeed(), spec.topSpeed());
    heading += speed / spec.wheelbaseM() * Math.tan(steer) * dt;
    heading = Math.atan2(Math.sin(heading), Math.cos(heading));
    double nx = x + speed * Math.cos(heading) * dt;
    double ny = y + speed * Math.sin(heading) * dt;
    double limit = spec.arenaHalfSizeM() - 0.3;
    if (Math.abs(nx) > limit || Math.abs(ny) > limit) {
      speed = 0; // hit the wall
      nx = clamp(nx, -limit, limit);
      ny = clamp(ny, -limit, limit);
    }
    x = nx;
    y = ny;
    pose = new Pose(x, y, heading, speed, steer);
  }

  private static double clamp(double value, double min, double max) {
    return Math.max(min, Math.min(max, value));
  }
}
