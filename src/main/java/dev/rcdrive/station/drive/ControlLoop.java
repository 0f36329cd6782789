package dev.rcdrive.station.drive;

import dev.rcdrive.protocol.ControlFrame;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Sends control frames: every 20 ms as a heartbeat (the car's watchdog needs it) and at once when
 * what to send changed (latency: no waiting for the next tick). It decides nothing about their
 * content: each frame asks its source ({@link DriveController#frame} in the station) what to carry
 * <em>while it holds the loop's send order</em>, so frames go out in the order of the states they
 * carry — a frame can never carry a state older than the frame before it. Sequence numbers, the
 * send time and "the neutral frame is the last one" live here.
 *
 * <p>Threads: a started loop has its own {@code control-loop} thread for the heartbeat; {@link
 * #changed} hands a send to it (for callers that must not block, the FX thread), {@link
 * #changedHere} sends on the caller's thread (the gamepad's poll thread: no wake-up of another
 * thread, which on a busy machine can wait milliseconds for a core). A {@link #manual} loop has no
 * thread: tests send each heartbeat themselves, with a virtual clock in the source.
 */
public final class ControlLoop implements AutoCloseable {

  public static final long PERIOD_MILLIS = 20;

  private final Supplier<DriveIntent> source;
  private final Predicate<byte[]> sender;
  private final boolean sendOnChange;
  private final ScheduledExecutorService thread; // null: a manual loop

  /** Set first thing in {@link #close}: from then on only the last frame goes out. */
  private volatile boolean closing;

  private final Object sendLock = new Object();
  private long seq; // guarded by sendLock
  private DriveIntent lastSent; // guarded by sendLock
  private boolean closed; // guarded by sendLock
  private volatile long framesSent;

  private ControlLoop(
      Supplier<DriveIntent> source,
      Predicate<byte[]> sender,
      boolean sendOnChange,
      ScheduledExecutorService thread) {
    this.source = source;
    this.sender = sender;
    this.sendOnChange = sendOnChange;
    this.thread = thread;
  }

  /**
   * A loop on its own thread: a heartbeat every {@link #PERIOD_MILLIS}, and every change at once.
   *
   * @param source what each frame carries, asked at the moment it is sent
   * @param sender hands one encoded frame to the data channel; false when it could not
   */
  public static ControlLoop start(Supplier<DriveIntent> source, Predicate<byte[]> sender) {
    return start(source, sender, PERIOD_MILLIS, true);
  }

  /**
   * With another heartbeat period (tests use a long one to see on-change sends alone).
   *
   * @param sendOnChange false: send only on the fixed period, as the FRC driver station does (the
   *     input-latency benchmark's baseline); the station always sends on change
   */
  public static ControlLoop start(
      Supplier<DriveIntent> source,
      Predicate<byte[]> sender,
      long periodMillis,
      boolean sendOnChange) {
    ScheduledExecutorService thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "control-loop");
              t.setDaemon(true);
              t.setPriority(Thread.MAX_PRIORITY);
              return t;
            });
    ControlLoop loop = new ControlLoop(source, sender, sendOnChange, thread);
    thread.scheduleAtFixedRate(loop::heartbeat, 0, periodMillis, TimeUnit.MILLISECONDS);
    return loop;
  }

  /** A loop without a thread: {@link #heartbeat} sends one, changes go out on the caller's. */
  public static ControlLoop manual(Supplier<DriveIntent> source, Predicate<byte[]> sender) {
    return new ControlLoop(source, sender, true, null);
  }

  /** One frame now, whatever changed (the period calls it; a manual loop's owner does). */
  public void heartbeat() {
    send(false, false, false);
  }

  /**
   * The source changed: its new frame goes out at once if it differs from the last one sent, on the
   * loop's thread. Never blocks.
   */
  public void changed() {
    if (!sendOnChange || closing) {
      return;
    }
    if (thread == null) {
      send(true, false, false);
      return;
    }
    try {
      thread.execute(() -> send(true, false, false));
    } catch (RejectedExecutionException e) {
      // closed meanwhile: nothing more goes out
    }
  }

  /**
   * As {@link #changed}, but sent on the calling thread. Never call it from the FX thread: the
   * sender may block.
   */
  public void changedHere() {
    if (sendOnChange && !closing) {
      send(true, false, false);
    }
  }

  public long framesSent() {
    return framesSent;
  }

  /**
   * One frame: its content asked of the source under the send order, so the loop's thread and the
   * {@link #changedHere} callers can never send states out of order.
   */
  private void send(boolean onlyIfChanged, boolean last, boolean lastEstop) {
    synchronized (sendLock) {
      if (closed || (closing && !last)) {
        return; // the neutral frame of close() stays the last one
      }
      DriveIntent current = last ? DriveIntent.NEUTRAL.withEstop(lastEstop) : source.get();
      if (onlyIfChanged && current.equals(lastSent)) {
        return;
      }
      closed = last;
      lastSent = current;
      seq = (seq + 1) & 0xFFFF_FFFFL;
      ControlFrame frame =
          new ControlFrame(
              seq,
              System.nanoTime() / 1000, // the clock DriverSession measures the echo against
              current.steering(),
              current.throttle(),
              current.brake(),
              current.armed(),
              current.estop(),
              current.buttons());
      if (sender.test(frame.encode())) {
        framesSent++;
      }
    }
  }

  /**
   * One neutral, disarmed frame, then nothing more: what a driver leaving (window closed, another
   * car) must leave behind. E-STOP as the source says now: leaving does not clear it, the car keeps
   * it latched for whoever drives next.
   */
  @Override
  public void close() {
    close(source.get().estop());
  }

  /** As {@link #close()}, with the last frame's E-STOP given (the state it had when left). */
  public void close(boolean estop) {
    closing = true;
    if (thread == null) {
      send(false, true, estop);
      return;
    }
    if (thread.isShutdown()) {
      return;
    }
    try {
      thread.submit(() -> send(false, true, estop)).get(1, TimeUnit.SECONDS);
    } catch (Exception e) {
      // the link is gone; the car's watchdog does the rest
    }
    thread.shutdownNow();
  }
}
