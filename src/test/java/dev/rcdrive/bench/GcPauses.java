package dev.rcdrive.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/** Stop-the-world GC pauses of a JVM so far: how many, and their total length. */
record GcPauses(long count, long nanos) {

  /** This JVM's, from its collector beans (which report whole milliseconds). */
  static GcPauses ofThisJvm() {
    long count = 0;
    long millis = 0;
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      count += Math.max(0, collector.getCollectionCount());
      millis += Math.max(0, collector.getCollectionTime());
    }
    return new GcPauses(count, millis * 1_000_000);
  }

  GcPauses minus(GcPauses earlier) {
    return new GcPauses(count - earlier.count, nanos - earlier.nanos);
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%,d pauses, %.1f ms in all", count, nanos / 1e6);
  }
}
