package dev.rcdrive.protocol;

import java.nio.ByteBuffer;

/**
 * One control command, station to car, on the "control" data channel (50 Hz and on change).
 *
 * <p>Axis values are normalized: steering -1 (full left) to 1 (full right), throttle -1 (full
 * reverse) to 1 (full forward), brake 0 to 1. They are quantized to the wire's 1/10000 steps on
 * construction, so a frame equals its decoded copy. Layout (big-endian, 23 bytes) in
 * docs/protocol.md.
 *
 * @param seq increases by one per frame (unsigned 32 bit, wraps); the car drops stale ones
 * @param sentMicros the station's monotonic clock at sending, echoed back in telemetry
 * @param buttons a bit per momentary button (see docs/protocol.md); bits have no effect on safety
 */
public record ControlFrame(
    long seq,
    long sentMicros,
    double steering,
    double throttle,
    double brake,
    boolean armed,
    boolean estop,
    int buttons) {

  public static final byte VERSION = 1;
  public static final byte KIND = 'C';
  public static final int SIZE = 23;

  private static final int FLAG_ARMED = 1;
  private static final int FLAG_ESTOP = 1 << 1;
  private static final int KNOWN_FLAGS = FLAG_ARMED | FLAG_ESTOP;

  public ControlFrame {
    WireUnits.requireU32("seq", seq);
    WireUnits.requireNonNegative("sentMicros", sentMicros);
    WireUnits.requireRange("steering", steering, -1, 1);
    WireUnits.requireRange("throttle", throttle, -1, 1);
    WireUnits.requireRange("brake", brake, 0, 1);
    if (buttons < 0 || buttons > 0xFFFF) {
      throw new IllegalArgumentException("buttons must fit in 16 bits: " + buttons);
    }
    steering = WireUnits.quantizeAxis(steering);
    throttle = WireUnits.quantizeAxis(throttle);
    brake = WireUnits.quantizeAxis(brake);
  }

  /** A frame that asks for nothing: centred steering, no throttle, disarmed. */
  public static ControlFrame neutral(long seq, long sentMicros) {
    return new ControlFrame(seq, sentMicros, 0, 0, 0, false, false, 0);
  }

  public byte[] encode() {
    ByteBuffer out = ByteBuffer.allocate(SIZE);
    out.put(VERSION)
        .put(KIND)
        .putInt((int) seq)
        .putLong(sentMicros)
        .putShort((short) WireUnits.axisToWire(steering))
        .putShort((short) WireUnits.axisToWire(throttle))
        .putShort((short) WireUnits.axisToWire(brake))
        .put((byte) ((armed ? FLAG_ARMED : 0) | (estop ? FLAG_ESTOP : 0)))
        .putShort((short) buttons);
    return out.array();
  }

  public static Decoded<ControlFrame> decode(byte[] bytes) {
    return bytes == null ? Decoded.rejected("no bytes") : decode(ByteBuffer.wrap(bytes));
  }

  /** Reads the buffer's remaining bytes; never throws, whatever they are. */
  public static Decoded<ControlFrame> decode(ByteBuffer bytes) {
    if (bytes == null) {
      return Decoded.rejected("no bytes");
    }
    ByteBuffer in = bytes.slice(); // our own position; big-endian by default
    if (in.remaining() != SIZE) {
      return Decoded.rejected("control frame must be " + SIZE + " bytes, got " + in.remaining());
    }
    byte version = in.get();
    if (version != VERSION) {
      return Decoded.rejected("unsupported control frame version " + (version & 0xFF));
    }
    byte kind = in.get();
    if (kind != KIND) {
      return Decoded.rejected("not a control frame (kind " + (kind & 0xFF) + ")");
    }
    long seq = Integer.toUnsignedLong(in.getInt());
    long sentMicros = in.getLong();
    int steering = in.getShort();
    int throttle = in.getShort();
    int brake = Short.toUnsignedInt(in.getShort());
    int flags = Byte.toUnsignedInt(in.get());
    int buttons = Short.toUnsignedInt(in.getShort());
    if (sentMicros < 0) {
      return Decoded.rejected("negative send time");
    }
    if (Math.abs(steering) > WireUnits.AXIS_SCALE) {
      return Decoded.rejected("steering out of range: " + steering);
    }
    if (Math.abs(throttle) > WireUnits.AXIS_SCALE) {
      return Decoded.rejected("throttle out of range: " + throttle);
    }
    if (brake > WireUnits.AXIS_SCALE) {
      return Decoded.rejected("brake out of range: " + brake);
    }
    if ((flags & ~KNOWN_FLAGS) != 0) {
      return Decoded.rejected("unknown flag bits: 0x" + Integer.toHexString(flags));
    }
    return Decoded.ok(
        new ControlFrame(
            seq,
            sentMicros,
            WireUnits.axisFromWire(steering),
            WireUnits.axisFromWire(throttle),
            WireUnits.axisFromWire(brake),
            (flags & FLAG_ARMED) != 0,
            (flags & FLAG_ESTOP) != 0,
            buttons));
  }
}
