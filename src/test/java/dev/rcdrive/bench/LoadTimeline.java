package dev.rcdrive.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The machine's load second by second during a phase: how much CPU other processes took in each
 * second, so a measured frame can be put beside the load at the time it was sent (does the tail
 * come when someone else is busy?). A daemon thread; {@link #close()} stops it.
 */
final class LoadTimeline implements AutoCloseable {

  private static final double TICK_NANOS = 10_000_000;

  /** One interval: CPU in % of one core. */
  record Second(long fromNanos, long toNanos, double processPercent, double otherPercent) {}

  private final List<Second> seconds = new ArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;

  LoadTimeline() {
    thread = new Thread(this::run, "bench-load");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    long from = System.nanoTime();
    long[] machine = MachineLoad.machineNow();
    long process = MachineLoad.readProcessTicks();
    while (running) {
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        return;
      }
      long to = System.nanoTime();
      long[] machineNow = MachineLoad.machineNow();
      long processNow = MachineLoad.readProcessTicks();
      double wall = to - from;
      double busy = (machineNow[0] - machine[0]) * TICK_NANOS;
      double mine = (processNow - process) * TICK_NANOS;
      synchronized (seconds) {
        seconds.add(new Second(from, to, mine / wall * 100, Math.max(0, busy - mine) / wall * 100));
      }
      from = to;
      machine = machineNow;
      process = processNow;
    }
  }

  /** Other processes' CPU (% of one core) in the interval holding that instant, NaN if none. */
  double otherPercentAt(long nanos) {
    synchronized (seconds) {
      for (Second second : seconds) {
        if (nanos >= second.fromNanos() && nanos < second.toNanos()) {
          return second.otherPercent();
        }
      }
    }
    return Double.NaN;
  }

  List<Second> seconds() {
    synchronized (seconds) {
      return List.copyOf(seconds);
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
