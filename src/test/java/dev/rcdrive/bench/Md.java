package dev.rcdrive.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/** Markdown bits shared by the WebRTC benchmarks; histograms hold nanoseconds. */
final class Md {
  static final Path OUTPUT = Path.of("target", "bench");

  private Md() {}

  static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }

  static double ms(Histogram histogram, double percentile) {
    return histogram.getTotalCount() == 0
        ? Double.NaN
        : histogram.getValueAtPercentile(percentile) / 1e6;
  }

  static double p50(Histogram histogram) {
    return ms(histogram, 50);
  }

  static double p99(Histogram histogram) {
    return ms(histogram, 99);
  }

  /** "| label | p50 | p90 | p99 | p99.9 | max | n |" in ms with {@code digits} decimals. */
  static String latencyRow(String label, Histogram histogram, int digits) {
    String cell = " | %." + digits + "f";
    StringBuilder row = new StringBuilder("| ").append(label);
    for (double percentile : new double[] {50, 90, 99, 99.9}) {
      row.append(f(cell, ms(histogram, percentile)));
    }
    row.append(
        f(cell, histogram.getTotalCount() == 0 ? Double.NaN : histogram.getMaxValue() / 1e6));
    return row.append(f(" | %,d |%n", histogram.getTotalCount())).toString();
  }

  static String latencyHeader(String first) {
    return "| "
        + first
        + " | p50 | p90 | p99 | p99.9 | max | samples |\n|---|---|---|---|---|---|---|\n";
  }

  /** A number with that many decimals, or "–" when there is none. */
  static String num(double value, int digits) {
    return Double.isFinite(value) ? f("%." + digits + "f", value) : "–";
  }

  static String ratio(double ours, double raw) {
    return raw > 0 && Double.isFinite(ours) ? f("%.2f×", ours / raw) : "n/a";
  }

  static void write(String name, String markdown) throws IOException {
    Files.createDirectories(OUTPUT);
    Files.writeString(OUTPUT.resolve(name), markdown, StandardCharsets.UTF_8);
  }

  /** HdrHistogram's percentile distribution in ms, for plotting or a closer look. */
  static void writeHgrm(String name, Histogram histogram) throws IOException {
    Files.createDirectories(OUTPUT);
    try (PrintStream out = new PrintStream(OUTPUT.resolve(name).toFile(), StandardCharsets.UTF_8)) {
      histogram.outputPercentileDistribution(out, 1e6);
    }
  }

  static void progress(String format, Object... args) {
    System.err.println("bench: " + f(format, args));
  }
}
