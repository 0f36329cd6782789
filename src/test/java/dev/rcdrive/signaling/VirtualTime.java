package dev.rcdrive.signaling;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.PriorityQueue;

/**
 * A clock that moves only when a test says so, with the timers scheduled on it. {@link
 * #advance(Duration)} runs every task that falls due, in time order, on the calling thread, with
 * the clock reading each task's due time while it runs. So a test checks a 5 s timeout in
 * microseconds, and a busy machine cannot make it fire early or late.
 */
final class VirtualTime implements Scheduler {

  private final Instant epoch;
  private final PriorityQueue<Task> tasks = new PriorityQueue<>();
  private long now;
  private long sequence;

  private record Task(long due, long sequence, Runnable action, boolean[] cancelled)
      implements Comparable<Task> {
    @Override
    public int compareTo(Task other) {
      int byTime = Long.compare(due, other.due);
      return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
    }
  }

  VirtualTime() {
    this(Instant.ofEpochSecond(1_700_000_000L));
  }

  /**
   * @param epoch what the wall {@link #clock()} reads before any advance
   */
  VirtualTime(Instant epoch) {
    this.epoch = epoch;
  }

  @Override
  public synchronized long nanoTime() {
    return now;
  }

  @Override
  public synchronized Cancellable schedule(Duration delay, Runnable task) {
    boolean[] cancelled = {false};
    tasks.add(new Task(now + Math.max(0, delay.toNanos()), sequence++, task, cancelled));
    return () -> {
      synchronized (this) {
        cancelled[0] = true;
      }
    };
  }

  /** Moves the clock forward, running what falls due on the way. */
  void advance(Duration by) {
    long target;
    synchronized (this) {
      target = now + by.toNanos();
    }
    while (true) {
      Task next;
      synchronized (this) {
        next = tasks.peek();
        if (next == null || next.due > target) {
          now = target;
          return;
        }
        tasks.poll();
        now = next.due;
        if (next.cancelled[0]) {
          continue;
        }
      }
      next.action.run(); // outside the monitor: a task may schedule another
    }
  }

  /** Tasks waiting that were not cancelled. */
  synchronized int pending() {
    return (int) tasks.stream().filter(task -> !task.cancelled[0]).count();
  }

  /** How far away the earliest waiting task is, or null when none waits. */
  synchronized Duration nextDue() {
    return tasks.stream()
        .filter(task -> !task.cancelled[0])
        .map(task -> Duration.ofNanos(task.due - now))
        .min(Duration::compareTo)
        .orElse(null);
  }

  /** The wall clock, moving with this time (for TURN credential expiry). */
  Clock clock() {
    return new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return epoch.plusNanos(nanoTime());
      }
    };
  }
}
