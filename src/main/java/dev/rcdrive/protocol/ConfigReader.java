package dev.rcdrive.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a JSON config file into records on Jackson's streaming parser: each object onto its
 * record's canonical constructor by component name, an absent key or {@code null} as null (the
 * record's own defaults apply; a primitive component has none, so it must be there). Every problem
 * is collected with its path, in the file's order: a key the record does not have (a typo must not
 * pass for a default; keys starting with {@code _} are comments), a value of the wrong type, a word
 * that is not one of an enum's (its static {@code of(String)}), a record's own check (its message
 * names the field itself).
 *
 * <p>No data binding: the car reads its config at every start, where Jackson's data binding cost
 * ~0.6 s on this machine (400 classes outside the class-data archive), several times that on a Pi.
 */
public final class ConfigReader {

  private static final JsonFactory JSON =
      JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build())
          .build();

  private ConfigReader() {}

  /**
   * {@code json} as a {@code type}, or null with {@code problems} filled (each "path: what").
   *
   * @throws IOException not valid JSON (the message gives the position only: the offending token
   *     may be a key typed without quotes), or not a JSON object
   */
  public static <R extends Record> R read(String json, Class<R> type, List<String> problems)
      throws IOException {
    return read(json, type, Set.of(), problems);
  }

  /**
   * The same, with top-level keys that another reader owns ({@link #section}): not unknown here.
   */
  public static <R extends Record> R read(
      String json, Class<R> type, Set<String> ownedElsewhere, List<String> problems)
      throws IOException {
    Map<String, Object> root = new LinkedHashMap<>(object(json));
    root.keySet().removeAll(ownedElsewhere);
    int before = problems.size();
    R config = type.cast(record(root, type, "", ownedElsewhere, false, problems));
    return problems.size() == before ? config : null;
  }

  /**
   * A file the program writes itself (the station's saved connections, its window's place): read
   * the same way, but keys it does not know are skipped, not problems: a newer version may have
   * written them, and the file must still serve this one.
   */
  public static <R extends Record> R readSkippingUnknown(
      String json, Class<R> type, List<String> problems) throws IOException {
    int before = problems.size();
    R saved = type.cast(record(object(json), type, "", Set.of(), true, problems));
    return problems.size() == before ? saved : null;
  }

  /**
   * The top-level object {@code name} of {@code json} as a {@code type}; null when the file has no
   * such key (or it is null), or with {@code problems} filled.
   */
  public static <R extends Record> R section(
      String json, String name, Class<R> type, List<String> problems) throws IOException {
    Object value = object(json).get(name);
    if (value == null) {
      return null;
    }
    int before = problems.size();
    R section = type.cast(value(value, type, name, false, problems));
    return problems.size() == before ? section : null;
  }

  /**
   * Throws unless every component reachable from {@code type} is of a kind a config can hold: so a
   * field added to a config record in a form this reader cannot read fails a test, not a user's
   * start (ConfigReaderTest calls this for every config record).
   */
  static void checkReadable(Class<?> type) {
    for (RecordComponent component : type.getRecordComponents()) {
      checkReadable(component.getGenericType(), type.getSimpleName() + "." + component.getName());
    }
  }

  private static void checkReadable(Type type, String where) {
    if (type instanceof ParameterizedType generic && generic.getRawType() == List.class) {
      checkReadable(generic.getActualTypeArguments()[0], where + "[]");
      return;
    }
    if (!(type instanceof Class<?> raw)) {
      throw new IllegalStateException(where + ": " + type + " is not a type a config can hold");
    }
    if (raw.isRecord()) {
      checkReadable(raw);
    } else if (raw.isEnum()) {
      wordReader(raw);
    } else if (!List.of(
            String.class,
            Integer.class,
            int.class,
            Long.class,
            long.class,
            Double.class,
            double.class,
            Boolean.class,
            boolean.class)
        .contains(raw)) {
      throw new IllegalStateException(where + ": " + raw + " is not a type a config can hold");
    }
  }

  private static Map<String, Object> object(String json) throws IOException {
    try (JsonParser parser = JSON.createParser(json)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw new IOException("the config is empty: it must be a JSON object");
      }
      Object value = JsonValues.read(parser, first);
      if (parser.nextToken() != null) {
        throw new IOException("not valid JSON: more after the config's closing brace");
      }
      if (!(value instanceof Map<?, ?>)) {
        throw new IOException("the config must be a JSON object");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> object = (Map<String, Object>) value;
      return object;
    } catch (JsonProcessingException e) { // bad syntax, or past the parser's limits
      throw new IOException("not valid JSON" + JsonValues.position(e));
    }
  }

  /** {@code alsoKnown}: keys another reader owns, named with the known ones when one is unknown. */
  private static Object record(
      Map<String, Object> fields,
      Class<?> type,
      String path,
      Set<String> alsoKnown,
      boolean skipUnknown,
      List<String> problems) {
    RecordComponent[] components = type.getRecordComponents();
    Map<String, Integer> index = new LinkedHashMap<>();
    for (int i = 0; i < components.length; i++) {
      index.put(components[i].getName(), i);
    }
    List<String> known = new ArrayList<>(index.keySet());
    known.addAll(alsoKnown.stream().sorted().toList());
    Object[] args = new Object[components.length];
    int before = problems.size();
    for (Map.Entry<String, Object> field : fields.entrySet()) {
      String name = field.getKey();
      if (name.startsWith("_")) {
        continue;
      }
      Integer slot = index.get(name);
      if (slot == null) {
        if (!skipUnknown) {
          problems.add(at(path, name) + ": unknown field (known: " + known + ")");
        }
        continue;
      }
      args[slot] =
          value(
              field.getValue(),
              components[slot].getGenericType(),
              at(path, name),
              skipUnknown,
              problems);
    }
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      types[i] = components[i].getType();
      String name = components[i].getName();
      if (types[i].isPrimitive() && fields.get(name) == null) {
        // absent or null: a primitive has no default, so a record of them wants every field
        problems.add(at(path, name) + ": missing (" + kind(types[i]) + ")");
      }
    }
    if (problems.size() != before) {
      return null; // its own check would only repeat what is already said, or worse
    }
    try {
      Constructor<?> canonical = type.getDeclaredConstructor(types);
      canonical.setAccessible(true);
      return canonical.newInstance(args);
    } catch (InvocationTargetException e) {
      Throwable why = e.getCause();
      problems.add(
          why instanceof IllegalArgumentException && why.getMessage() != null
              ? why.getMessage() // a record's own check: its message names the field
              : (path.isEmpty() ? "config" : path) + ": not usable (" + why + ")");
      return null;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(type + " cannot be read from a config", e);
    }
  }

  private static String at(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  private static Object value(
      Object value, Type type, String path, boolean skipUnknown, List<String> problems) {
    if (value == null) {
      return null;
    }
    Class<?> raw =
        type instanceof ParameterizedType generic
            ? (Class<?>) generic.getRawType()
            : (Class<?>) type;
    if (raw == String.class) {
      if (value instanceof String) {
        return value;
      }
    } else if (raw == Integer.class || raw == int.class) {
      Long whole = whole(value);
      if (whole != null && whole == whole.intValue()) {
        return whole.intValue();
      }
    } else if (raw == Long.class || raw == long.class) {
      Long whole = whole(value);
      if (whole != null) {
        return whole;
      }
    } else if (raw == Double.class || raw == double.class) {
      if (value instanceof Integer i) {
        return i.doubleValue();
      }
      if (value instanceof JsonValues.OtherNumber n) {
        return Double.parseDouble(n.text());
      }
    } else if (raw == Boolean.class || raw == boolean.class) {
      if (value instanceof Boolean) {
        return value;
      }
    } else if (raw == List.class) {
      if (value instanceof List<?> list) {
        Type element = ((ParameterizedType) type).getActualTypeArguments()[0];
        Class<?> elementRaw =
            element instanceof ParameterizedType generic
                ? (Class<?>) generic.getRawType()
                : (Class<?>) element;
        // a null record stays, for the holder's own check to name; a null text or number is none
        List<Object> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
          String item = path + "[" + i + "]";
          if (list.get(i) == null && !elementRaw.isRecord()) {
            problems.add(item + ": expected " + kind(elementRaw));
          } else {
            out.add(value(list.get(i), element, item, skipUnknown, problems));
          }
        }
        return out;
      }
    } else if (raw.isEnum()) {
      if (value instanceof String word) {
        return word(raw, word, path, problems);
      }
    } else if (raw.isRecord()) {
      if (value instanceof Map<?, ?> map) {
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = (Map<String, Object>) map;
        return record(fields, raw, path, Set.of(), skipUnknown, problems);
      }
    } else {
      throw new IllegalStateException(raw + " is not a type a config can hold (" + path + ")");
    }
    problems.add(path + ": expected " + kind(raw));
    return null;
  }

  /** A whole number as a long; 30.0 is one, 30.5 and "30" are not. */
  private static Long whole(Object value) {
    if (value instanceof Integer i) {
      return i.longValue();
    }
    if (value instanceof JsonValues.OtherNumber n) {
      try {
        return new java.math.BigDecimal(n.text()).longValueExact();
      } catch (ArithmeticException notWholeOrTooLarge) {
        return null;
      }
    }
    return null;
  }

  /** The enum's static {@code of(String)}: it refuses a word with the words it knows. */
  private static Object word(Class<?> type, String word, String path, List<String> problems) {
    try {
      return wordReader(type).invoke(null, word);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof IllegalArgumentException refused) {
        problems.add(path + ": " + refused.getMessage());
        return null;
      }
      throw new IllegalStateException(type + ".of failed", e.getCause());
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(type + ".of cannot be called", e);
    }
  }

  private static Method wordReader(Class<?> type) {
    try {
      Method of = type.getMethod("of", String.class);
      if (Modifier.isStatic(of.getModifiers()) && of.getReturnType() == type) {
        of.setAccessible(true);
        return of;
      }
    } catch (NoSuchMethodException e) {
      // said below
    }
    throw new IllegalStateException(type + " needs a static of(String) to be read from a config");
  }

  private static String kind(Class<?> type) {
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "a whole number";
    }
    if (type == Double.class || type == double.class) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == String.class || type.isEnum()) {
      return "a string";
    }
    if (type == List.class) {
      return "a list";
    }
    return "an object";
  }
}
