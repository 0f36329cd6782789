package dev.rcdrive.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * CPU time and GC pauses of the server, the load generator and the whole machine, sampled before
 * and after a phase of the run. On a small shared machine the difference tells whether a slow run
 * was the server's doing, the load generator's, or another process's.
 */
record ResourceUse(
    long wallNanos,
    long serverCpuNanos,
    long benchCpuNanos,
    long machineBusyNanos,
    long machineStealNanos,
    GcPauses serverGc,
    GcPauses benchGc) {

  /** /proc/stat counts in USER_HZ ticks, which Linux fixes at 100 per second. */
  private static final long NANOS_PER_TICK = 10_000_000;

  static ResourceUse sample(ServerProcess server) throws IOException, InterruptedException {
    long[] machine = machineTicks();
    return new ResourceUse(
        System.nanoTime(),
        server.cpuTime().toNanos(),
        ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO).toNanos(),
        machine[0] * NANOS_PER_TICK,
        machine[1] * NANOS_PER_TICK,
        server.gcPauses(),
        GcPauses.ofThisJvm());
  }

  ResourceUse since(ResourceUse start) {
    return new ResourceUse(
        wallNanos - start.wallNanos,
        serverCpuNanos - start.serverCpuNanos,
        benchCpuNanos - start.benchCpuNanos,
        machineBusyNanos - start.machineBusyNanos,
        machineStealNanos - start.machineStealNanos,
        serverGc.minus(start.serverGc),
        benchGc.minus(start.benchGc));
  }

  /** A CPU time as a share of one core over the phase, in percent. */
  double percentOfCore(long cpuNanos) {
    return wallNanos <= 0 ? 0 : 100.0 * cpuNanos / wallNanos;
  }

  /** CPU used by neither the server nor the load generator: other processes and the kernel. */
  long otherCpuNanos() {
    return Math.max(0, machineBusyNanos - serverCpuNanos - benchCpuNanos);
  }

  /** Busy (user, nice, system, irq, softirq) and steal ticks of all CPUs; zeros off Linux. */
  private static long[] machineTicks() {
    try {
      String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long busy = 0;
      for (int field : new int[] {1, 2, 3, 6, 7}) {
        busy += Long.parseLong(cpu[field]);
      }
      return new long[] {busy, Long.parseLong(cpu[8])};
    } catch (IOException | RuntimeException e) {
      return new long[] {0, 0};
    }
  }
}
