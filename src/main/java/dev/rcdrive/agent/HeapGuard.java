package dev.rcdrive.agent;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Decides when an idle agent should restart to give back memory it cannot free (webrtc-java's
 * data-channel leak, or any other): once its live heap passes {@code percent} of the maximum, and
 * only while no one drives. Reads the heap only when idle: the reading collects garbage first.
 */
final class HeapGuard {

  /** Heap in use after a collection, and the most it may grow to. */
  record Heap(long usedBytes, long maxBytes) {}

  /** Whether to restart, and why. */
  record Verdict(boolean restart, String reason) {}

  private final int percent;
  private final Supplier<Heap> liveHeap;
  private final BooleanSupplier idle;

  HeapGuard(int percent, Supplier<Heap> liveHeap, BooleanSupplier idle) {
    if (percent < 1 || percent > 100) {
      throw new IllegalArgumentException("percent must be 1-100, got " + percent);
    }
    this.percent = percent;
    this.liveHeap = liveHeap;
    this.idle = idle;
  }

  Verdict check() {
    if (!idle.getAsBoolean()) {
      return new Verdict(false, "driving");
    }
    Heap heap = liveHeap.get();
    long limit = heap.maxBytes() * percent / 100;
    String figures =
        String.format(
            java.util.Locale.ROOT,
            "live heap %d MB of %d MB (restart above %d %%)",
            heap.usedBytes() >> 20,
            heap.maxBytes() >> 20,
            percent);
    // Asked again after reading: a driver may have taken the car during the collection.
    boolean restart = heap.usedBytes() > limit && idle.getAsBoolean();
    return new Verdict(restart, figures);
  }

  /** A full collection, then the heap in use: what is really live. */
  static Heap liveHeapAfterGc() {
    System.gc();
    MemoryUsage usage = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    long max = usage.getMax() > 0 ? usage.getMax() : Runtime.getRuntime().maxMemory();
    return new Heap(usage.getUsed(), max);
  }
}
