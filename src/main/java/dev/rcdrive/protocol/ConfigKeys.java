package dev.rcdrive.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Map.Entry;
import java.util.Set;

/**
 * Finds the keys of a JSON config that its record does not have: a typo ({@code "failsafeMS"}) must
 * stop the program with the key's path, not be dropped while a default drives the car. The agent's
 * and the signaling server's files are checked the same way. Keys starting with {@code _} are
 * comments.
 */
public final class ConfigKeys {

  private ConfigKeys() {}

  /**
   * The unknown keys of {@code node} read as {@code type}, each as {@code "path.key: unknown field
   * (known: [...])"}. Objects (and lists of objects) whose record is in {@code nested} are checked
   * one level down; {@code alsoKnown} are top-level keys that another reader owns.
   */
  public static List<String> unknown(
      JsonNode node, Class<? extends Record> type, Set<Class<?>> nested, Set<String> alsoKnown) {
    List<String> out = new ArrayList<>();
    walk(node, type, "", nested, alsoKnown, out);
    return out;
  }

  private static void walk(
      JsonNode node,
      Class<?> type,
      String path,
      Set<Class<?>> nested,
      Set<String> alsoKnown,
      List<String> out) {
    Map<String, RecordComponent> components = new LinkedHashMap<>();
    for (RecordComponent component : type.getRecordComponents()) {
      components.put(component.getName(), component);
    }
    for (Entry<String, JsonNode> field : node.properties()) {
      String name = field.getKey();
      if (name.startsWith("_") || alsoKnown.contains(name)) {
        continue;
      }
      RecordComponent component = components.get(name);
      JsonNode value = field.getValue();
      if (component == null) {
        List<String> known = new ArrayList<>(components.keySet());
        known.addAll(alsoKnown.stream().sorted().toList());
        out.add(path + name + ": unknown field (known: " + known + ")");
      } else if (nested.contains(component.getType()) && value.isObject()) {
        walk(value, component.getType(), path + name + ".", nested, Set.of(), out);
      } else if (value.isArray() && nested.contains(elementType(component))) {
        for (int i = 0; i < value.size(); i++) {
          if (value.get(i).isObject()) {
            String at = path + name + "[" + i + "].";
            walk(value.get(i), elementType(component), at, nested, Set.of(), out);
          }
        }
      }
    }
  }

  /** {@code X} for a {@code List<X>} component, else null. */
  private static Class<?> elementType(RecordComponent component) {
    Type generic = component.getGenericType();
    if (generic instanceof ParameterizedType list
        && list.getActualTypeArguments().length == 1
        && list.getActualTypeArguments()[0] instanceof Class<?> element) {
      return element;
    }
    return null;
  }
}
