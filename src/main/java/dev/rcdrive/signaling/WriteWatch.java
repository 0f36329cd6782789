package dev.rcdrive.signaling;

import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;

/**
 * Keeps a queued message from waiting for the connection's next write.
 *
 * <p>Java-WebSocket 1.6.0's selector thread writes a connection's queue and, once it finds it
 * empty, sets the connection's interest back to reading. A worker thread that queues a message in
 * between sets the interest to writing first, and the selector's reset then wins: the message sits
 * in the queue until something else is written to that connection (the next ping, up to an interval
 * later). The window opens after every message read, because the selector keeps the key's last
 * write readiness and so writes again right after the read, while the worker answers it. Seen in
 * the fuzz test under load: an answer held for 30 s, the queue holding one frame, the interest
 * reading only.
 *
 * <p>The library's own writes race the same way (the handshake's answer, pongs, close frames): the
 * server calls {@link #queued} after those too. Every connection written to is watched, on the
 * server's timer (real time: this waits for the library's threads, not for anything under test),
 * until its queue is empty; one found with frames queued and no write interest is handed back to
 * the selector.
 */
final class WriteWatch {

  /** How often a watched connection is looked at; a rescued message waits about this long. */
  static final long PERIOD_MICROS = 2_000;

  private final Set<WebSocketImpl> watched = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final AtomicLong rescued = new AtomicLong();
  private final ScheduledExecutorService timer;
  private final Consumer<WebSocket> demandWrite;

  /**
   * @param demandWrite asks the selector to write the connection ({@code
   *     WebSocketServer.onWriteDemand})
   */
  WriteWatch(ScheduledExecutorService timer, Consumer<WebSocket> demandWrite) {
    this.timer = timer;
    this.demandWrite = demandWrite;
  }

  /** After anything was queued on {@code conn} (a message, a ping, a close). */
  void queued(WebSocket conn) {
    if (conn instanceof WebSocketImpl impl) {
      watched.add(impl);
      schedule();
    }
  }

  /** Messages found stranded and handed back to the selector, since the start. */
  long rescued() {
    return rescued.get();
  }

  /** Connections still watched (for tests). */
  int watching() {
    return watched.size();
  }

  private void schedule() {
    if (scheduled.compareAndSet(false, true)) {
      timer.schedule(this::check, PERIOD_MICROS, TimeUnit.MICROSECONDS);
    }
  }

  private void check() {
    try {
      look();
    } finally {
      scheduled.set(false);
      if (!watched.isEmpty()) {
        schedule();
      }
    }
  }

  private void look() {
    for (WebSocketImpl conn : watched) {
      SelectionKey key = conn.getSelectionKey();
      if (key == null || !key.isValid() || conn.isClosed()) {
        watched.remove(conn);
      } else if (conn.outQueue.isEmpty()) {
        watched.remove(conn);
        if (!conn.outQueue.isEmpty()) {
          watched.add(conn); // queued between the look and the removal
        }
      } else if (!wantsWrite(key)) {
        rescued.incrementAndGet();
        demandWrite.accept(conn);
      }
    }
  }

  private static boolean wantsWrite(SelectionKey key) {
    try {
      return (key.interestOps() & SelectionKey.OP_WRITE) != 0;
    } catch (CancelledKeyException closed) {
      return true; // closing: nothing left to rescue
    }
  }
}
