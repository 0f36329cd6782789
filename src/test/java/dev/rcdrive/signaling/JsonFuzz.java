package dev.rcdrive.signaling;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Hostile JSON for the signaling server, reproducible from a seed. Every kind of input the issue
 * names: random text, truncated and mutated messages, deep nesting, huge strings, wrong types,
 * unknown types and odd JSON. Templates carry wrong credentials only, so no input can log in.
 */
final class JsonFuzz {

  enum Kind {
    RANDOM_TEXT,
    TRUNCATED,
    MUTATED,
    DEEP_NESTING,
    HUGE_STRING,
    WRONG_TYPES,
    UNKNOWN_TYPE,
    ODD_JSON
  }

  static final List<String> TEMPLATES =
      List.of(
          "{\"type\":\"hello\",\"role\":\"car\",\"carId\":\"buggy\",\"credential\":\"guess-1\",\"protocol\":1}",
          "{\"type\":\"hello\",\"role\":\"driver\",\"credential\":\"guess-2\",\"protocol\":1,\"resumePeerId\":\"abc\",\"resumeToken\":\"def\"}",
          "{\"type\":\"list\"}",
          "{\"type\":\"drive\",\"carId\":\"buggy\"}",
          "{\"type\":\"drive\",\"carId\":\"truck\"}",
          "{\"type\":\"release\",\"carId\":\"buggy\"}",
          "{\"type\":\"offer\",\"sdp\":\"v=0\\r\\no=- 1 2 IN IP4 127.0.0.1\\r\\n\",\"from\":\"x\"}",
          "{\"type\":\"answer\",\"sdp\":\"v=0\\r\\n\"}",
          "{\"type\":\"candidate\",\"candidate\":\"candidate:1 1 udp 1 127.0.0.1 9 typ host\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}",
          "{\"type\":\"welcome\",\"peerId\":\"p\",\"protocol\":1}",
          "{\"type\":\"granted\",\"carId\":\"buggy\",\"driverId\":\"p\"}",
          "{\"type\":\"error\",\"code\":\"X\",\"message\":\"y\"}",
          "{\"type\":\"cars\",\"cars\":[{\"carId\":\"buggy\",\"name\":\"n\",\"online\":true,\"driven\":false}]}");

  private static final List<String> FIELDS =
      List.of(
          "type",
          "role",
          "carId",
          "credential",
          "protocol",
          "sdp",
          "candidate",
          "sdpMid",
          "sdpMLineIndex",
          "from",
          "name",
          "client",
          "resumePeerId",
          "cars",
          "zzz");

  private static final List<String> ODD_VALUES =
      List.of(
          "null",
          "true",
          "false",
          "0",
          "-0",
          "1e999",
          "-1e999",
          "123456789012345678901234567890",
          "1.5",
          "[]",
          "{}",
          "[1,[2,[3]]]",
          "{\"a\":{\"b\":{}}}",
          "\"\"",
          "\" \"",
          "\"\\u0000\\u001f\"",
          "\"\\ud800\"",
          "NaN",
          "Infinity",
          "\"buggy\"",
          "2147483648",
          "-2147483649");

  private final Random random;
  final Map<Kind, Integer> counts = new EnumMap<>(Kind.class);

  JsonFuzz(long seed) {
    this.random = new Random(seed);
  }

  /** The next hostile input; its size is at most about 100 KB (over the 64 KiB message limit). */
  String next() {
    Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
    counts.merge(kind, 1, Integer::sum);
    String template = TEMPLATES.get(random.nextInt(TEMPLATES.size()));
    return switch (kind) {
      case RANDOM_TEXT -> randomText(random.nextInt(200));
      case TRUNCATED -> template.substring(0, random.nextInt(template.length()));
      case MUTATED -> mutate(template);
      case DEEP_NESTING -> nested();
      case HUGE_STRING -> huge();
      case WRONG_TYPES -> wrongType(template);
      case UNKNOWN_TYPE -> "{\"type\":\"" + randomWord() + "\",\"carId\":\"buggy\"}";
      case ODD_JSON -> odd(template);
    };
  }

  private String randomText(int length) {
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      int pick = random.nextInt(10);
      text.append(
          pick < 6
              ? (char) (32 + random.nextInt(95)) // printable ASCII, JSON punctuation included
              : pick < 8 ? "{}[]\":,".charAt(random.nextInt(7)) : (char) random.nextInt(0x3000));
    }
    return text.toString();
  }

  private String randomWord() {
    StringBuilder word = new StringBuilder();
    int length = 1 + random.nextInt(20);
    for (int i = 0; i < length; i++) {
      word.append((char) ('a' + random.nextInt(26)));
    }
    return word.toString();
  }

  private String mutate(String template) {
    StringBuilder text = new StringBuilder(template);
    int edits = 1 + random.nextInt(5);
    for (int i = 0; i < edits && text.length() > 0; i++) {
      int at = random.nextInt(text.length());
      char c = (char) (random.nextBoolean() ? 32 + random.nextInt(95) : random.nextInt(0x800));
      switch (random.nextInt(3)) {
        case 0 -> text.setCharAt(at, c);
        case 1 -> text.insert(at, c);
        default -> text.deleteCharAt(at);
      }
    }
    return text.toString();
  }

  /** From just past the limit of 16 to far past it, closed or not, as a value or the whole. */
  private String nested() {
    int depth = random.nextBoolean() ? 15 + random.nextInt(5) : 100 + random.nextInt(30_000);
    String open = random.nextBoolean() ? "[" : "{\"a\":";
    String close = open.equals("[") ? "]" : "}";
    String body = open.repeat(depth) + (random.nextBoolean() ? "1" + close.repeat(depth) : "");
    return random.nextBoolean() ? body : "{\"type\":\"offer\",\"sdp\":" + body + "}";
  }

  /** A huge value in a random field: just under, at and over each limit, up to ~100 KB. */
  private String huge() {
    int[] sizes = {513, 1025, 32 * 1024, 32 * 1024 + 1, 60_000, 64 * 1024 + 1, 100_000};
    int size = sizes[random.nextInt(sizes.length)];
    String field = FIELDS.get(random.nextInt(FIELDS.size()));
    String value = "x".repeat(size);
    return field.equals("type")
        ? "{\"type\":\"" + value + "\"}"
        : "{\"type\":\"offer\",\"" + field + "\":\"" + value + "\",\"sdp\":\"v=0\"}";
  }

  private String wrongType(String template) {
    String field = FIELDS.get(random.nextInt(FIELDS.size()));
    String value = ODD_VALUES.get(random.nextInt(ODD_VALUES.size()));
    String replaced =
        template.replaceFirst(
            "\"" + field + "\":(\"[^\"]*\"|[^,}]*)", "\"" + field + "\":" + value);
    return replaced.equals(template)
        ? template.substring(0, template.length() - 1) + ",\"" + field + "\":" + value + "}"
        : replaced;
  }

  private String odd(String template) {
    return switch (random.nextInt(9)) {
      case 0 -> template + template; // two objects
      case 1 -> template + " trailing";
      case 2 -> "\uFEFF" + template; // byte-order mark
      case 3 -> template.replace('"', '\''); // single quotes
      case 4 -> "/* c */" + template;
      case 5 -> template.replace("{\"type\"", "{\"type\":\"list\",\"type\"");
      case 6 -> "[" + template + "]";
      case 7 -> "\"" + template.replace("\"", "\\\"") + "\"";
      default -> String.valueOf(random.nextLong());
    };
  }
}
