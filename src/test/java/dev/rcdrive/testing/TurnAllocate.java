package dev.rcdrive.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Asks a TURN server for a relay allocation with a username and password, over UDP, the way a
 * WebRTC stack does (RFC 5766 Allocate with RFC 5389 long-term credentials): a first request
 * without credentials draws 401 with the realm and a nonce, the second carries USERNAME, REALM,
 * NONCE and MESSAGE-INTEGRITY. Small enough to say exactly which credential coturn accepts, without
 * a peer connection around it.
 */
public final class TurnAllocate {

  /** The server's answer: success, or the STUN error code and its reason phrase. */
  public record Outcome(boolean allocated, int errorCode, String reason) {}

  private static final int MAGIC = 0x2112A442;
  private static final int ALLOCATE_REQUEST = 0x0003;
  private static final int ALLOCATE_SUCCESS = 0x0103;
  private static final int ALLOCATE_ERROR = 0x0113;
  private static final int USERNAME = 0x0006;
  private static final int MESSAGE_INTEGRITY = 0x0008;
  private static final int ERROR_CODE = 0x0009;
  private static final int REALM = 0x0014;
  private static final int NONCE = 0x0015;
  private static final int REQUESTED_TRANSPORT = 0x0019;
  private static final int XOR_PEER_ADDRESS = 0x0012;
  private static final int CREATE_PERMISSION_REQUEST = 0x0008;
  private static final int CREATE_PERMISSION_SUCCESS = 0x0108;
  private static final int CREATE_PERMISSION_ERROR = 0x0118;

  private TurnAllocate() {}

