package dev.rcdrive.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON read with Jackson's streaming parser into plain Java, for the readers that then take what
 * they know by name (the signaling messages, the config files): no data binding, whose first use
 * costs hundreds of classes at a start. The parser's constraints bound depth and sizes.
 */
final class JsonValues {

  private JsonValues() {}

  /** A number that is not an int: a fraction, an exponent, or too large; as it was written. */
  record OtherNumber(String text) {
    @Override
    public String toString() {
      return text;
    }
  }

  /**
   * The value starting at {@code token}: String, Boolean, Integer (an integer that fits an int),
   * {@link OtherNumber}, List, Map (in the text's order; a repeated key keeps its last value, in
   * its own place), or null.
   */
  static Object read(JsonParser parser, JsonToken token) throws IOException {
    switch (token) {
      case START_OBJECT:
        return readObject(parser);
      case START_ARRAY:
        List<Object> list = new ArrayList<>();
        for (JsonToken next = parser.nextToken();
            next != JsonToken.END_ARRAY;
            next = parser.nextToken()) {
          list.add(read(parser, next));
        }
        return list;
      case VALUE_STRING:
        return parser.getText();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      case VALUE_NUMBER_INT:
        return parser.getNumberType() == JsonParser.NumberType.INT
            ? Integer.valueOf(parser.getIntValue())
            : new OtherNumber(parser.getText());
      case VALUE_NUMBER_FLOAT:
        return new OtherNumber(parser.getText());
      default:
        throw new IllegalStateException("unexpected " + token);
    }
  }

  /**
   * " at line L, column C", or nothing: the position only, since Jackson's own text quotes the
   * offending token, which may be a credential typed without quotes.
   */
  static String position(com.fasterxml.jackson.core.JsonProcessingException e) {
    var at = e.getLocation();
    return at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
  }

  /** The object's fields after its START_OBJECT. */
  static Map<String, Object> readObject(JsonParser parser) throws IOException {
    Map<String, Object> fields = new LinkedHashMap<>();
    for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
      fields.remove(name); // the last one counts, in its own place
      fields.put(name, read(parser, parser.nextToken()));
    }
    return fields;
  }
}
