package dev.salesagent.emulator;

import java.util.Locale;

/** Fault kinds the emulator can inject; see the module's README for the bytes each one produces per protocol. */
public enum Fault {
  RATE_LIMIT,
  OVERLOADED,
  SERVER_ERROR,
  RESET,
  TIMEOUT,
  STREAM_CUT,
  STREAM_STALL,
  MALFORMED,
  STREAM_ERROR,
  UNAUTHORIZED,
  NOT_FOUND,
  BAD_REQUEST,
  CONTEXT_LENGTH,
  CONTENT_FILTERED;

  /** The lower-case wire name used by the {@code x-emulator-fault} header and {@code POST /_faults}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code rate_limit}, {@code RATE_LIMIT} or {@code rate-limit}; null when unknown or blank. */
  public static Fault parse(String s) {
    if (s == null || s.isBlank()) return null;
    String n = s.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    for (Fault f : values()) if (f.name().equals(n)) return f;
    return null;
  }
}
