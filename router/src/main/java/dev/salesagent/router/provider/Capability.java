package dev.salesagent.router.provider;

import java.util.Locale;

/** What a model can do beyond plain chat. */
public enum Capability {
  /** Structured JSON output (json_object / json_schema or an equivalent). */
  JSON,
  /** Function/tool calling. */
  TOOLS,
  /** Honours a trailing assistant message as a prefix to continue (assistant prefill): used to rescue cut streams. */
  CONTINUATION,
  /** An embedding model: it answers embedding requests and never chat (plans keep the two apart). */
  EMBEDDING;

  public String wire() { return name().toLowerCase(Locale.ROOT); }

  public static Capability fromWire(String s) {
    try {
      return valueOf(s.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown capability '" + s + "' (expected json, tools, continuation or embedding)");
    }
  }
}
