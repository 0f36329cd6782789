package dev.rcdrive.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import dev.rcdrive.protocol.SignalMessage.Answer;
import dev.rcdrive.protocol.SignalMessage.Bye;
import dev.rcdrive.protocol.SignalMessage.Candidate;
import dev.rcdrive.protocol.SignalMessage.CarInfo;
import dev.rcdrive.protocol.SignalMessage.Cars;
import dev.rcdrive.protocol.SignalMessage.Denied;
import dev.rcdrive.protocol.SignalMessage.Drive;
import dev.rcdrive.protocol.SignalMessage.Granted;
import dev.rcdrive.protocol.SignalMessage.Hello;
import dev.rcdrive.protocol.SignalMessage.IceServer;
import dev.rcdrive.protocol.SignalMessage.ListCars;
import dev.rcdrive.protocol.SignalMessage.Offer;
import dev.rcdrive.protocol.SignalMessage.Release;
import dev.rcdrive.protocol.SignalMessage.Released;
import dev.rcdrive.protocol.SignalMessage.ServerError;
import dev.rcdrive.protocol.SignalMessage.Welcome;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * JSON text to {@link SignalMessage} and back. Thread-safe. Decoding never throws: hostile input
 * (garbage, deep nesting, huge numbers, wrong types) comes back as a reason.
 *
 * <p>Written on Jackson's streaming parser and generator, field by field, rather than on its data
 * binding: the binding's first use cost ~150 ms of CPU in every process that connects, the station
 * and the car at their start among them (docs/benchmarks.md, "Start-up, a tenth time"). Types are
 * as documented, with no guessing: {@code "carId": 42} is not {@code "42"}, {@code "protocol": "1"}
 * is not 1, {@code 1.5} is not an integer. Unknown fields are ignored.
 */
public final class SignalCodec {

  /** Deeper JSON than any of our messages needs; refused before it costs stack or memory. */
  private static final int MAX_NESTING = 16;

