package dev.salesagent.router.model;

import java.util.Locale;

/** Why the model stopped, normalised to OpenAI's vocabulary. */
public enum FinishReason {
  STOP, LENGTH, TOOL_CALLS, CONTENT_FILTER;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static FinishReason fromWire(String s) {
    return valueOf(s.toUpperCase(Locale.ROOT));
  }
}
