package dev.rcdrive.signaling;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Time as the signaling code reads it: a monotonic clock and timers on that clock. Every timeout on
 * either end (authentication, handshake, pings, rate limits, the failed-login budget, the client's
 * backoff and probes) goes through one, so tests run them on a virtual clock they advance instead
 * of waiting for real time on a machine that may be busy.
 */
interface Scheduler {

  /** Nanoseconds on a monotonic clock (any origin), like {@link System#nanoTime()}. */
  long nanoTime();

  /** Runs {@code task} once, {@code delay} from now; a stopped scheduler drops it. */
  Cancellable schedule(Duration delay, Runnable task);

  /** A scheduled task that has not run yet can be called off. */
  interface Cancellable {
    Cancellable NONE = () -> {};

    void cancel();
  }

  /** Real time: {@link System#nanoTime()}, tasks run on {@code executor}'s thread. */
  static Scheduler on(ScheduledExecutorService executor) {
    return new Scheduler() {
      @Override
      public long nanoTime() {
        return System.nanoTime();
      }

      @Override
      public Cancellable schedule(Duration delay, Runnable task) {
        try {
          ScheduledFuture<?> future =
              executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
          return () -> future.cancel(false);
        } catch (RejectedExecutionException stopped) {
          return Cancellable.NONE; // shutting down: nothing will be waiting for it
        }
      }
    };
  }
}
