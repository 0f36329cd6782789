package dev.rcdrive.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Why the car is in its state, car to station, on the "telemetry" data channel: sent at once when
 * the state or its cause changes, and again once a second (the channel drops frames). A frame of
 * its own beside the 43-byte {@link TelemetryFrame}, as the {@link HealthFrame} is: a station that
 * predates it drops it by its size and kind, so old stations keep working; a station that talks to
 * an old car never gets one and says the car gave no reason. Layout (big-endian, 7 bytes + detail)
 * in docs/protocol.md, section 4.6.
 *
 * @param state the state this explains; a receiver shows it only while telemetry reports the same
 * @param cause why, as a code a receiver turns into its own words and a next step
 * @param millis the figure the cause names (the failsafe timeout), 0 when it names none
 * @param detail the car's own words for the detail ("I2C write failed", "link failed"), at most
 *     {@link #MAX_DETAIL_BYTES} bytes of UTF-8, "" when there is nothing to add
 */
public record StateReason(CarState state, Cause cause, int millis, String detail) {

  public static final byte VERSION = 1;
  public static final byte KIND = 'R';
  public static final int HEADER = 7;
  public static final int MAX_DETAIL_BYTES = 120;

  /**
   * Causes; wire codes never change. New causes may be added: a receiver that does not know one
   * drops the frame (as any frame it does not speak) and shows the state without the car's reason.
   */
  public enum Cause {
    OTHER(0),
    /** The agent started (disarmed). */
    STARTED(1),
    DISARMED_BY_DRIVER(2),
    ARMED_BY_DRIVER(3),
    ESTOP_BY_DRIVER(4),
    ESTOP_CLEARED(5),
    /** No valid control frame for {@code millis}: the driver's link or station stopped sending. */
    CONTROL_TIMEOUT(6),
    /** The peer connection to the driver disconnected, failed or closed. */
    LINK_LOST(7),
    CONTROL_CHANNEL_CLOSED(8),
    LINK_ERROR(9),
    /** Writing to the motor or steering output failed. */
    OUTPUT_ERROR(10),
    /** The agent's own code failed; it put the outputs to neutral. */
    INTERNAL_ERROR(11),
    SHUTTING_DOWN(12),
    /** Another driver session began while armed. */
    NEW_DRIVER(13);

    private final int code;

    Cause(int code) {
      this.code = code;
    }

    public int code() {
      return code;
    }

    /** The cause for a wire code, or null when the code is unknown. */
    public static Cause fromCode(int code) {
      for (Cause cause : values()) {
        if (cause.code == code) {
          return cause;
        }
      }
      return null;
    }
  }

  public StateReason {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(cause, "cause");
    WireUnits.requireRange("millis", millis, 0, 0xFFFF);
    Objects.requireNonNull(detail, "detail");
    if (detail.getBytes(StandardCharsets.UTF_8).length > MAX_DETAIL_BYTES) {
      throw new IllegalArgumentException("detail longer than " + MAX_DETAIL_BYTES + " bytes");
    }
  }

  public static StateReason of(CarState state, Cause cause) {
    return new StateReason(state, cause, 0, "");
  }

  /** With any text as the detail: made one line and cut to fit (an exception's message). */
  public static StateReason of(CarState state, Cause cause, int millis, String detail) {
    return new StateReason(state, cause, millis, fitted(detail == null ? "" : detail));
  }

  /** The car's reason in plain words, for logs: its detail, else the cause's own words. */
  public String text() {
    if (!detail.isEmpty()) {
      return detail;
    }
    return switch (cause) {
      case OTHER -> "";
      case STARTED -> "starting";
      case DISARMED_BY_DRIVER -> "disarmed by the station";
      case ARMED_BY_DRIVER -> "armed by the station";
      case ESTOP_BY_DRIVER -> "e-stop from the station";
      case ESTOP_CLEARED -> "e-stop cleared; arm to drive";
      case CONTROL_TIMEOUT -> "no control frame for " + millis + " ms";
      case LINK_LOST -> "link lost";
      case CONTROL_CHANNEL_CLOSED -> "control channel closed";
      case LINK_ERROR -> "link error";
      case OUTPUT_ERROR -> "actuator error";
      case INTERNAL_ERROR -> "internal error";
      case SHUTTING_DOWN -> "agent shutting down";
      case NEW_DRIVER -> "a new driver session";
    };
  }

  public byte[] encode() {
    byte[] text = detail.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(HEADER + text.length)
        .put(VERSION)
        .put(KIND)
        .put((byte) state.code())
        .put((byte) cause.code())
        .putShort((short) millis)
        .put((byte) text.length)
        .put(text)
        .array();
  }

  /** True when the bytes carry this frame's kind (its size varies), to pick the decoder. */
  public static boolean isReason(ByteBuffer bytes) {
    return bytes != null
        && bytes.remaining() >= HEADER
        && bytes.get(bytes.position()) == VERSION
        && bytes.get(bytes.position() + 1) == KIND;
  }

  public static Decoded<StateReason> decode(byte[] bytes) {
    return bytes == null ? Decoded.rejected("no bytes") : decode(ByteBuffer.wrap(bytes));
  }

  /** Reads the buffer's remaining bytes; never throws, whatever they are. */
  public static Decoded<StateReason> decode(ByteBuffer bytes) {
    if (bytes == null) {
      return Decoded.rejected("no bytes");
    }
    ByteBuffer in = bytes.slice();
    if (in.remaining() < HEADER) {
      return Decoded.rejected("reason frame needs at least " + HEADER + " bytes");
    }
    byte version = in.get();
    if (version != VERSION) {
      return Decoded.rejected("unsupported reason frame version " + (version & 0xFF));
    }
    byte kind = in.get();
    if (kind != KIND) {
      return Decoded.rejected("not a reason frame (kind " + (kind & 0xFF) + ")");
    }
    CarState state = CarState.fromCode(Byte.toUnsignedInt(in.get()));
    if (state == null) {
      return Decoded.rejected("unknown car state");
    }
    Cause cause = Cause.fromCode(Byte.toUnsignedInt(in.get()));
    if (cause == null) {
      return Decoded.rejected("unknown reason code");
    }
    int millis = Short.toUnsignedInt(in.getShort());
    int length = Byte.toUnsignedInt(in.get());
    if (length > MAX_DETAIL_BYTES || in.remaining() != length) {
      return Decoded.rejected("reason frame detail length does not match its size");
    }
    String detail;
    try {
      detail =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(in)
              .toString();
    } catch (CharacterCodingException e) {
      return Decoded.rejected("reason frame detail is not UTF-8");
    }
    return Decoded.ok(new StateReason(state, cause, millis, detail));
  }

  /**
   * Control characters out (a detail is shown on a screen, in one line), and cut to {@link
   * #MAX_DETAIL_BYTES} bytes of UTF-8 on a character boundary.
   */
  private static String fitted(String text) {
    StringBuilder out = new StringBuilder();
    int bytes = 0;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT) {
        cp = ' ';
      }
      int size = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
      if (bytes + size > MAX_DETAIL_BYTES) {
        break;
      }
      bytes += size;
      out.appendCodePoint(cp);
    }
    return out.toString().strip();
  }
}
