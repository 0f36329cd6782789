package dev.rcdrive.agent.service;

import java.io.IOException;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The agent's side of a {@code Type=notify} service with {@code WatchdogSec=}: READY=1 (sent when
 * the outputs are open at neutral and the control tick runs), watchdog pings while that tick runs,
 * STOPPING=1 on close. Does nothing when the process does not run under systemd.
 */
public final class SystemdService implements AutoCloseable {

  private final SystemdNotify notify;
  private final ServiceWatchdog watchdog;

  private SystemdService(SystemdNotify notify, ServiceWatchdog watchdog) {
    this.notify = notify;
    this.watchdog = watchdog;
  }

  /**
   * Tells systemd the service is ready ({@code status} is shown by {@code systemctl status}) and
   * starts the watchdog pings when systemd asked for them ({@code WATCHDOG_USEC}).
   */
  public static SystemdService announceReady(
      String status, LongSupplier lastTickNanos, Map<String, String> env, long pid)
      throws IOException {
    SystemdNotify notify = SystemdNotify.fromEnvironment(env).orElse(null);
    if (notify == null) {
      return new SystemdService(null, null);
    }
    try {
      notify.send("READY=1\nSTATUS=" + status);
    } catch (IOException e) {
      notify.close();
      throw e;
    }
    ServiceWatchdog watchdog =
        ServiceWatchdog.periodNanos(env, pid)
            .map(period -> ServiceWatchdog.start(notify, lastTickNanos, period))
            .orElse(null);
    return new SystemdService(notify, watchdog);
  }

  /** True when systemd was told anything (the process runs as a notify service). */
  public boolean active() {
    return notify != null;
  }

  /** True when watchdog pings are being sent. */
  public boolean watchdogActive() {
    return watchdog != null;
  }

  @Override
  public void close() {
    if (watchdog != null) {
      watchdog.close();
    }
    if (notify != null) {
      try {
        notify.send("STOPPING=1");
      } catch (IOException e) {
        // systemd knows from the process ending
      }
      notify.close();
    }
  }
}
