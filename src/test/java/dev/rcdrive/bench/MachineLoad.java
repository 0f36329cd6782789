package dev.rcdrive.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * CPU of the whole machine, of this JVM (and each of its threads, native ones included), and this
 * JVM's GC pauses at one instant, from /proc. Two samples give a phase's load: how much of the two
 * cores the measurement itself used, and how much other processes took (on this shared machine, the
 * builds and tests of other checkouts).
 */
record MachineLoad(
    long wallNanos,
    long busyTicks,
    long stealTicks,
    long processTicks,
    Map<String, Long> threadTicks,
    GcPauses gc) {

  /** /proc counts in USER_HZ ticks, which Linux fixes at 100 per second. */
  private static final double TICK_NANOS = 10_000_000;

  static MachineLoad sample() {
    long[] machine = machineTicks();
    return new MachineLoad(
        System.nanoTime(),
        machine[0],
        machine[1],
        readProcessTicks(),
        readThreadTicks(),
        GcPauses.ofThisJvm());
  }

  /** The load between two samples. */
  Usage since(MachineLoad start) {
    double wall = wallNanos - start.wallNanos;
    double busy = (busyTicks - start.busyTicks) * TICK_NANOS;
    double process = (processTicks - start.processTicks) * TICK_NANOS;
    List<Map.Entry<String, Double>> threads = new ArrayList<>();
    Map<String, Double> byName = new HashMap<>();
    for (Map.Entry<String, Long> entry : threadTicks.entrySet()) {
      long before = start.threadTicks.getOrDefault(entry.getKey(), 0L);
      String name = entry.getKey().substring(entry.getKey().indexOf(' ') + 1);
      byName.merge(name, (entry.getValue() - before) * TICK_NANOS / wall * 100, Double::sum);
    }
    threads.addAll(byName.entrySet());
    threads.sort(Map.Entry.<String, Double>comparingByValue().reversed());
    return new Usage(
        wall / 1e9,
        process / wall * 100,
        Math.max(0, busy - process) / wall * 100,
        (stealTicks - start.stealTicks) * TICK_NANOS / wall * 100,
        gc.minus(start.gc),
        threads.subList(0, Math.min(8, threads.size())),
        loadAverage());
  }

  /**
   * A phase's load, CPU in % of one core (the machine has two: 200 % is all of it).
   *
   * @param threads this JVM's busiest threads by name (same-named threads summed)
   */
  record Usage(
      double seconds,
      double processPercent,
      double otherPercent,
      double stealPercent,
      GcPauses gc,
      List<Map.Entry<String, Double>> threads,
      String loadAverage) {

    String describe() {
      return String.format(
          Locale.ROOT,
          "this JVM %.0f %%, other processes %.0f %%, steal %.0f %% (of one core, over %.0f s);"
              + " GC %s; load average %s",
          processPercent,
          otherPercent,
          stealPercent,
          seconds,
          gc,
          loadAverage);
    }

    String busiestThreads() {
      return threads.stream()
          .map(e -> String.format(Locale.ROOT, "%s %.0f %%", e.getKey(), e.getValue()))
          .collect(Collectors.joining(", "));
    }
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

  /** utime + stime of this process, ended threads included. */
  static long readProcessTicks() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** Busy and steal ticks of the machine (see {@link #machineTicks()}). */
  static long[] machineNow() {
    return machineTicks();
  }

  /** utime + stime of every thread of this process, keyed "tid name". */
  private static Map<String, Long> readThreadTicks() {
    Map<String, Long> ticks = new HashMap<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
      for (Path task : tasks) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          int open = stat.indexOf('(');
          int close = stat.lastIndexOf(')');
          String name = stat.substring(open + 1, close);
          String[] fields = stat.substring(close + 2).split(" ");
          // after "pid (comm) ": state is index 0, utime 11, stime 12
          long used = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
          ticks.put(task.getFileName() + " " + name, used);
        } catch (IOException | RuntimeException e) {
          // the thread ended meanwhile
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return ticks;
  }

  static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** Cores, CPU model, kernel and Java: the figures mean little without them. */
  static String machine() {
    String model = "unknown CPU";
    try {
      model =
          Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
              .filter(line -> line.startsWith("model name"))
              .map(line -> line.substring(line.indexOf(':') + 1).trim())
              .findFirst()
              .orElse(model);
    } catch (IOException e) {
      // not Linux
    }
    return String.format(
        Locale.ROOT,
        "%d cores (%s), %s %s, Java %s",
        Runtime.getRuntime().availableProcessors(),
        model,
        System.getProperty("os.name"),
        System.getProperty("os.version"),
        System.getProperty("java.version"));
  }
}
