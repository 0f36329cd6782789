package dev.rcdrive.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;

/** The figures of one {@link SignalingLoadBench} run, and their Markdown. */
record SignalingReport(
    SignalingLoadBench.Settings settings,
    int paired,
    int openAtEnd,
    ConnectionHealth health,
    long rampNanos,
    ServerProcess.Memory idle,
    ServerProcess.Memory loaded,
    RelayProbe.Summary relay,
    long maxSenderLagNanos,
    ResourceUse relayUse) {

  /** What the server is meant to sustain (docs/benchmarks.md). */
  static final int GOAL_CONNECTIONS = 5_000;

  static final int GOAL_MESSAGES_PER_SECOND = 1_000;
  static final double GOAL_P99_MILLIS = 10;

  private static final double MIB = 1024 * 1024;

  /** Every connection made, kept and clean, and every message delivered to the right peer. */
  boolean clean() {
    return paired == settings.pairs()
        && openAtEnd == settings.connections()
        && health.clean()
        && relay.lost() == 0
        && relay.misrouted() == 0
        && relay.malformed() == 0;
  }

  String markdown() {
    int connections = settings.connections();
    StringBuilder md = new StringBuilder();
    md.append("### Signaling load run, ")
        .append(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")))
        .append("\n\n")
        .append(machine())
        .append("\n\n| Measure | Result |\n|---|---|\n");
    row(
        md,
        "Connections held to the end",
        "%,d of %,d (%,d cars + %,d drivers, %,d pairs granted)",
        openAtEnd,
        connections,
        settings.pairs(),
        settings.pairs(),
        paired);
    row(
        md,
        "Closed / errors / server refusals",
        "%,d / %,d / %s",
        health.closes(),
        health.errors(),
        refusals(health.refusals()));
    row(
        md,
        "Ramp: connect, hello, drive, granted",
        "%.1f s for %,d connections (paced at %,d/s)",
        rampNanos / 1e9,
        connections,
        settings.connectsPerSecond());
    row(
        md,
        "Relay schedule",
        "%,d candidates/s, open loop, %d s measured after %d s warm-up",
        settings.messagesPerSecond(),
        settings.seconds(),
        settings.warmupSeconds());
    row(
        md,
        "Messages sent / received / lost",
        "%,d / %,d / %,d (measured: %,d / %,d; misrouted %,d)",
        relay.sent(),
        relay.received(),
        relay.lost(),
        relay.sentMeasured(),
        relay.receivedMeasured(),
        relay.misrouted());
    row(
        md,
        "Server live heap (after full GC)",
        "%.1f → %.1f MiB: **%.1f KiB per connection**",
        idle.liveHeapBytes() / MIB,
        loaded.liveHeapBytes() / MIB,
        perConnectionKib(idle.liveHeapBytes(), loaded.liveHeapBytes()));
    row(
        md,
        "Server RSS",
        "%.1f → %.1f MiB: %.1f KiB per connection",
        idle.residentBytes() / MIB,
        loaded.residentBytes() / MIB,
        perConnectionKib(idle.residentBytes(), loaded.residentBytes()));
    row(
        md,
        "CPU during the relay (% of one core)",
        "server %.0f, load generator %.0f, everything else %.0f; hypervisor steal %.0f",
        relayUse.percentOfCore(relayUse.serverCpuNanos()),
        relayUse.percentOfCore(relayUse.benchCpuNanos()),
        relayUse.percentOfCore(relayUse.otherCpuNanos()),
        relayUse.percentOfCore(relayUse.machineStealNanos()));
    row(
        md,
        "GC pauses during the relay",
        "server %s; load generator %s",
        relayUse.serverGc(),
        relayUse.benchGc());
    row(md, "Sender lag, max", "%.2f ms behind the open-loop schedule", maxSenderLagNanos / 1e6);
    row(md, "Goal: 5,000 held, relay p99 < 10 ms at 1,000 msg/s", "%s", goalVerdict());
    md.append("\n| Relay latency (ms) | p50 | p90 | p99 | p99.9 | max | samples |\n")
        .append("|---|---|---|---|---|---|---|\n");
    latencyRow(md, "from intended send time", relay.fromIntended());
    latencyRow(md, "from actual send time", relay.fromSent());
    if (!health.samples().isEmpty()) {
      md.append("\nFirst problems:\n\n");
      health.samples().forEach(sample -> md.append("- ").append(sample).append('\n'));
    }
    return md.toString();
  }

  private String goalVerdict() {
    if (connections() < GOAL_CONNECTIONS
        || settings.messagesPerSecond() < GOAL_MESSAGES_PER_SECOND) {
      return "not judged at these settings";
    }
    boolean held = openAtEnd == settings.connections() && health.clean();
    boolean fast = relay.fromIntended().getTotalCount() > 0 && p99Millis() < GOAL_P99_MILLIS;
    if (held && fast && relay.lost() == 0) {
      return "**met**";
    }
    List<String> misses = new ArrayList<>();
    if (!held) {
      misses.add("connections dropped");
    }
    if (!fast) {
      misses.add(String.format(Locale.ROOT, "p99 %.2f ms", p99Millis()));
    }
    if (relay.lost() > 0) {
      misses.add(relay.lost() + " messages lost");
    }
    return "**missed**: " + String.join(", ", misses);
  }

  private int connections() {
    return settings.connections();
  }

  private double p99Millis() {
    return relay.fromIntended().getValueAtPercentile(99) / 1e6;
  }

  private double perConnectionKib(long before, long after) {
    return (after - before) / 1024.0 / settings.connections();
  }

  private static String refusals(Map<String, Long> counts) {
    if (counts.isEmpty()) {
      return "none";
    }
    return counts.entrySet().stream()
        .map(entry -> entry.getKey() + " ×" + entry.getValue())
        .collect(Collectors.joining(", "));
  }

  private static void latencyRow(StringBuilder md, String label, Histogram latency) {
    md.append("| ").append(label);
    for (double percentile : new double[] {50, 90, 99, 99.9}) {
      md.append(
          String.format(Locale.ROOT, " | %.2f", latency.getValueAtPercentile(percentile) / 1e6));
    }
    md.append(
        String.format(
            Locale.ROOT,
            " | %.2f | %,d |%n",
            latency.getMaxValue() / 1e6,
            latency.getTotalCount()));
  }

  private static void row(StringBuilder md, String measure, String format, Object... args) {
    md.append("| ")
        .append(measure)
        .append(" | ")
        .append(String.format(Locale.ROOT, format, args))
        .append(" |\n");
  }

  /** Cores, CPU model, kernel and Java: the figures mean little without them. */
  private static String machine() {
    String model = "unknown CPU";
    try {
      model =
          Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
              .filter(line -> line.startsWith("model name"))
              .map(line -> line.substring(line.indexOf(':') + 1).trim())
              .findFirst()
              .orElse(model);
    } catch (IOException e) {
      // not Linux: leave the model unknown
    }
    String loadAverage = "unknown";
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
      loadAverage = fields[0] + " " + fields[1] + " " + fields[2];
    } catch (IOException e) {
      // not Linux
    }
    return String.format(
        Locale.ROOT,
        "Machine: %d cores (%s), %s %s, Java %s; load average %s at the end. Server (child JVM,"
            + " -Xmx1g) and load generator share the machine and 127.0.0.1.",
        Runtime.getRuntime().availableProcessors(),
        model,
        System.getProperty("os.name"),
        System.getProperty("os.version"),
        System.getProperty("java.version"),
        loadAverage);
  }
}
