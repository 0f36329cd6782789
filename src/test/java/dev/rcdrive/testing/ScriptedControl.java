package dev.rcdrive.testing;

import dev.rcdrive.station.drive.ControlLoop;
import dev.rcdrive.station.drive.DriveIntent;
import dev.rcdrive.station.link.DriverSession;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A scripted driver for tests and benchmarks: the station's {@link ControlLoop} (50 Hz heartbeat,
 * changes at once) on a session's control channel, sending whatever intent the script sets. No
 * station rules in between: what is under test is the car's. Close it before the session, so its
 * neutral frame is the last one.
 */
public final class ScriptedControl implements AutoCloseable {

  private final AtomicReference<DriveIntent> intent = new AtomicReference<>(DriveIntent.NEUTRAL);
  private final ControlLoop loop;

  public ScriptedControl(DriverSession session) {
    loop = ControlLoop.start(intent::get, session::sendControl);
  }

  /** Sent at once when it differs from the last one, else with the next heartbeat. */
  public void set(DriveIntent next) {
    if (!next.equals(intent.getAndSet(next))) {
      loop.changed();
    }
  }

  public long framesSent() {
    return loop.framesSent();
  }

  @Override
  public void close() {
    loop.close();
  }
}
