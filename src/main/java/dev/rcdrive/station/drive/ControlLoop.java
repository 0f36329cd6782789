package dev.rcdrive.station.drive;

import dev.rcdrive.protocol.ControlFrame;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Sends the driver's intent as control frames: every 20 ms as a heartbeat (the car's watchdog needs
 * it) and at once when the intent changes (latency: no waiting for the next tick). Runs on its own
 * thread; {@link #set} may be called from any thread and never blocks.
 */
public final class ControlLoop implements AutoCloseable {

  public static final long PERIOD_MILLIS = 20;

  /** An intent not renewed for this long is stale: the loop sends neutral, disarmed frames. */
  public static final long STALE_MILLIS = 500;

  private final Predicate<byte[]> sender;
  private final boolean sendOnChange;
  private final ScheduledExecutorService thread;
  private volatile DriveIntent intent = DriveIntent.NEUTRAL;
  private volatile long lastSetNanos = System.nanoTime();

  /**
   * Set when the intent went stale; cleared only by a disarmed intent. An input that comes back
   * from a stall still says "armed", and the car arms on a disarmed frame followed by an armed one:
   * without the latch, a stall would re-arm the car by itself.
   */
  private volatile boolean staleLatched;

  /** Set first thing in {@link #close}: from then on no input's intent goes out. */
  private volatile boolean closing;

  private final Object sendLock = new Object();
  private long seq; // guarded by sendLock
  private boolean closed; // guarded by sendLock
  private volatile long framesSent;

  /**
   * @param sender hands one encoded frame to the data channel; false when it could not
   */
  public ControlLoop(Predicate<byte[]> sender) {
    this(sender, PERIOD_MILLIS);
  }

  /** With another heartbeat period (tests use a long one to see on-change sends alone). */
  public ControlLoop(Predicate<byte[]> sender, long periodMillis) {
    this(sender, periodMillis, true);
  }

  /**
   * @param sendOnChange false: send only on the fixed period, as the FRC driver station does (the
   *     input-latency benchmark's baseline); the station always sends on change
   */
  public ControlLoop(Predicate<byte[]> sender, long periodMillis, boolean sendOnChange) {
    this.sender = sender;
    this.sendOnChange = sendOnChange;
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "control-loop");
              t.setDaemon(true);
              t.setPriority(Thread.MAX_PRIORITY);
              return t;
            });
    thread.scheduleAtFixedRate(this::sendNow, 0, periodMillis, TimeUnit.MILLISECONDS);
  }

  /**
   * The new intent; sent at once if it differs from the last one. Inputs call this on every poll
   * (each FX pulse, each gamepad poll), changed or not: it is also their sign of life.
   */
  public void set(DriveIntent next) {
    if (closing) {
      return;
    }
    DriveIntent previous = renew(next);
    if (sendOnChange && !next.equals(previous) && !thread.isShutdown()) {
      thread.execute(this::sendNow);
    }
  }

  /**
   * As {@link #set}, but a change is sent on the calling thread: for inputs that poll on a thread
   * of their own (the gamepad), it saves waking the loop's thread — on a busy machine each wake-up
   * can wait milliseconds for a core. Never call it from the FX thread: the sender may block.
   */
  public void setAndSend(DriveIntent next) {
    if (closing) {
      return;
    }
    DriveIntent previous = renew(next);
    if (sendOnChange && !next.equals(previous)) {
      sendNow();
    }
  }

  /** Takes the input's new intent as its sign of life; returns the one it replaces. */
  private DriveIntent renew(DriveIntent next) {
    DriveIntent previous = intent;
    intent = next;
    lastSetNanos = System.nanoTime();
    if (!next.armed()) {
      staleLatched = false; // the station disarmed: the next arming is the driver's own
    }
    return previous;
  }

  public DriveIntent intent() {
    return intent;
  }

  public long framesSent() {
    return framesSent;
  }

  private void sendNow() {
    DriveIntent current = intent;
    if (System.nanoTime() - lastSetNanos > TimeUnit.MILLISECONDS.toNanos(STALE_MILLIS)) {
      // The input stopped (a frozen window, a dead poll thread): a stale "armed, full throttle"
      // must not keep the car going; heartbeats carry a neutral, disarmed intent instead, and keep
      // doing so after the input comes back until it says "disarmed" once.
      staleLatched = true;
    }
    if (staleLatched) {
      current = DriveIntent.NEUTRAL.withEstop(current.estop()); // an E-STOP stays latched
    }
    send(current, false);
  }

  /** One frame; serialized, as the loop's thread and {@link #setAndSend} callers both send. */
  private void send(DriveIntent current, boolean last) {
    synchronized (sendLock) {
      if (closed || (closing && !last)) {
        return; // the neutral frame of close() stays the last one
      }
      closed = last;
      seq = (seq + 1) & 0xFFFF_FFFFL;
      ControlFrame frame =
          new ControlFrame(
              seq,
              System.nanoTime() / 1000,
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
   * One neutral, disarmed frame, then stop: what a driver leaving (window closed, unplugged
   * controller) must leave behind.
   */
  @Override
  public void close() {
    closing = true;
    if (thread.isShutdown()) {
      return;
    }
    // Leaving does not clear an E-STOP: the car keeps it latched for whoever drives next.
    DriveIntent last = DriveIntent.NEUTRAL.withEstop(intent.estop());
    intent = last;
    try {
      thread.submit(() -> send(last, true)).get(1, TimeUnit.SECONDS);
    } catch (Exception e) {
      // the link is gone; the car's watchdog does the rest
    }
    thread.shutdownNow();
  }
}
