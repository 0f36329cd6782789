package dev.rcdrive.protocol;

import com.fasterxml.jackson.annotation.JsonTypeName;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.util.List;
import java.util.stream.Collectors;

/**
 * JSON text to {@link SignalMessage} and back. Thread-safe. Decoding never throws: hostile input
 * (garbage, deep nesting, huge numbers, wrong types) comes back as a reason.
 */
public final class SignalCodec {

  /** Deeper JSON than any of our messages needs; refused before it costs stack or memory. */
  private static final int MAX_NESTING = 16;

  private static final ObjectMapper MAPPER =
      new ObjectMapper(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(MAX_NESTING)
                          .maxNumberLength(20)
                          .maxStringLength(SignalMessage.MAX_SDP_CHARS * 2)
                          .build())
                  .build())
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
          .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
          .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true)
          .configure(DeserializationFeature.ACCEPT_FLOAT_AS_INT, false);

  static {
    // Types as documented, no guessing: "carId": 42 is not "42", "protocol": "1" is not 1.
    for (LogicalType scalar :
        List.of(LogicalType.Integer, LogicalType.Float, LogicalType.Boolean)) {
      MAPPER.coercionConfigFor(scalar).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    }
    for (CoercionInputShape shape :
        List.of(CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean)) {
      MAPPER.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
    }
  }

  private SignalCodec() {}

  /**
   * Pays Jackson's first use (its classes, the messages' introspection: ~150 ms on this machine)
   * now, on the caller's thread, rather than on a connection's way to its first message. A process
   * that is about to connect calls it on a background thread while it starts. True when both
   * messages made the round trip.
   */
  public static boolean warmUp() {
    SignalMessage hello = SignalMessage.Hello.car("warm-up", "warm-up", "warm-up");
    SignalMessage welcome =
        new SignalMessage.Welcome(
            "warm-up",
            List.of(new SignalMessage.IceServer(List.of("stun:warm-up"), null, null)),
            null,
            SignalMessage.PROTOCOL_VERSION,
            null);
    return decode(encode(hello)).equals(Decoded.ok(hello))
        && decode(encode(welcome)).equals(Decoded.ok(welcome));
  }

  public static String encode(SignalMessage message) {
    try {
      return MAPPER.writeValueAsString(message);
    } catch (JsonProcessingException e) {
      // Our own records always serialize; reaching here is a programming error.
      throw new IllegalStateException("cannot encode " + message.getClass().getSimpleName(), e);
    }
  }

  public static Decoded<SignalMessage> decode(String json) {
    if (json == null || json.isBlank()) {
      return Decoded.rejected("empty message");
    }
    try {
      return Decoded.ok(MAPPER.readValue(json, SignalMessage.class));
    } catch (InvalidTypeIdException e) {
      String typeId = e.getTypeId();
      return Decoded.rejected(
          typeId == null ? "missing field 'type'" : "unknown type '" + clip(typeId) + "'");
    } catch (ValueInstantiationException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      return Decoded.rejected(typeOf(e) + cause.getMessage());
    } catch (StreamConstraintsException e) {
      return Decoded.rejected("message too complex: " + limitExceeded(e));
    } catch (JsonMappingException e) {
      if (e.getCause() instanceof StreamReadException broken) {
        return Decoded.rejected("not valid JSON " + where(broken));
      }
      if (String.valueOf(e.getOriginalMessage()).startsWith("Trailing token")) {
        return Decoded.rejected("not valid JSON: more data after the message");
      }
      return Decoded.rejected(typeOf(e) + "bad value at " + path(e));
    } catch (StreamReadException e) {
      return Decoded.rejected("not valid JSON " + where(e));
    } catch (JacksonException e) {
      return Decoded.rejected("not valid JSON");
    } catch (RuntimeException e) {
      // Defensive: a decoder must never take the connection down with it.
      return Decoded.rejected("undecodable message: " + e.getClass().getSimpleName());
    }
  }

  /** Which limit, in the protocol's words (Jackson's own text names its internals). */
  private static String limitExceeded(StreamConstraintsException e) {
    String text = String.valueOf(e.getOriginalMessage()).toLowerCase(java.util.Locale.ROOT);
    if (text.contains("nesting")) {
      return "nested deeper than " + MAX_NESTING + " levels";
    }
    if (text.contains("number")) {
      return "a number longer than 20 characters";
    }
    if (text.contains("string")) {
      return "a text longer than " + SignalMessage.MAX_SDP_CHARS * 2 + " characters";
    }
    return "over the size limits";
  }

  /** The {@code type} a message travels under, e.g. "hello". */
  public static String typeName(SignalMessage message) {
    return wireName(message.getClass());
  }

  /** "bad 'hello': " for a problem anywhere inside a hello; "" when no message type is known. */
  private static String typeOf(JsonMappingException e) {
    for (JsonMappingException.Reference ref : e.getPath()) {
      Object from = ref.getFrom();
      Class<?> cls = from instanceof Class<?> c ? c : from == null ? null : from.getClass();
      if (cls != null && SignalMessage.class.isAssignableFrom(cls)) {
        return "bad '" + wireName(cls) + "': ";
      }
    }
    if (e instanceof ValueInstantiationException vie
        && vie.getType() != null
        && SignalMessage.class.isAssignableFrom(vie.getType().getRawClass())) {
      return "bad '" + wireName(vie.getType().getRawClass()) + "': ";
    }
    return "";
  }

  private static String wireName(Class<?> cls) {
    JsonTypeName name = cls.getAnnotation(JsonTypeName.class);
    return name != null ? name.value() : cls.getSimpleName();
  }

  private static String path(JsonMappingException e) {
    String path =
        e.getPath().stream()
            .map(
                ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
            .collect(Collectors.joining("."));
    return path.isEmpty() ? "top level" : "'" + path + "'";
  }

  /**
   * The position only: Jackson's own text quotes the offending token, which may be a credential
   * typed without quotes.
   */
  private static String where(StreamReadException e) {
    var location = e.getLocation();
    return location == null
        ? ""
        : "at line " + location.getLineNr() + ", column " + location.getColumnNr();
  }

  private static String clip(String text) {
    if (text == null) {
      return "";
    }
    String firstLine = text.lines().findFirst().orElse("");
    return firstLine.length() > 80 ? firstLine.substring(0, 80) + "…" : firstLine;
  }
}
