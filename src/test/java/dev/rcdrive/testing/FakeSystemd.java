package dev.rcdrive.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.newsclub.net.unix.AFUNIXDatagramSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/** systemd's end: a bound datagram socket, and the messages it received with their times. */
public final class FakeSystemd implements AutoCloseable {
  public record Message(long nanos, String text) {}

  final AFUNIXDatagramSocket socket;
  final Path path;
  final List<Message> messages = new ArrayList<>();

  public FakeSystemd(Path path) throws IOException {
    this.path = path;
    this.socket = AFUNIXDatagramSocket.newInstance();
    socket.bind(AFUNIXSocketAddress.of(path));
    socket.setSoTimeout(100);
    Thread reader = new Thread(this::read, "fake-systemd");
    reader.setDaemon(true);
    reader.start();
  }

  private void read() {
    byte[] buffer = new byte[4096];
    while (!socket.isClosed()) {
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      try {
        socket.receive(packet);
        String text = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
        synchronized (this) {
          messages.add(new Message(System.nanoTime(), text));
          notifyAll();
        }
      } catch (SocketTimeoutException e) {
        // poll again
      } catch (IOException e) {
        return;
      }
    }
  }

  public synchronized List<Message> snapshot() {
    return List.copyOf(messages);
  }

  /** Waits (a deadline, not a pause) until a message starting with {@code prefix} arrived. */
  public synchronized Message await(String prefix, long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (true) {
      for (Message m : messages) {
        if (m.text().startsWith(prefix)) {
          return m;
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("no " + prefix + " within " + timeoutMillis + " ms: " + messages);
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  /** The times of the WATCHDOG=1 pings so far. */
  public List<Long> pings() {
    return snapshot().stream()
        .filter(m -> m.text().equals("WATCHDOG=1"))
        .map(Message::nanos)
        .toList();
  }

  public Map<String, String> env(long watchdogMicros, long pid) {
    return Map.of(
        "NOTIFY_SOCKET", path.toString(),
        "WATCHDOG_USEC", Long.toString(watchdogMicros),
        "WATCHDOG_PID", Long.toString(pid));
  }

  @Override
  public void close() {
    socket.close();
  }
}