  public static Outcome attempt(int port, String username, String password) throws IOException {
    try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      socket.setSoTimeout(1000);
      Reply challenge = exchange(socket, port, request(null, null, null, null));
      if (challenge.type == ALLOCATE_SUCCESS) {
        return new Outcome(true, 0, "allocated without credentials");
      }
      if (challenge.realm == null || challenge.nonce == null) {
        return new Outcome(false, challenge.errorCode, challenge.reason);
      }
      Reply reply =
          exchange(socket, port, request(username, password, challenge.realm, challenge.nonce));
      return new Outcome(reply.type == ALLOCATE_SUCCESS, reply.errorCode, reply.reason);
    }
  }

  /**
   * Allocates with these credentials, then asks for a permission to send to {@code peer} (an IPv4
   * address) through the relay: the answer to the CreatePermission, success or the error (403 for a
   * peer the server's policy denies).
   */
  public static Outcome permission(int port, String username, String password, String peer)
      throws IOException {
    try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      socket.setSoTimeout(1000);
      Reply challenge = exchange(socket, port, request(null, null, null, null));
      if (challenge.realm == null || challenge.nonce == null) {
        return new Outcome(false, challenge.errorCode, "no challenge: " + challenge.reason);
      }
      Reply allocated =
          exchange(socket, port, request(username, password, challenge.realm, challenge.nonce));
      if (allocated.type != ALLOCATE_SUCCESS) {
        return new Outcome(false, allocated.errorCode, "allocate: " + allocated.reason);
      }
      byte[] address = InetAddress.getByName(peer).getAddress();
      byte[] xorPeer = new byte[8];
      xorPeer[1] = 0x01; // IPv4
      int xport = 49999 ^ (MAGIC >>> 16);
      xorPeer[2] = (byte) (xport >>> 8);
      xorPeer[3] = (byte) xport;
      byte[] magic = ByteBuffer.allocate(4).putInt(MAGIC).array();
      for (int i = 0; i < 4; i++) {
        xorPeer[4 + i] = (byte) (address[i] ^ magic[i]);
      }
      Reply reply =
          exchange(
              socket,
              port,
              request(
                  CREATE_PERMISSION_REQUEST,
                  XOR_PEER_ADDRESS,
                  xorPeer,
                  username,
                  password,
                  challenge.realm,
                  challenge.nonce));
      return new Outcome(reply.type == CREATE_PERMISSION_SUCCESS, reply.errorCode, reply.reason);
    }
  }

  private record Reply(int type, int errorCode, String reason, byte[] realm, byte[] nonce) {}

  /** Sends and waits for the answer with the same transaction id; three tries (UDP). */
  private static Reply exchange(DatagramSocket socket, int port, byte[] request)
      throws IOException {
    byte[] buffer = new byte[2048];
    for (int attempt = 0; attempt < 3; attempt++) {
      socket.send(
          new DatagramPacket(request, request.length, InetAddress.getLoopbackAddress(), port));
      try {
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        socket.receive(packet);
        if (Arrays.equals(Arrays.copyOfRange(buffer, 8, 20), Arrays.copyOfRange(request, 8, 20))) {
          return parse(ByteBuffer.wrap(buffer, 0, packet.getLength()));
        }
      } catch (SocketTimeoutException retry) {
        // lost or slow: send again
      }
    }
    throw new IOException("no answer from the TURN server on port " + port);
  }

  private static Reply parse(ByteBuffer in) {
    int type = in.getShort() & 0xFFFF;
    int length = in.getShort() & 0xFFFF;
    in.position(20);
    int code = 0;
    String reason = "";
    byte[] realm = null;
    byte[] nonce = null;
    while (in.position() < 20 + length && in.remaining() >= 4) {
      int attr = in.getShort() & 0xFFFF;
      int size = in.getShort() & 0xFFFF;
      byte[] value = new byte[size];
      in.get(value);
      in.position(in.position() + ((4 - size % 4) % 4));
      if (attr == ERROR_CODE && size >= 4) {
        code = (value[2] & 0x07) * 100 + (value[3] & 0xFF);
        reason = new String(value, 4, size - 4, StandardCharsets.UTF_8);
      } else if (attr == REALM) {
        realm = value;
      } else if (attr == NONCE) {
        nonce = value;
      }
    }
    return new Reply(
        type == ALLOCATE_ERROR
                || type == ALLOCATE_SUCCESS
                || type == CREATE_PERMISSION_SUCCESS
                || type == CREATE_PERMISSION_ERROR
            ? type
            : -1,
        code,
        reason,
        realm,
        nonce);
  }

  private static byte[] request(String username, String password, byte[] realm, byte[] nonce) {
    return request(
        ALLOCATE_REQUEST,
        REQUESTED_TRANSPORT,
        new byte[] {17, 0, 0, 0}, // UDP
        username,
        password,
        realm,
        nonce);
  }

  private static byte[] request(
      int method,
      int firstAttribute,
      byte[] firstValue,
      String username,
      String password,
      byte[] realm,
      byte[] nonce) {
    ByteArrayOutputStream attrs = new ByteArrayOutputStream();
    attribute(attrs, firstAttribute, firstValue);
    if (username != null) {
      attribute(attrs, USERNAME, username.getBytes(StandardCharsets.UTF_8));
      attribute(attrs, REALM, realm);
      attribute(attrs, NONCE, nonce);
    }
    byte[] transaction = new byte[12];
    new SecureRandom().nextBytes(transaction);
    int integrityLength = username != null ? 24 : 0;
    ByteBuffer message = ByteBuffer.allocate(20 + attrs.size() + integrityLength);
    message
        .putShort((short) method)
        .putShort((short) (attrs.size() + integrityLength))
        .putInt(MAGIC)
        .put(transaction)
        .put(attrs.toByteArray());
    if (username != null) {
      // HMAC-SHA1 over the message so far, its length already counting this attribute.
      byte[] key = md5(username + ":" + new String(realm, StandardCharsets.UTF_8) + ":" + password);
      byte[] mac = hmacSha1(key, Arrays.copyOf(message.array(), 20 + attrs.size()));
      message.putShort((short) MESSAGE_INTEGRITY).putShort((short) 20).put(mac);
    }
    return message.array();
  }

  private static void attribute(ByteArrayOutputStream out, int type, byte[] value) {
    out.write(type >>> 8);
    out.write(type);
    out.write(value.length >>> 8);
    out.write(value.length);
    out.writeBytes(value);
    out.writeBytes(new byte[(4 - value.length % 4) % 4]);
  }

  private static byte[] md5(String text) {
    try {
      return MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmacSha1(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(key, "HmacSHA1"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
