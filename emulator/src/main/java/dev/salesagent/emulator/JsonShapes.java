package dev.salesagent.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Compares a JSON body with a documented example by shape: field names, nesting and JSON types (values are examples).
 * HubSpot's {@code properties} objects are maps of property name to string value (or null for a property asked for and
 * not set): only their values' types are compared. The documented HubSpot examples are the resources
 * {@code /hubspot-docs/*.json} ({@link #hubspotDoc}). Shared by the emulator's and the client's contract tests.
 */
public final class JsonShapes {
  private static final ObjectMapper M = new ObjectMapper();

  private JsonShapes() {}

  /** A documented HubSpot example, e.g. {@code hubspotDoc("note-request.json")}. */
  public static JsonNode hubspotDoc(String name) {
    try (InputStream in = JsonShapes.class.getResourceAsStream("/hubspot-docs/" + name)) {
      if (in == null) throw new IllegalArgumentException("no documented example " + name);
      return M.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Where {@code actual} lacks a documented field or holds it with another type (empty = it has the documented shape). */
  public static List<String> missingFrom(JsonNode documented, JsonNode actual) {
    List<String> out = new ArrayList<>();
    compare(documented, actual, "$", false, true, out);
    return out;
  }

  /** Where {@code actual} has a field the documented example does not (a request must not invent fields). */
  public static List<String> unknownIn(JsonNode documented, JsonNode actual) {
    List<String> out = new ArrayList<>();
    compare(documented, actual, "$", false, false, out);
    return out;
  }

  private static void compare(JsonNode doc, JsonNode act, String path, boolean propertyMap, boolean required, List<String> out) {
    if (act == null || act.isMissingNode()) {
      if (required) out.add(path + ": missing");
      return;
    }
    if (propertyMap) {
      if (!act.isObject()) {
        out.add(path + ": expected an object of properties, got " + act.getNodeType());
        return;
      }
      for (Iterator<String> it = act.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        JsonNode v = act.get(k);
        if (!v.isTextual() && !v.isNull()) out.add(path + "." + k + ": property values are strings, got " + v.getNodeType());
      }
      return;
    }
    if (act.isNull() && !doc.isContainerNode()) return;
    if (doc.getNodeType() != act.getNodeType()) {
      out.add(path + ": expected " + doc.getNodeType() + ", got " + act.getNodeType());
      return;
    }
    if (doc.isObject()) {
      Iterator<String> names = required ? doc.fieldNames() : act.fieldNames();
      while (names.hasNext()) {
        String k = names.next();
        JsonNode d = doc.get(k);
        if (d == null) {
          out.add(path + "." + k + ": not in the documented example");
          continue;
        }
        compare(d, act.get(k), path + "." + k, k.equals("properties") && d.isObject(), required, out);
      }
    } else if (doc.isArray() && !doc.isEmpty()) {
      for (int i = 0; i < act.size(); i++) compare(doc.get(0), act.get(i), path + "[" + i + "]", false, required, out);
    }
  }
}
