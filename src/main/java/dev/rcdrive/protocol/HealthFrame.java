package dev.rcdrive.protocol;

import java.nio.ByteBuffer;

/**
 * The car's health, car to station, on the "telemetry" data channel once a second beside the 20 Hz
 * {@link TelemetryFrame}s: camera state, and what a Pi can tell about itself. Each sensor value is
 * optional (absent on a machine without it). A separate kind rather than a longer TelemetryFrame: a
 * station that predates it drops the frame by its size and kind ("dropped and counted"), so old
 * stations keep working and the 43-byte frame keeps its layout. Layout (big-endian, 12 bytes) in
 * docs/protocol.md.
 *
 * @param camera the camera's state (RESTARTING while its process is being restarted)
 * @param cameraRestarts restarts since the agent started (saturates at 65535)
 * @param cpuTempC SoC temperature in °C (0.1 steps), NaN when unknown
 * @param throttled {@code vcgencmd get_throttled} bits, -1 when unknown: bit 0 under-voltage now, 1
 *     frequency capped now, 2 throttled now, 3 soft temperature limit now; bits 16-19 the same "has
 *     occurred since boot"
 * @param signalPercent the cellular modem's signal quality 0..100, -1 when unknown
 */
public record HealthFrame(
    Camera camera, int cameraRestarts, double cpuTempC, long throttled, int signalPercent) {

  public static final byte VERSION = 1;
  public static final byte KIND = 'H';
  public static final int SIZE = 12;

  private static final int TEMP_ABSENT = Short.MAX_VALUE;
  private static final long THROTTLED_ABSENT = 0xFFFF_FFFFL;
  private static final int SIGNAL_ABSENT = 0xFF;

  /** Bit 0 of {@link #throttled}: the supply is below 4.63 V now. */
  public static final long UNDER_VOLTAGE_NOW = 1;

  /** The camera's state as the driver sees it. */
  public enum Camera {
    STARTING(0),
    RUNNING(1),
    RESTARTING(2),
    FAILED(3);

    private final int code;

    Camera(int code) {
      this.code = code;
    }

    public int code() {
      return code;
    }

    static Camera fromCode(int code) {
      for (Camera camera : values()) {
        if (camera.code == code) {
          return camera;
        }
      }
      return null;
    }
  }

  public HealthFrame {
    java.util.Objects.requireNonNull(camera, "camera");
    cameraRestarts = Math.max(0, Math.min(0xFFFF, cameraRestarts));
    if (!Double.isNaN(cpuTempC)) {
      WireUnits.requireRange("cpuTempC", cpuTempC, -273, 3000);
      cpuTempC = Math.round(cpuTempC * 10) / 10.0;
    }
    if (throttled != -1) {
      WireUnits.requireRange("throttled", throttled, 0, THROTTLED_ABSENT - 1);
    }
    if (signalPercent != -1) {
      WireUnits.requireRange("signalPercent", signalPercent, 0, 100);
    }
  }

  public boolean hasCpuTemp() {
    return !Double.isNaN(cpuTempC);
  }

  public boolean hasThrottled() {
    return throttled != -1;
  }

  public boolean hasSignal() {
    return signalPercent != -1;
  }

  public byte[] encode() {
    return ByteBuffer.allocate(SIZE)
        .put(VERSION)
        .put(KIND)
        .put((byte) camera.code())
        .putShort((short) cameraRestarts)
        .putShort((short) (hasCpuTemp() ? (int) Math.round(cpuTempC * 10) : TEMP_ABSENT))
        .putInt((int) (hasThrottled() ? throttled : THROTTLED_ABSENT))
        .put((byte) (hasSignal() ? signalPercent : SIGNAL_ABSENT))
        .array();
  }

  /** True when the bytes look like a health frame (its size and kind), to pick the decoder. */
  public static boolean isHealth(ByteBuffer bytes) {
    return bytes != null && bytes.remaining() == SIZE && bytes.get(bytes.position() + 1) == KIND;
  }

  public static Decoded<HealthFrame> decode(byte[] bytes) {
    return bytes == null ? Decoded.rejected("no bytes") : decode(ByteBuffer.wrap(bytes));
  }

  /** Reads the buffer's remaining bytes; never throws, whatever they are. */
  public static Decoded<HealthFrame> decode(ByteBuffer bytes) {
    if (bytes == null) {
      return Decoded.rejected("no bytes");
    }
    ByteBuffer in = bytes.slice();
    if (in.remaining() != SIZE) {
      return Decoded.rejected("health frame must be " + SIZE + " bytes, got " + in.remaining());
    }
    byte version = in.get();
    if (version != VERSION) {
      return Decoded.rejected("unsupported health frame version " + (version & 0xFF));
    }
    byte kind = in.get();
    if (kind != KIND) {
      return Decoded.rejected("not a health frame (kind " + (kind & 0xFF) + ")");
    }
    Camera camera = Camera.fromCode(Byte.toUnsignedInt(in.get()));
    if (camera == null) {
      return Decoded.rejected("unknown camera state");
    }
    int restarts = Short.toUnsignedInt(in.getShort());
    int temp = in.getShort();
    long throttled = Integer.toUnsignedLong(in.getInt());
    int signal = Byte.toUnsignedInt(in.get());
    // The record's own range (0.1 °C steps): refused here, or its constructor would throw.
    if (temp != TEMP_ABSENT && (temp < -2730 || temp > 30000)) {
      return Decoded.rejected("cpu temperature out of range: " + temp / 10.0);
    }
    if (signal != SIGNAL_ABSENT && signal > 100) {
      return Decoded.rejected("signal quality out of range: " + signal);
    }
    return Decoded.ok(
        new HealthFrame(
            camera,
            restarts,
            temp == TEMP_ABSENT ? Double.NaN : temp / 10.0,
            throttled == THROTTLED_ABSENT ? -1 : throttled,
            signal == SIGNAL_ABSENT ? -1 : signal));
  }
}
