package dev.salesagent.server.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;

/**
 * What was wrong with a JSON body, in words for the caller: the field and the problem, or where the syntax broke —
 * never Jackson's own message, which names Java classes and echoes the source.
 */
public final class JsonProblems {
  private JsonProblems() {}

  public static String describe(Throwable t) {
    if (t instanceof ValueInstantiationException v && v.getCause() != null && v.getCause().getMessage() != null) {
      // a record's own validation rule (Lead: "email is required", ...): written for users
      return v.getCause().getMessage();
    }
    if (t instanceof UnrecognizedPropertyException u) return "unknown field " + path(u);
    if (t instanceof JsonMappingException m && !m.getPath().isEmpty()) return path(m) + " has the wrong type or format";
    if (t instanceof JsonProcessingException p) {
      JsonLocation at = p.getLocation();
      return at == null || at.getLineNr() < 0 ? "not valid JSON"
          : "not valid JSON at line " + at.getLineNr() + ", column " + at.getColumnNr();
    }
    return "unreadable";
  }

  private static String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder("$");
    for (JsonMappingException.Reference r : e.getPath()) {
      sb.append(r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]");
    }
    return sb.toString();
  }
}
