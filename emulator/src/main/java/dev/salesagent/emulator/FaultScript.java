package dev.salesagent.emulator;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Programmatic fault injection. Thread-safe. A chat request consumes the first (FIFO) queued entry that
 * matches its protocol/model; when none matches, an {@link #always} fault for its protocol (or "*") applies.
 */
public final class FaultScript {

  private static final class Entry {
    final String protocol; // null = any
    final String model; // null = any
    final Fault fault;
    int remaining;

    Entry(String protocol, String model, Fault fault, int remaining) {
      this.protocol = protocol;
      this.model = model;
      this.fault = fault;
      this.remaining = remaining;
    }

    boolean matches(String p, String m) {
      return (protocol == null || protocol.equals(p)) && (model == null || model.equals(m));
    }
  }

  private final List<Entry> queue = new ArrayList<>();
  private final Map<String, Fault> always = new LinkedHashMap<>();
  private volatile int retryAfterSeconds = 1;

  FaultScript() {}

  private static String normProtocol(String protocol) {
    if (protocol == null || protocol.equals("*") || protocol.isBlank()) return null;
    return switch (protocol) {
      case "anthropic", "openai", "ollama" -> protocol;
      default -> throw new IllegalArgumentException("unknown protocol: " + protocol + " (anthropic|openai|ollama|*)");
    };
  }

  /** The next {@code times} chat requests of that protocol ("anthropic"|"openai"|"ollama"|"*") get this fault, FIFO. */
  public FaultScript next(String protocol, Fault fault, int times) {
    String p = normProtocol(protocol);
    if (fault == null) throw new IllegalArgumentException("fault is required");
    if (times <= 0) return this;
    synchronized (this) {
      queue.add(new Entry(p, null, fault, times));
    }
    return this;
  }

  /** The next {@code times} chat requests naming that model (any protocol) get this fault, FIFO with {@link #next}. */
  public FaultScript nextForModel(String model, Fault fault, int times) {
    if (model == null || fault == null) throw new IllegalArgumentException("model and fault are required");
    if (times <= 0) return this;
    synchronized (this) {
      queue.add(new Entry(null, model, fault, times));
    }
    return this;
  }

  /** Every chat request of that protocol ("*" = all) gets this fault until {@link #clear()}; queued entries still go first. */
  public FaultScript always(String protocol, Fault fault) {
    String p = normProtocol(protocol);
    if (fault == null) throw new IllegalArgumentException("fault is required");
    synchronized (this) {
      always.put(p == null ? "*" : p, fault);
    }
    return this;
  }

  /** Retry-After (seconds) sent with RATE_LIMIT faults unless the request header {@code x-emulator-retry-after} says otherwise. Default 1. */
  public FaultScript retryAfterSeconds(int s) {
    if (s < 0) throw new IllegalArgumentException("retry-after must be >= 0");
    this.retryAfterSeconds = s;
    return this;
  }

  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }

  /** Removes every queued and permanent fault (Retry-After goes back to 1). */
  public synchronized void clear() {
    queue.clear();
    always.clear();
    retryAfterSeconds = 1;
  }

  /** Number of queued fault uses left (not counting {@link #always} faults). */
  public synchronized int pending() {
    int n = 0;
    for (Entry e : queue) n += e.remaining;
    return n;
  }

  /** Consumes and returns the fault for a chat request, or null. */
  synchronized Fault take(String protocol, String model) {
    for (Iterator<Entry> it = queue.iterator(); it.hasNext(); ) {
      Entry e = it.next();
      if (e.matches(protocol, model)) {
        if (--e.remaining <= 0) it.remove();
        return e.fault;
      }
    }
    if (always.isEmpty()) return null;
    Fault f = always.get(protocol);
    return f != null ? f : always.get("*");
  }
}
