package dev.rcdrive.protocol;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The car's state, car to station, on the "telemetry" data channel (20 Hz).
 *
 * <p>It echoes the newest control frame the car accepted, so the station measures the control round
 * trip on its own clock: {@code rtt = now - echoSentMicros - echoHoldMicros}. Layout (big-endian,
 * 43 bytes) in docs/protocol.md.
 *
 * @param seq increases by one per telemetry frame (unsigned 32 bit, wraps)
 * @param echoSeq seq of the newest accepted control frame (0 with echoSentMicros 0: none yet)
 * @param echoSentMicros that frame's sentMicros, unchanged
 * @param echoHoldMicros car time between receiving that frame and sending this one
 * @param carMicros the car's monotonic clock at sending
 * @param appliedSteering steering the car applies after its limits, -1..1
 * @param appliedThrottle throttle the car applies after its limits, -1..1
 * @param speedMps measured or simulated speed, negative in reverse, 0.01 m/s steps
 * @param batteryVolts battery voltage, or NaN when the car has no battery sensor
 * @param rejectedFrames control frames the car dropped as malformed or stale since it started
 */
public record TelemetryFrame(
    long seq,
    long echoSeq,
    long echoSentMicros,
    long echoHoldMicros,
    long carMicros,
    double appliedSteering,
    double appliedThrottle,
    CarState state,
    double speedMps,
    double batteryVolts,
    long rejectedFrames) {

  public static final byte VERSION = 1;
  public static final byte KIND = 'T';
  public static final int SIZE = 43;

  private static final double MAX_SPEED_MPS = Short.MAX_VALUE / (double) WireUnits.SPEED_SCALE;
  private static final double MAX_BATTERY_VOLTS = (WireUnits.BATTERY_ABSENT - 1) / 1000.0;

  public TelemetryFrame {
    WireUnits.requireU32("seq", seq);
    WireUnits.requireU32("echoSeq", echoSeq);
    WireUnits.requireNonNegative("echoSentMicros", echoSentMicros);
    WireUnits.requireU32("echoHoldMicros", echoHoldMicros);
    WireUnits.requireNonNegative("carMicros", carMicros);
    WireUnits.requireRange("appliedSteering", appliedSteering, -1, 1);
    WireUnits.requireRange("appliedThrottle", appliedThrottle, -1, 1);
    Objects.requireNonNull(state, "state");
    WireUnits.requireRange("speedMps", speedMps, -MAX_SPEED_MPS, MAX_SPEED_MPS);
    if (!Double.isNaN(batteryVolts)) {
      WireUnits.requireRange("batteryVolts", batteryVolts, 0, MAX_BATTERY_VOLTS);
    }
    WireUnits.requireU32("rejectedFrames", rejectedFrames);
    appliedSteering = WireUnits.quantizeAxis(appliedSteering);
    appliedThrottle = WireUnits.quantizeAxis(appliedThrottle);
    speedMps = WireUnits.quantizeSpeed(speedMps);
    batteryVolts = WireUnits.quantizeVolts(batteryVolts);
  }

  public boolean hasBattery() {
    return !Double.isNaN(batteryVolts);
  }

  /** True once the car has accepted at least one control frame. */
  public boolean hasEcho() {
    return echoSentMicros != 0 || echoSeq != 0;
  }

  public byte[] encode() {
    int battery = hasBattery() ? (int) Math.round(batteryVolts * 1000) : WireUnits.BATTERY_ABSENT;
    ByteBuffer out = ByteBuffer.allocate(SIZE);
    out.put(VERSION)
        .put(KIND)
        .putInt((int) seq)
        .putInt((int) echoSeq)
        .putLong(echoSentMicros)
        .putInt((int) echoHoldMicros)
        .putLong(carMicros)
        .putShort((short) WireUnits.axisToWire(appliedSteering))
        .putShort((short) WireUnits.axisToWire(appliedThrottle))
        .put((byte) state.code())
        .putShort((short) Math.round(speedMps * WireUnits.SPEED_SCALE))
        .putShort((short) battery)
        .putInt((int) rejectedFrames);
    return out.array();
  }

  public static Decoded<TelemetryFrame> decode(byte[] bytes) {
    return bytes == null ? Decoded.rejected("no bytes") : decode(ByteBuffer.wrap(bytes));
  }

  /** Reads the buffer's remaining bytes; never throws, whatever they are. */
  public static Decoded<TelemetryFrame> decode(ByteBuffer bytes) {
    if (bytes == null) {
      return Decoded.rejected("no bytes");
    }
    ByteBuffer in = bytes.slice();
    if (in.remaining() != SIZE) {
      return Decoded.rejected("telemetry frame must be " + SIZE + " bytes, got " + in.remaining());
    }
    byte version = in.get();
    if (version != VERSION) {
      return Decoded.rejected("unsupported telemetry frame version " + (version & 0xFF));
    }
    byte kind = in.get();
    if (kind != KIND) {
      return Decoded.rejected("not a telemetry frame (kind " + (kind & 0xFF) + ")");
    }
    long seq = Integer.toUnsignedLong(in.getInt());
    long echoSeq = Integer.toUnsignedLong(in.getInt());
    long echoSentMicros = in.getLong();
    long echoHoldMicros = Integer.toUnsignedLong(in.getInt());
    long carMicros = in.getLong();
    int steering = in.getShort();
    int throttle = in.getShort();
    int stateCode = Byte.toUnsignedInt(in.get());
    int speed = in.getShort();
    int battery = Short.toUnsignedInt(in.getShort());
    long rejected = Integer.toUnsignedLong(in.getInt());
    if (echoSentMicros < 0 || carMicros < 0) {
      return Decoded.rejected("negative time");
    }
    if (Math.abs(steering) > WireUnits.AXIS_SCALE) {
      return Decoded.rejected("applied steering out of range: " + steering);
    }
    if (Math.abs(throttle) > WireUnits.AXIS_SCALE) {
      return Decoded.rejected("applied throttle out of range: " + throttle);
    }
    if (speed == Short.MIN_VALUE) {
      return Decoded.rejected("speed out of range: " + speed);
    }
    CarState state = CarState.fromCode(stateCode);
    if (state == null) {
      return Decoded.rejected("unknown car state " + stateCode);
    }
    return Decoded.ok(
        new TelemetryFrame(
            seq,
            echoSeq,
            echoSentMicros,
            echoHoldMicros,
            carMicros,
            WireUnits.axisFromWire(steering),
            WireUnits.axisFromWire(throttle),
            state,
            speed / (double) WireUnits.SPEED_SCALE,
            battery == WireUnits.BATTERY_ABSENT ? Double.NaN : battery / 1000.0,
            rejected));
  }
}
