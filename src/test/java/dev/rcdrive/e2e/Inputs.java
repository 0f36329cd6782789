package dev.rcdrive.e2e;

import dev.rcdrive.station.drive.DriveIntent;
import dev.rcdrive.station.link.DriverSession;
import dev.rcdrive.station.link.LinkStatus;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** A stand-in input device for tests: renews one intent every 20 ms, as a polled input does. */
final class Inputs {
  private Inputs() {}

  /** Feeds the intent until the session closes. */
  static void feed(DriverSession session, DriveIntent intent) {
    ScheduledExecutorService poll =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "test-input");
              thread.setDaemon(true);
              return thread;
            });
    poll.scheduleAtFixedRate(
        () -> {
          if (session.status().phase() == LinkStatus.Phase.CLOSED) {
            poll.shutdown();
          } else {
            session.setIntent(intent);
          }
        },
        0,
        20,
        TimeUnit.MILLISECONDS);
  }
}
