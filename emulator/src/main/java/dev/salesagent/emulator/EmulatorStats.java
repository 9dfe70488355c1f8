package dev.salesagent.emulator;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Chat requests received, per protocol ("anthropic","openai","ollama") and model, plus faults injected and DeepSeek
 * prefix completions served. Thread-safe.
 */
public final class EmulatorStats {
  private final ConcurrentHashMap<String, ConcurrentHashMap<String, LongAdder>> requests = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, ConcurrentHashMap<String, LongAdder>> faults = new ConcurrentHashMap<>();
  private final LongAdder prefixCompletions = new LongAdder();

  EmulatorStats() {}

  void record(String protocol, String model) {
    bump(requests, protocol, model == null ? "" : model);
  }

  void recordPrefixCompletion() {
    prefixCompletions.increment();
  }

  void recordFault(String protocol, Fault fault) {
    bump(faults, protocol, fault.wireName());
  }

  private static void bump(ConcurrentHashMap<String, ConcurrentHashMap<String, LongAdder>> m, String a, String b) {
    m.computeIfAbsent(a, k -> new ConcurrentHashMap<>()).computeIfAbsent(b, k -> new LongAdder()).increment();
  }

  /** Chat requests of that protocol naming that model. */
  public long requests(String protocol, String model) {
    Map<String, LongAdder> m = requests.get(protocol);
    if (m == null) return 0;
    LongAdder a = m.get(model);
    return a == null ? 0 : a.sum();
  }

  /** All chat requests of that protocol ("*" = every protocol). */
  public long total(String protocol) {
    long n = 0;
    for (Map.Entry<String, ConcurrentHashMap<String, LongAdder>> e : requests.entrySet()) {
      if (protocol.equals("*") || e.getKey().equals(protocol)) {
        for (LongAdder a : e.getValue().values()) n += a.sum();
      }
    }
    return n;
  }

  /** Faults injected of that kind for that protocol. */
  public long faults(String protocol, Fault fault) {
    Map<String, LongAdder> m = faults.get(protocol);
    if (m == null) return 0;
    LongAdder a = m.get(fault.wireName());
    return a == null ? 0 : a.sum();
  }

  /**
   * DeepSeek-style prefix completions accepted: OpenAI-compatible requests on the beta path whose trailing assistant
   * message had {@code "prefix": true} (also counted in {@link #requests}).
   */
  public long prefixCompletions() {
    return prefixCompletions.sum();
  }

  /**
   * {@code {"requests":{"<protocol>":{"<model>":N}},"faults":{"<protocol>":{"<fault>":N}},"prefix_completions":N}},
   * keys sorted.
   */
  public JsonObject toJson() {
    return new JsonObject().put("requests", nested(requests)).put("faults", nested(faults))
        .put("prefix_completions", prefixCompletions.sum());
  }

  private static JsonObject nested(ConcurrentHashMap<String, ConcurrentHashMap<String, LongAdder>> m) {
    JsonObject out = new JsonObject();
    new TreeMap<>(m).forEach((k, inner) -> {
      JsonObject o = new JsonObject();
      new TreeMap<>(inner).forEach((k2, v) -> o.put(k2, v.sum()));
      out.put(k, o);
    });
    return out;
  }

  public void reset() {
    requests.clear();
    faults.clear();
    prefixCompletions.reset();
  }
}
