package dev.rcdrive.e2e;

import dev.rcdrive.agent.CarAgent;
import dev.rcdrive.protocol.CarState;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Watches a car from a thread of its own (every half millisecond) and remembers when its state or
 * output changed, so a test can tell how long after an event the car went still, independent of how
 * long the command that caused it took to return.
 */
final class CarWatch implements AutoCloseable {

  /** One change, {@code atNanos} on System.nanoTime(). */
  record Change(long atNanos, CarState state, String reason, boolean still) {}

  private final CarAgent car;
  private final List<Change> changes = new ArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;

  private CarWatch(CarAgent car) {
    this.car = car;
    this.thread = new Thread(this::watch, "car-watch");
    thread.setDaemon(true);
    thread.start();
  }

  static CarWatch start(CarAgent car) {
    return new CarWatch(car);
  }

  private void watch() {
    Change last = null;
    while (running) {
      CarAgent.Status status = car.status();
      boolean still = status.output().throttle() == 0 && status.state() != CarState.ARMED;
      if (last == null
          || last.state() != status.state()
          || !last.reason().equals(status.reason())
          || last.still() != still) {
        last = new Change(System.nanoTime(), status.state(), status.reason(), still);
        synchronized (changes) {
          changes.add(last);
        }
      }
      java.util.concurrent.locks.LockSupport.parkNanos(500_000);
    }
  }

  /** The first change from {@code sinceNanos} on that left the car still, or null. */
  Change firstStill(long sinceNanos) {
    synchronized (changes) {
      for (Change change : changes) {
        if (change.atNanos() >= sinceNanos && change.still()) {
          return change;
        }
      }
    }
    return null;
  }

  /** Milliseconds from {@code sinceNanos} to the first change that left the car still, or -1. */
  long stillAfterMillis(long sinceNanos) {
    Change still = firstStill(sinceNanos);
    return still == null ? -1 : TimeUnit.NANOSECONDS.toMillis(still.atNanos() - sinceNanos);
  }

  /** "+12 ms DISARMED (disarmed by the station); +260 ms FAILSAFE (…)" from {@code sinceNanos}. */
  String since(long sinceNanos) {
    StringBuilder out = new StringBuilder();
    synchronized (changes) {
      for (Change change : changes) {
        if (change.atNanos() >= sinceNanos) {
          out.append(out.isEmpty() ? "" : "; ")
              .append('+')
              .append(TimeUnit.NANOSECONDS.toMillis(change.atNanos() - sinceNanos))
              .append(" ms ")
              .append(change.state())
              .append(" (")
              .append(change.reason())
              .append(')');
        }
      }
    }
    return out.toString();
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.join(1000);
  }
}
