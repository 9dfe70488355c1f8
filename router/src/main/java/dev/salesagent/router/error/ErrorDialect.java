package dev.salesagent.router.error;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * How one provider writes its errors: where the error object sits in a payload, and which identifiers and texts show
 * which {@link ErrorSign}. Each provider folder declares its own ({@code AnthropicErrors}, {@code CerebrasErrors}, …);
 * the registry joins them with {@link #union}, and the wire layer maps statuses and signs onto the taxonomy without
 * knowing any provider's names.
 *
 * <p>Identifiers and texts are compared in lower case: an identifier matches an error's {@code type} or {@code code},
 * a type only its {@code type}, a text fragment is looked for in its {@code message}.
 */
public final class ErrorDialect {
  /** Knows nothing. */
  public static final ErrorDialect NONE = builder().build();

  private final List<Function<JsonNode, String>> textShapes;
  private final List<Function<JsonNode, JsonNode>> objectShapes;
  private final List<List<String>> codePaths;
  private final List<String> headers;
  private final Map<ErrorSign, Set<String>> ids;
  private final Map<ErrorSign, Set<String>> types;
  private final Map<ErrorSign, List<String>> texts;
  private final Map<ErrorSign, List<Predicate<ErrorBody>>> rules;

  private ErrorDialect(Builder b) {
    this.textShapes = List.copyOf(b.textShapes);
    this.objectShapes = List.copyOf(b.objectShapes);
    this.codePaths = List.copyOf(b.codePaths);
    this.headers = List.copyOf(b.headers);
    this.ids = b.ids;
    this.types = b.types;
    this.texts = b.texts;
    this.rules = b.rules;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Every dialect at once: the shapes of all, the names of all. The router applies the union to every provider's
   * errors, since compatible servers and proxies relay each other's errors (a gateway in front of Cerebras still says
   * {@code queue_exceeded}).
   */
  public static ErrorDialect union(List<ErrorDialect> dialects) {
    Builder b = builder();
    for (ErrorDialect d : dialects) {
      b.textShapes.addAll(d.textShapes);
      b.objectShapes.addAll(d.objectShapes);
      b.codePaths.addAll(d.codePaths);
      for (String h : d.headers) if (!b.headers.contains(h)) b.headers.add(h);
      d.ids.forEach((s, v) -> b.ids.computeIfAbsent(s, k -> new HashSet<>()).addAll(v));
      d.types.forEach((s, v) -> b.types.computeIfAbsent(s, k -> new HashSet<>()).addAll(v));
      d.texts.forEach((s, v) -> b.texts.computeIfAbsent(s, k -> new ArrayList<>()).addAll(v));
      d.rules.forEach((s, v) -> b.rules.computeIfAbsent(s, k -> new ArrayList<>()).addAll(v));
    }
    return b.build();
  }

  /**
   * Reads an error payload: a text-only error (the first text shape that matches) is its own type and message;
   * otherwise the first error object found gives the four fields, the code taken from a {@linkplain Builder#codeAt
   * further place} when the object has none. Never fails; {@link ErrorBody#EMPTY} when no shape matches.
   */
  public ErrorBody read(JsonNode payload) {
    if (payload == null || !payload.isObject()) return ErrorBody.EMPTY;
    for (Function<JsonNode, String> shape : textShapes) {
      String t = shape.apply(payload);
      if (t != null) return new ErrorBody(t, null, null, t);
    }
    for (Function<JsonNode, JsonNode> shape : objectShapes) {
      JsonNode error = shape.apply(payload);
      if (error == null) continue;
      ErrorBody e = ErrorBody.fields(error);
      for (int i = 0; i < codePaths.size() && e.code() == null; i++) e = e.withCode(ErrorBody.scalar(at(error, codePaths.get(i))));
      return e;
    }
    return ErrorBody.EMPTY;
  }

  private static JsonNode at(JsonNode n, List<String> path) {
    JsonNode v = n;
    for (String k : path) {
      if (v == null || !v.isObject()) return null;
      v = v.get(k);
    }
    return v;
  }

  /** Whether a response header (lower-case name) is a rate-limit header worth keeping on the error. */
  public boolean keepsHeader(String name) {
    for (String h : headers) {
      if (h.endsWith("-") ? name.startsWith(h) : name.equals(h)) return true;
    }
    return false;
  }

  /** The signs an error shows. */
  public EnumSet<ErrorSign> signs(ErrorBody e) {
    String t = lower(e.type());
    String c = lower(e.code());
    String m = lower(e.message());
    EnumSet<ErrorSign> out = EnumSet.noneOf(ErrorSign.class);
    for (ErrorSign s : ErrorSign.values()) {
      if (shows(s, e, t, c, m)) out.add(s);
    }
    return out;
  }

  private boolean shows(ErrorSign s, ErrorBody e, String t, String c, String m) {
    Set<String> id = ids.get(s);
    if (id != null && (id.contains(t) || id.contains(c))) return true;
    Set<String> ty = types.get(s);
    if (ty != null && ty.contains(t)) return true;
    List<String> tx = texts.get(s);
    if (tx != null && m != null) {
      for (String f : tx) if (m.contains(f)) return true;
    }
    List<Predicate<ErrorBody>> r = rules.get(s);
    if (r != null) {
      for (Predicate<ErrorBody> p : r) if (p.test(e)) return true;
    }
    return false;
  }

  /** Lower case, {@code null}-safe: for {@linkplain Builder#rule rules}. */
  public static String lower(String s) {
    return s == null ? null : s.toLowerCase(Locale.ROOT);
  }

  public static final class Builder {
    private final List<Function<JsonNode, String>> textShapes = new ArrayList<>();
    private final List<Function<JsonNode, JsonNode>> objectShapes = new ArrayList<>();
    private final List<List<String>> codePaths = new ArrayList<>();
    private final List<String> headers = new ArrayList<>();
    private final Map<ErrorSign, Set<String>> ids = new EnumMap<>(ErrorSign.class);
    private final Map<ErrorSign, Set<String>> types = new EnumMap<>(ErrorSign.class);
    private final Map<ErrorSign, List<String>> texts = new EnumMap<>(ErrorSign.class);
    private final Map<ErrorSign, List<Predicate<ErrorBody>>> rules = new EnumMap<>(ErrorSign.class);

    private Builder() {}

    /** An error that is only a text (its type and message both); {@code shape} gives it, or {@code null}. */
    public Builder textShape(Function<JsonNode, String> shape) {
      textShapes.add(shape);
      return this;
    }

    /** Where the error object sits in a payload; {@code shape} gives it, or {@code null} when not this shape. */
    public Builder objectShape(Function<JsonNode, JsonNode> shape) {
      objectShapes.add(shape);
      return this;
    }

    /** The error object sits under {@code field} of the payload (when that is an object). */
    public Builder objectUnder(String field) {
      return objectShape(n -> {
        JsonNode e = n.get(field);
        return e != null && e.isObject() ? e : null;
      });
    }

    /** A further place, inside the error object, of its code when it has no {@code code} field. */
    public Builder codeAt(String... path) {
      codePaths.add(List.of(path));
      return this;
    }

    /** Rate-limit headers to keep on an error (lower case): a name, or a prefix ending in {@code -}. */
    public Builder headers(String... namesOrPrefixes) {
      for (String h : namesOrPrefixes) headers.add(lower(h));
      return this;
    }

    /** Identifiers that show {@code sign} as an error's type or code. */
    public Builder ids(ErrorSign sign, String... values) {
      for (String v : values) ids.computeIfAbsent(sign, k -> new HashSet<>()).add(lower(v));
      return this;
    }

    /** Identifiers that show {@code sign} as an error's type only. */
    public Builder types(ErrorSign sign, String... values) {
      for (String v : values) types.computeIfAbsent(sign, k -> new HashSet<>()).add(lower(v));
      return this;
    }

    /** Text fragments that show {@code sign} anywhere in an error's message. */
    public Builder texts(ErrorSign sign, String... fragments) {
      for (String f : fragments) texts.computeIfAbsent(sign, k -> new ArrayList<>()).add(lower(f));
      return this;
    }

    /** Anything else that shows {@code sign} (a combination of fields). */
    public Builder rule(ErrorSign sign, Predicate<ErrorBody> rule) {
      rules.computeIfAbsent(sign, k -> new ArrayList<>()).add(rule);
      return this;
    }

    public ErrorDialect build() {
      return new ErrorDialect(this);
    }
  }
}