  private static final JsonFactory JSON =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(MAX_NESTING)
                  .maxNumberLength(20)
                  .maxStringLength(SignalMessage.MAX_SDP_CHARS * 2)
                  .build())
          .build();

  /** Writes one message's fields, null ones left out, in the record's order. */
  @FunctionalInterface
  private interface FieldWriter<T> {
    void write(JsonGenerator json, T message) throws IOException;
  }

  /**
   * A message's {@code type} on the wire, its record, how to make it from its fields and how to
   * write them: both directions of each message side by side, so a field is added to both.
   */
  private record Kind<T extends SignalMessage>(
      String name, Class<T> type, Function<Fields, T> read, FieldWriter<T> write) {

    void writeFields(JsonGenerator json, SignalMessage message) throws IOException {
      write.write(json, type.cast(message));
    }
  }

  private static final List<Kind<?>> KINDS =
      List.of(
          new Kind<>("hello", Hello.class, SignalCodec::hello, SignalCodec::hello),
          new Kind<>("welcome", Welcome.class, SignalCodec::welcome, SignalCodec::welcome),
          new Kind<>("list", ListCars.class, f -> new ListCars(), (json, m) -> {}),
          new Kind<>("cars", Cars.class, SignalCodec::cars, SignalCodec::cars),
          new Kind<>(
              "drive",
              Drive.class,
              f -> new Drive(f.text("carId")),
              (json, m) -> text(json, "carId", m.carId())),
          new Kind<>(
              "granted",
              Granted.class,
              f -> new Granted(f.text("carId"), f.text("driverId"), f.text("driverName")),
              (json, m) -> {
                text(json, "carId", m.carId());
                text(json, "driverId", m.driverId());
                text(json, "driverName", m.driverName());
              }),
          new Kind<>(
              "denied",
              Denied.class,
              f -> new Denied(f.text("carId"), f.text("code"), f.text("reason")),
              (json, m) -> {
                text(json, "carId", m.carId());
                text(json, "code", m.code());
                text(json, "reason", m.reason());
              }),
          new Kind<>(
              "release",
              Release.class,
              f -> new Release(f.text("carId")),
              (json, m) -> text(json, "carId", m.carId())),
          new Kind<>(
              "released",
              Released.class,
              f ->
                  new Released(
                      f.text("carId"), f.text("driverId"), f.text("reason"), f.bool("revoked")),
              (json, m) -> {
                text(json, "carId", m.carId());
                text(json, "driverId", m.driverId());
                text(json, "reason", m.reason());
                bool(json, "revoked", m.revoked());
              }),
          new Kind<>(
              "offer",
              Offer.class,
              f -> new Offer(f.text("sdp"), f.text("from")),
              (json, m) -> {
                text(json, "sdp", m.sdp());
                text(json, "from", m.from());
              }),
          new Kind<>(
              "answer",
              Answer.class,
              f -> new Answer(f.text("sdp"), f.text("from")),
              (json, m) -> {
                text(json, "sdp", m.sdp());
                text(json, "from", m.from());
              }),
          new Kind<>(
              "candidate",
              Candidate.class,
              f ->
                  new Candidate(
                      f.text("candidate"),
                      f.text("sdpMid"),
                      f.integer("sdpMLineIndex"),
                      f.text("from")),
              (json, m) -> {
                text(json, "candidate", m.candidate());
                text(json, "sdpMid", m.sdpMid());
                integer(json, "sdpMLineIndex", m.sdpMLineIndex());
                text(json, "from", m.from());
              }),
          new Kind<>(
              "bye",
              Bye.class,
              f -> new Bye(f.text("reason")),
              (json, m) -> text(json, "reason", m.reason())),
          new Kind<>(
              "error",
              ServerError.class,
              f -> new ServerError(f.text("code"), f.text("message")),
              (json, m) -> {
                text(json, "code", m.code());
                text(json, "message", m.message());
              }));

  private static final Map<String, Kind<?>> BY_NAME =
      KINDS.stream().collect(Collectors.toUnmodifiableMap(Kind::name, kind -> kind));

  private static final Map<Class<?>, Kind<?>> BY_TYPE =
      KINDS.stream().collect(Collectors.toUnmodifiableMap(Kind::type, kind -> kind));

  private SignalCodec() {}

  /**
   * Pays the codec's first use (its classes, their compilation) now, on the caller's thread, rather
   * than on a connection's way to its first message. A process that is about to connect calls it on
   * a background thread while it starts. True when both messages made the round trip.
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

  // ---- encoding ---------------------------------------------------------------------------------

  public static String encode(SignalMessage message) {
    Kind<?> kind = kindOf(message);
    StringWriter out = new StringWriter(128);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("type", kind.name());
      kind.writeFields(json, message);
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode " + kind.name(), e); // a StringWriter
    }
    return out.toString();
  }

  private static void hello(JsonGenerator json, Hello m) throws IOException {
    text(json, "role", m.role() == null ? null : m.role().wireName());
    text(json, "carId", m.carId());
    text(json, "credential", m.credential());
    text(json, "client", m.client());
    integer(json, "protocol", m.protocol());
    text(json, "name", m.name());
    text(json, "resumePeerId", m.resumePeerId());
    text(json, "resumeToken", m.resumeToken());
  }

  private static void welcome(JsonGenerator json, Welcome m) throws IOException {
    text(json, "peerId", m.peerId());
    json.writeArrayFieldStart("iceServers");
    for (IceServer server : m.iceServers()) {
      json.writeStartObject();
      json.writeArrayFieldStart("urls");
      for (String url : server.urls()) {
        json.writeString(url);
      }
      json.writeEndArray();
      text(json, "username", server.username());
      text(json, "credential", server.credential());
      json.writeEndObject();
    }
    json.writeEndArray();
    text(json, "server", m.server());
    integer(json, "protocol", m.protocol());
    text(json, "resumeToken", m.resumeToken());
  }

  private static void cars(JsonGenerator json, Cars m) throws IOException {
    json.writeArrayFieldStart("cars");
    for (CarInfo car : m.cars()) {
      json.writeStartObject();
      text(json, "carId", car.carId());
      text(json, "name", car.name());
      bool(json, "online", car.online());
      bool(json, "driven", car.driven());
      json.writeEndObject();
    }
    json.writeEndArray();
  }

  private static void text(JsonGenerator json, String field, String value) throws IOException {
    if (value != null) {
      json.writeStringField(field, value);
    }
  }

  private static void integer(JsonGenerator json, String field, Integer value) throws IOException {
    if (value != null) {
      json.writeNumberField(field, value);
    }
  }

  private static void bool(JsonGenerator json, String field, Boolean value) throws IOException {
    if (value != null) {
      json.writeBooleanField(field, value);
    }
  }

  /** The {@code type} a message travels under, e.g. "hello". */
  public static String typeName(SignalMessage message) {
    return kindOf(message).name();
  }

  private static Kind<?> kindOf(SignalMessage message) {
    Kind<?> kind = BY_TYPE.get(message.getClass());
    if (kind == null) { // a record added to SignalMessage without its kind here
      throw new IllegalStateException("no wire form for " + message.getClass().getSimpleName());
    }
    return kind;
  }

  // ---- decoding ---------------------------------------------------------------------------------

  public static Decoded<SignalMessage> decode(String json) {
    if (json == null || json.isBlank()) {
      return Decoded.rejected("empty message");
    }
    Map<String, Object> object;
    try (JsonParser parser = JSON.createParser(json)) {
      JsonToken first = parser.nextToken();
      if (first != JsonToken.START_OBJECT) {
        JsonValues.read(parser, first); // still a syntax error first, if it is one
        return Decoded.rejected("not a JSON object");
      }
      object = JsonValues.readObject(parser);
      if (parser.nextToken() != null) {
        return Decoded.rejected("not valid JSON: more data after the message");
      }
    } catch (StreamConstraintsException e) {
      return Decoded.rejected("message too complex: " + limitExceeded(e));
    } catch (StreamReadException e) {
      return Decoded.rejected("not valid JSON" + JsonValues.position(e));
    } catch (IOException | RuntimeException e) {
      return Decoded.rejected("not valid JSON");
    }
    Object type = object.get("type");
    if (type == null) {
      return Decoded.rejected("missing field 'type'");
    }
    if (type instanceof List || type instanceof Map) {
      return Decoded.rejected("bad value at 'type'");
    }
    Kind<?> kind = BY_NAME.get(String.valueOf(type));
    if (kind == null) {
      return Decoded.rejected("unknown type '" + clip(String.valueOf(type)) + "'");
    }
    try {
      return Decoded.ok(kind.read().apply(new Fields(object, "")));
    } catch (BadValue e) {
      return Decoded.rejected("bad '" + type + "': bad value at '" + e.path + "'");
    } catch (IllegalArgumentException e) { // the records' own checks, in the protocol's words
      return Decoded.rejected("bad '" + type + "': " + e.getMessage());
    } catch (RuntimeException e) {
      // Defensive: a decoder must never take the connection down with it.
      return Decoded.rejected("undecodable message: " + e.getClass().getSimpleName());
    }
  }

  private static Hello hello(Fields f) {
    String role = f.text("role");
    return new Hello(
        role == null ? null : Role.fromWire(role),
        f.text("carId"),
        f.text("credential"),
        f.text("client"),
        f.integer("protocol"),
        f.text("name"),
        f.text("resumePeerId"),
        f.text("resumeToken"));
  }

  private static Cars cars(Fields f) {
    return new Cars(f.list("cars", SignalCodec::carInfo));
  }

  private static Welcome welcome(Fields f) {
    return new Welcome(
        f.text("peerId"),
        f.list("iceServers", SignalCodec::iceServer),
        f.text("server"),
        f.integer("protocol"),
        f.text("resumeToken"));
  }

  private static IceServer iceServer(Fields f) {
    return new IceServer(f.texts("urls"), f.text("username"), f.text("credential"));
  }

  private static CarInfo carInfo(Fields f) {
    return new CarInfo(f.text("carId"), f.text("name"), f.bool("online"), f.bool("driven"));
  }

  /** A field of the wrong JSON type; {@code path} as "iceServers.[0].urls". */
  private static final class BadValue extends RuntimeException {
    final String path;

    BadValue(String path) {
      super(path, null, false, false);
      this.path = path;
    }
  }

  /** One JSON object's fields, read by type; {@code at} is its path from the message. */
  private record Fields(Map<String, Object> values, String at) {

    private String path(String field) {
      return at.isEmpty() ? field : at + "." + field;
    }

    String text(String field) {
      Object value = values.get(field);
      if (value == null || value instanceof String) {
        return (String) value;
      }
      throw new BadValue(path(field));
    }

    Integer integer(String field) {
      Object value = values.get(field);
      if (value == null || value instanceof Integer) {
        return (Integer) value;
      }
      throw new BadValue(path(field));
    }

    Boolean bool(String field) {
      Object value = values.get(field);
      if (value == null || value instanceof Boolean) {
        return (Boolean) value;
      }
      throw new BadValue(path(field));
    }

    /** A list of texts, null when absent; no element may be null. */
    List<String> texts(String field) {
      List<?> items = items(field);
      if (items == null) {
        return null;
      }
      List<String> texts = new ArrayList<>(items.size());
      for (int i = 0; i < items.size(); i++) {
        if (!(items.get(i) instanceof String text)) {
          throw new BadValue(path(field) + ".[" + i + "]");
        }
        texts.add(text);
      }
      return texts;
    }

    /** A list of objects, each made by {@code read}; null when absent. */
    <T> List<T> list(String field, Function<Fields, T> read) {
      List<?> items = items(field);
      if (items == null) {
        return null;
      }
      List<T> list = new ArrayList<>(items.size());
      for (int i = 0; i < items.size(); i++) {
        String itemPath = path(field) + ".[" + i + "]";
        if (!(items.get(i) instanceof Map<?, ?> item)) {
          throw new BadValue(itemPath);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> itemFields = (Map<String, Object>) item;
        list.add(read.apply(new Fields(itemFields, itemPath)));
      }
      return list;
    }

    private List<?> items(String field) {
      Object value = values.get(field);
      if (value == null || value instanceof List) {
        return (List<?>) value;
      }
      throw new BadValue(path(field));
    }
  }

  /** Which limit, in the protocol's words (Jackson's own text names its internals). */
  private static String limitExceeded(StreamConstraintsException e) {
    String text = String.valueOf(e.getOriginalMessage()).toLowerCase(Locale.ROOT);
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

  private static String clip(String text) {
    String firstLine = text.lines().findFirst().orElse("");
    return firstLine.length() > 80 ? firstLine.substring(0, 80) + "…" : firstLine;
  }
}
