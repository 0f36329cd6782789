package dev.rcdrive.agent.service;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds systemd's watchdog ({@code WatchdogSec=}) only while the car's control tick really runs:
 * every {@code period} it sends "WATCHDOG=1" if the tick completed within the last {@code
 * maxTickAge}, and nothing otherwise. A stalled, stopped or deadlocked tick — a SIGSTOP, a long GC
 * pause, a deadlock — stops the pings within {@code maxTickAge} (less than one period); systemd
 * then kills the process and its stop step writes neutral from outside (docs/decisions/0006).
 */
public final class ServiceWatchdog implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ServiceWatchdog.class);

  /** A tick older than this is stalled: ten control ticks. */
  public static final long MAX_TICK_AGE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  /** Pings per watchdog timeout: four, so one late ping never trips it. */
  static final int PINGS_PER_TIMEOUT = 4;

  private final SystemdNotify notify;
  private final LongSupplier lastTickNanos;
  private final LongSupplier clock;
  private final long maxTickAgeNanos;
  private final ScheduledExecutorService thread;
  private long pings;
  private boolean stalled;

  ServiceWatchdog(
      SystemdNotify notify, LongSupplier lastTickNanos, LongSupplier clock, long maxTickAgeNanos) {
    this.notify = notify;
    this.lastTickNanos = lastTickNanos;
    this.clock = clock;
    this.maxTickAgeNanos = maxTickAgeNanos;
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "agent-service-watchdog");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * The period systemd asks for ({@code WATCHDOG_USEC}) divided by {@link #PINGS_PER_TIMEOUT};
   * empty when there is no watchdog for this process ({@code WATCHDOG_PID} names another).
   */
  public static Optional<Long> periodNanos(Map<String, String> env, long pid) {
    String usec = env.get("WATCHDOG_USEC");
    String forPid = env.get("WATCHDOG_PID");
    if (usec == null || usec.isBlank()) {
      return Optional.empty();
    }
    if (forPid != null && !forPid.isBlank() && Long.parseLong(forPid.trim()) != pid) {
      return Optional.empty();
    }
    long micros = Long.parseLong(usec.trim());
    if (micros <= 0) {
      return Optional.empty();
    }
    return Optional.of(TimeUnit.MICROSECONDS.toNanos(micros) / PINGS_PER_TIMEOUT);
  }

  /** Pings every {@code periodNanos} while the tick runs, on a daemon thread of its own. */
  public static ServiceWatchdog start(
      SystemdNotify notify, LongSupplier lastTickNanos, long periodNanos) {
    ServiceWatchdog watchdog =
        new ServiceWatchdog(notify, lastTickNanos, System::nanoTime, MAX_TICK_AGE_NANOS);
    watchdog.thread.scheduleAtFixedRate(
        watchdog::pingIfAlive, 0, periodNanos, TimeUnit.NANOSECONDS);
    return watchdog;
  }

  /** One round: pings when the tick is fresh; returns whether it pinged. */
  synchronized boolean pingIfAlive() {
    long age = clock.getAsLong() - lastTickNanos.getAsLong();
    if (age > maxTickAgeNanos) {
      if (!stalled) {
        log.error(
            "the control tick has not run for {} ms: no more watchdog pings (systemd will stop"
                + " the agent and its stop step writes neutral)",
            TimeUnit.NANOSECONDS.toMillis(age));
      }
      stalled = true;
      return false;
    }
    stalled = false;
    try {
      notify.send("WATCHDOG=1");
      pings++;
      return true;
    } catch (IOException | RuntimeException e) {
      if (pings == 0 || pings % 1000 == 0) {
        log.warn("watchdog ping: {}", e.toString());
      }
      return false;
    }
  }

  synchronized long pings() {
    return pings;
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
