package dev.rcdrive.agent.service;

import java.io.IOException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * systemd's notify protocol ({@code sd_notify}): one datagram per message ("READY=1", "WATCHDOG=1",
 * "STOPPING=1", "STATUS=...") to the Unix datagram socket named by {@code NOTIFY_SOCKET}. The JDK
 * opens only stream Unix sockets, so junixsocket does it. systemd learns the sender's pid from the
 * socket's credentials: {@code NotifyAccess=main} accepts the JVM, which the launcher {@code
 * exec}s.
 */
public final class SystemdNotify implements AutoCloseable {

  private final AFUNIXDatagramChannel socket;
  private final AFUNIXSocketAddress target;
  private final String describe;

  private SystemdNotify(AFUNIXDatagramChannel socket, AFUNIXSocketAddress target, String describe) {
    this.socket = socket;
    this.target = target;
    this.describe = describe;
  }

  /**
   * The notifier for {@code NOTIFY_SOCKET} in {@code env}; empty when the process does not run
   * under a notify service. An abstract socket ({@code @name}) is supported as systemd names it.
   */
  public static Optional<SystemdNotify> fromEnvironment(Map<String, String> env)
      throws IOException {
    String name = env.get("NOTIFY_SOCKET");
    if (name == null || name.isBlank()) {
      return Optional.empty();
    }
    AFUNIXSocketAddress address;
    if (name.startsWith("@")) {
      byte[] abstractName = ("\0" + name.substring(1)).getBytes(StandardCharsets.UTF_8);
      address = AFUNIXSocketAddress.of(abstractName);
    } else {
      address = AFUNIXSocketAddress.of(Path.of(name));
    }
    return Optional.of(new SystemdNotify(AFUNIXDatagramChannel.open(), address, name));
  }

  /** Sends one message, e.g. "READY=1"; several may go in one, separated by newlines. */
  public void send(String state) throws IOException {
    byte[] bytes = state.getBytes(StandardCharsets.UTF_8);
    try {
      socket.send(ByteBuffer.wrap(bytes), target);
    } catch (SocketException e) {
      throw new IOException("cannot notify systemd at " + describe + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // nothing to flush
    }
  }

  @Override
  public String toString() {
    return "systemd notify socket " + describe;
  }
}
