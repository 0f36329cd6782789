package dev.rcdrive.faults;

import dev.rcdrive.rtc.LinkOptions;
import dev.rcdrive.rtc.RtcEngine;
import dev.rcdrive.station.drive.DriveIntent;
import dev.rcdrive.station.link.DriverSession;
import dev.rcdrive.station.link.LinkStatus;
import dev.rcdrive.testing.ScriptedControl;
import java.net.URI;
import java.util.concurrent.TimeUnit;

/**
 * A driver as a child process (run inside a namespace), built on the station's own {@link
 * DriverSession} and {@code ControlLoop}: asks for the car, disarmed for half a second, then armed
 * with some throttle. Reports on stdout every 100 ms: {@code EVT <nanoTime> STATUS <phase>
 * frames=<n> rtt=<ms> car=<state> local=<type> remote=<type>}.
 *
 * <p>Arguments: server URI, token, car id, relay-only, max seconds. Stops on "quit", end of stdin,
 * or max seconds — or a SIGKILL, which is the point.
 */
public final class FaultDriver {
  private FaultDriver() {}

  public static void main(String[] args) throws Exception {
    long start = System.nanoTime();
    long deadline = start + TimeUnit.SECONDS.toNanos(Long.parseLong(args[4]));
    LinkOptions options = LinkOptions.defaults().withRelayOnly(Boolean.parseBoolean(args[3]));
    try (RtcEngine engine = RtcEngine.create();
        DriverSession session =
            DriverSession.open(engine, URI.create(args[0]), args[1], options, null);
        ScriptedControl control = new ScriptedControl(session)) {
      session.ready().get(15, TimeUnit.SECONDS);
      session.drive(args[2]).get(15, TimeUnit.SECONDS);
      Thread stdin = FaultCar.stdinWatcher();
      long connectedAt = 0;
      long nextReport = 0;
      while (stdin.isAlive() && System.nanoTime() < deadline) {
        long now = System.nanoTime();
        LinkStatus s = session.status();
        if (connectedAt == 0 && s.phase() == LinkStatus.Phase.CONNECTED) {
          connectedAt = now;
        }
        boolean armed = connectedAt != 0 && now - connectedAt > TimeUnit.MILLISECONDS.toNanos(500);
        control.set(armed ? new DriveIntent(0.2, 0.3, 0, true, false, 0) : DriveIntent.NEUTRAL);
        if (now >= nextReport) {
          System.out.println(
              "EVT "
                  + now
                  + " STATUS "
                  + s.phase()
                  + " frames="
                  + s.framesReceived()
                  + " rtt="
                  + s.controlRttMs()
                  + " car="
                  + s.carState()
                  + " local="
                  + s.localCandidate()
                  + " remote="
                  + s.remoteCandidate());
          System.out.flush();
          nextReport = now + TimeUnit.MILLISECONDS.toNanos(100);
        }
        Thread.sleep(20);
      }
    }
    System.exit(0);
  }
}
