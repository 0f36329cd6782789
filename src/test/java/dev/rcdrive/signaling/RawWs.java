package dev.rcdrive.signaling;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A WebSocket client by hand on one blocking socket: no threads of its own, so a test can hold
 * thousands, and it can bind any loopback address (127.0.0.0/8) to look like many hosts.
 */
final class RawWs implements AutoCloseable {

  /** One frame from the server: a text message, or a close with its code and reason. */
  record Frame(int opcode, String text, int closeCode) {
    boolean isClose() {
      return opcode == 0x8;
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  private RawWs(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /** Opens TCP from {@code local} and completes the upgrade; throws if the server refuses it. */
  static RawWs open(InetAddress local, int port) throws IOException {
    Socket socket = new Socket();
    // Deadlines for an answer, not timeouts under test: generous, for a busy machine.
    socket.setSoTimeout(30_000);
    socket.bind(new InetSocketAddress(local, 0));
    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 30_000);
    RawWs ws = new RawWs(socket);
    ws.out.write(
        ("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    ws.out.flush();
    String status = ws.readHttpHead();
    if (!status.startsWith("HTTP/1.1 101")) {
      ws.close();
      throw new IOException("upgrade refused: " + status);
    }
    return ws;
  }

  private String readHttpHead() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("closed during the upgrade");
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.US_ASCII).lines().findFirst().orElse("");
  }

  void sendText(String text) throws IOException {
    out.write(frame(0x1, text.getBytes(StandardCharsets.UTF_8)));
    out.flush();
  }

  /** Any bytes, as they are: for frames that break RFC 6455 on purpose. */
  void sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** Client frames must be masked (RFC 6455 §5.3); a fixed mask is fine for tests. */
  static byte[] frame(int opcode, byte[] payload) {
    ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
    frame.write(0x80 | opcode);
    if (payload.length < 126) {
      frame.write(0x80 | payload.length);
    } else if (payload.length < 65536) {
      frame.write(0x80 | 126);
      frame.write(payload.length >>> 8);
      frame.write(payload.length);
    } else {
      frame.write(0x80 | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        frame.write((int) ((long) payload.length >>> shift));
      }
    }
    byte[] mask = {0x1b, 0x2c, 0x3d, 0x4e};
    frame.writeBytes(mask);
    for (int i = 0; i < payload.length; i++) {
      frame.write(payload[i] ^ mask[i % 4]);
    }
    return frame.toByteArray();
  }

  /** The next text or close frame (pings are skipped); null if the socket ended or timed out. */
  Frame next() throws IOException {
    while (true) {
      int b0;
      try {
        b0 = in.read();
      } catch (SocketTimeoutException | java.net.SocketException e) {
        return null;
      }
      if (b0 < 0) {
        return null;
      }
      int len = in.readUnsignedByte() & 0x7F; // server frames are not masked
      long length = len == 126 ? in.readUnsignedShort() : len == 127 ? in.readLong() : len;
      byte[] payload = new byte[(int) length];
      in.readFully(payload);
      int opcode = b0 & 0x0F;
      if (opcode == 0x8) {
        int code = payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
        String reason =
            payload.length > 2
                ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8)
                : "";
        return new Frame(opcode, reason, code);
      }
      if (opcode == 0x1) {
        return new Frame(opcode, new String(payload, StandardCharsets.UTF_8), 0);
      }
    }
  }

  /** Bytes that arrived and are not yet read. */
  int available() throws IOException {
    return in.available();
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing a test socket: nothing to do about it
    }
  }
}
