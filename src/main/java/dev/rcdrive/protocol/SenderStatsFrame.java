package dev.rcdrive.protocol;

import java.nio.ByteBuffer;

/**
 * The car's video sender counters, car to station on the "telemetry" data channel once a second:
 * what only the sending end can measure of a frame's way to the screen (capture → encoder queue,
 * encode, pacer). The station takes the difference of two frames to get the mean per frame over
 * that second (the stage breakdown). Counters are totals since the car's current link started; a
 * counter that went down means a new link, and the difference is not used. A separate kind, as
 * {@link HealthFrame}: a station that predates it drops it by its size and kind. Layout
 * (big-endian, 50 bytes) in docs/protocol.md.
 *
 * @param framesPushed frames the camera handed to the encoder
 * @param captureToPushMicros sum over those frames of capture → handed to the encoder
 * @param framesEncoded frames the encoder produced (libwebrtc's outbound framesEncoded)
 * @param encodeMicros sum of their encode times (totalEncodeTime)
 * @param packetsSent RTP packets sent (packetsSent)
 * @param packetSendDelayMicros sum of their waits in the pacer (totalPacketSendDelay)
 */
public record SenderStatsFrame(
    long framesPushed,
    long captureToPushMicros,
    long framesEncoded,
    long encodeMicros,
    long packetsSent,
    long packetSendDelayMicros) {

  public static final byte VERSION = 1;
  public static final byte KIND = 'S';
  public static final int SIZE = 50;

  public SenderStatsFrame {
    requireCount("framesPushed", framesPushed);
    requireCount("captureToPushMicros", captureToPushMicros);
    requireCount("framesEncoded", framesEncoded);
    requireCount("encodeMicros", encodeMicros);
    requireCount("packetsSent", packetsSent);
    requireCount("packetSendDelayMicros", packetSendDelayMicros);
  }

  private static void requireCount(String field, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(field + " must not be negative: " + value);
    }
  }

  public byte[] encode() {
    return ByteBuffer.allocate(SIZE)
        .put(VERSION)
        .put(KIND)
        .putLong(framesPushed)
        .putLong(captureToPushMicros)
        .putLong(framesEncoded)
        .putLong(encodeMicros)
        .putLong(packetsSent)
        .putLong(packetSendDelayMicros)
        .array();
  }

  /** True when the bytes look like a sender stats frame (its size and kind). */
  public static boolean isSenderStats(ByteBuffer bytes) {
    return bytes != null && bytes.remaining() == SIZE && bytes.get(bytes.position() + 1) == KIND;
  }

  public static Decoded<SenderStatsFrame> decode(byte[] bytes) {
    return bytes == null ? Decoded.rejected("no bytes") : decode(ByteBuffer.wrap(bytes));
  }

  /** Reads the buffer's remaining bytes; never throws, whatever they are. */
  public static Decoded<SenderStatsFrame> decode(ByteBuffer bytes) {
    if (bytes == null) {
      return Decoded.rejected("no bytes");
    }
    ByteBuffer in = bytes.slice();
    if (in.remaining() != SIZE) {
      return Decoded.rejected(
          "sender stats frame must be " + SIZE + " bytes, got " + in.remaining());
    }
    byte version = in.get();
    if (version != VERSION) {
      return Decoded.rejected("unsupported sender stats frame version " + (version & 0xFF));
    }
    byte kind = in.get();
    if (kind != KIND) {
      return Decoded.rejected("not a sender stats frame (kind " + (kind & 0xFF) + ")");
    }
    long[] values = new long[6];
    for (int i = 0; i < values.length; i++) {
      values[i] = in.getLong();
      if (values[i] < 0) {
        return Decoded.rejected("sender stats counter out of range: " + values[i]);
      }
    }
    return Decoded.ok(
        new SenderStatsFrame(values[0], values[1], values[2], values[3], values[4], values[5]));
  }
}
