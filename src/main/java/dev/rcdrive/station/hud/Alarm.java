package dev.rcdrive.station.hud;

import dev.rcdrive.protocol.CarState;
import dev.rcdrive.station.drive.DriveState;

/**
 * The master caution: when the car stops driving under an armed driver for a reason the driver did
 * not choose (the link is lost, the car failed safe or stopped answering), the frame around the
 * picture flashes red, so a driver whose eyes are on the road in the picture notices at once, not
 * when they next read the badge. An E-STOP, a disarm or a lost window focus are the driver's own
 * doing and do not flash. It flashes at {@link #FLASH_HZ} (below the 3 Hz of photosensitivity
 * guidance) for {@link #FLASH_NANOS} at most, and stops as soon as the driver arms again.
 */
public final class Alarm {

  /** Long enough to be seen by a driver looking anywhere on the screen. */
  public static final long FLASH_NANOS = 6_000_000_000L;

  /** Two flashes a second. */
  public static final int FLASH_HZ = 2;

  private static final long HALF_PERIOD_NANOS = 1_000_000_000L / (2L * FLASH_HZ);

  private String cause;
  private long sinceNanos;

  /** Each new drive state, with the one before it. */
  public void drive(DriveState before, DriveState now, long nowNanos) {
    if (now.armRequested()) {
      cause = null; // armed again: the driver has seen it
      return;
    }
    if (before.armRequested() && now.mode() != DriveState.Mode.ESTOP) {
      String why = danger(now);
      if (why != null) {
        cause = why;
        sinceNanos = nowNanos;
      }
    }
  }

  /** Whether the frame is lit right now (on and off while the alarm lasts). */
  public boolean lit(long nowNanos) {
    if (cause == null) {
      return false;
    }
    long elapsed = nowNanos - sinceNanos;
    if (elapsed >= FLASH_NANOS) {
      cause = null;
      return false;
    }
    return (elapsed / HALF_PERIOD_NANOS) % 2 == 0;
  }

  /** What set it off ("link lost", …), or null while quiet. */
  public String cause() {
    return cause;
  }

  private static String danger(DriveState state) {
    // Armed means the link was up; NONE afterwards is the driver leaving, anything else a loss.
    if (state.link() != DriveState.Link.UP && state.link() != DriveState.Link.NONE) {
      return "link lost";
    }
    if (state.car().state() == CarState.FAILSAFE) {
      return "car failed safe";
    }
    if (state.attached() && state.car().state() != null && !state.car().responding()) {
      return "car not responding";
    }
    return null;
  }
}
