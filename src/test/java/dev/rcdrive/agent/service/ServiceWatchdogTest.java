package dev.rcdrive.agent.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rcdrive.testing.FakeSystemd;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's side of systemd's notify protocol, against a real Unix datagram socket standing in
 * for systemd's ({@code NOTIFY_SOCKET}): READY arrives, pings come at the period, and they stop
 * within one period once the control tick stalls. The decision itself is checked on an injected
 * clock.
 */
class ServiceWatchdogTest {

  @TempDir Path dir;

  @Test
  void readyThenPingsAtThePeriodThenNoneOnceTheTickStalls() throws Exception {
    AtomicLong lastTick = new AtomicLong(System.nanoTime());
    AtomicLong stalled = new AtomicLong(); // 0: the tick runs
    Thread tick =
        new Thread(
            () -> {
              while (stalled.get() == 0) {
                lastTick.set(System.nanoTime());
                try {
                  Thread.sleep(10);
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
    tick.setDaemon(true);
    tick.start();
    long pid = ProcessHandle.current().pid();
    try (FakeSystemd systemd = new FakeSystemd(dir.resolve("notify"));
        SystemdService service =
            SystemdService.announceReady("test", lastTick::get, systemd.env(400_000, pid), pid)) {
      assertThat(service.watchdogActive()).isTrue();
      FakeSystemd.Message ready = systemd.await("READY=1", 5000);
      assertThat(ready.text()).contains("STATUS=test");

      // ten pings at a 100 ms period (WATCHDOG_USEC 400 ms / 4)
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(5))
          .until(() -> systemd.pings().size() >= 10);
      List<Long> pings = systemd.pings();
      long span = TimeUnit.NANOSECONDS.toMillis(pings.get(pings.size() - 1) - pings.get(0));
      // at the period on average; a busy machine may delay one, never starve them
      assertThat(span / (double) (pings.size() - 1)).isBetween(80.0, 160.0);
      assertThat(pings.get(0)).isGreaterThanOrEqualTo(ready.nanos() - 1);

      stalled.set(1);
      tick.join();
      long stallAt = lastTick.get(); // the tick's last run
      // Wait well past one period (a deadline, checked on the clock), then look back.
      long lookAt = stallAt + TimeUnit.MILLISECONDS.toNanos(800);
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(5))
          .until(() -> System.nanoTime() > lookAt);
      List<Long> late = systemd.pings().stream().filter(t -> t > stallAt).toList();
      // pings stop once the tick is older than 100 ms: within one period (100 ms) of the stall,
      // plus 100 ms for a busy machine to schedule the last one
      assertThat(late.stream().map(t -> (t - stallAt) / 1_000_000).toList())
          .as("ms after the stall")
          .allMatch(ms -> ms <= 200);
    }
  }

  @Test
  void pingsOnlyWhileTheTickIsFresh() throws Exception {
    long[] now = {1_000_000_000L};
    long[] lastTick = {now[0]};
    List<String> sent = new ArrayList<>();
    long pid = ProcessHandle.current().pid();
    try (FakeSystemd systemd = new FakeSystemd(dir.resolve("n"));
        SystemdNotify notify =
            SystemdNotify.fromEnvironment(systemd.env(1_000_000, pid)).orElseThrow()) {
      ServiceWatchdog watchdog =
          new ServiceWatchdog(
              notify, () -> lastTick[0], () -> now[0], ServiceWatchdog.MAX_TICK_AGE_NANOS);
      sent.add("fresh " + watchdog.pingIfAlive());
      now[0] += ServiceWatchdog.MAX_TICK_AGE_NANOS; // exactly at the limit: still alive
      sent.add("limit " + watchdog.pingIfAlive());
      now[0] += 1;
      sent.add("stale " + watchdog.pingIfAlive());
      lastTick[0] = now[0]; // the tick runs again
      sent.add("again " + watchdog.pingIfAlive());
      watchdog.close();
      assertThat(watchdog.pings()).isEqualTo(3);
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(5))
          .until(() -> systemd.pings().size() == 3);
    }
    assertThat(sent).containsExactly("fresh true", "limit true", "stale false", "again true");
  }

  @Test
  void noSocketNoNotificationsAndAWatchdogForAnotherPidIsNotOurs() throws Exception {
    assertThat(SystemdNotify.fromEnvironment(Map.of())).isEmpty();
    assertThat(
            ServiceWatchdog.periodNanos(
                Map.of("WATCHDOG_USEC", "1000000", "WATCHDOG_PID", "1"), 4242))
        .isEmpty();
    assertThat(ServiceWatchdog.periodNanos(Map.of("WATCHDOG_USEC", "1000000"), 4242))
        .contains(TimeUnit.MILLISECONDS.toNanos(250));
  }
}
