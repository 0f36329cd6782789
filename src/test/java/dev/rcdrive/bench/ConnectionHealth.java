package dev.rcdrive.bench;

import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Everything that went wrong with the benchmark's connections while they were meant to stay up:
 * closes, transport errors, and the server's {@code error}/{@code denied} answers by code. The
 * first few are kept in words for the report.
 */
final class ConnectionHealth {

  private static final int SAMPLES = 5;

  private final LongAdder closes = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final Map<String, LongAdder> refusals = new ConcurrentHashMap<>();
  private final Queue<String> samples = new ConcurrentLinkedQueue<>();
  private final AtomicInteger sampled = new AtomicInteger();
  private volatile boolean watching = true;

  void closed(BenchPeer peer, int code, String reason) {
    if (watching) {
      closes.increment();
      sample(peer + " closed by the server: " + code + " " + reason);
    }
  }

  void failed(BenchPeer peer, Throwable error) {
    if (watching) {
      errors.increment();
      sample(peer + " failed: " + error);
    }
  }

  void refused(BenchPeer peer, String code, String message) {
    if (watching) {
      refusals.computeIfAbsent(code, c -> new LongAdder()).increment();
      sample(peer + " got " + code + ": " + message);
    }
  }

  /** The run is over: closes from here on are the benchmark's own teardown. */
  void stopWatching() {
    watching = false;
  }

  long closes() {
    return closes.sum();
  }

  long errors() {
    return errors.sum();
  }

  Map<String, Long> refusals() {
    Map<String, Long> counts = new TreeMap<>();
    refusals.forEach((code, count) -> counts.put(code, count.sum()));
    return counts;
  }

  List<String> samples() {
    return List.copyOf(samples);
  }

  boolean clean() {
    return closes() == 0 && errors() == 0 && refusals.isEmpty();
  }

  private void sample(String description) {
    if (sampled.getAndIncrement() < SAMPLES) {
      samples.add(description);
    }
  }
}
