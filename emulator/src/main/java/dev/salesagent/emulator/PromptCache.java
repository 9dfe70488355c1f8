package dev.salesagent.emulator;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Prompt prefixes seen in the last 5 minutes (Anthropic {@code cache_control} breakpoints; OpenAI-compatible automatic
 * caching at message boundaries). A breakpoint of at least 1,024 tokens that was seen is read from the cache; the
 * tokens up to the last eligible breakpoint beyond it are written. Shared by all server instances.
 */
final class PromptCache {
  static final int MIN_TOKENS = 1024;
  static final long TTL_NANOS = TimeUnit.MINUTES.toNanos(5);
  private static final int PRUNE_AT = 50_000;

  /** A prefix: the hash of everything up to the breakpoint (scope and model included) and its token count. */
  record Breakpoint(long hash, int tokens) {}

  /** Cached tokens read and written by one request. */
  record Use(int read, int created) {
    static final Use NONE = new Use(0, 0);
  }

  private final Map<Long, Long> expiry = new ConcurrentHashMap<>();
  private final LongSupplier clock;

  PromptCache(LongSupplier nanoClock) {
    this.clock = nanoClock;
  }

  Use use(List<Breakpoint> breakpoints) {
    long now = clock.getAsLong();
    int read = 0;
    int last = 0;
    for (Breakpoint b : breakpoints) {
      if (b.tokens() < MIN_TOKENS) continue;
      last = Math.max(last, b.tokens());
      Long until = expiry.get(b.hash());
      if (until != null && until - now > 0) read = Math.max(read, b.tokens());
    }
    if (last == 0) return Use.NONE;
    if (expiry.size() > PRUNE_AT) expiry.values().removeIf(until -> until - now <= 0);
    for (Breakpoint b : breakpoints) if (b.tokens() >= MIN_TOKENS) expiry.put(b.hash(), now + TTL_NANOS);
    return new Use(read, last - read);
  }

  void clear() {
    expiry.clear();
  }
}
