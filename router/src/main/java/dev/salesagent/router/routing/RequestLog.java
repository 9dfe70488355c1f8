package dev.salesagent.router.routing;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the request log: one entry per router request (built from its attempts as the {@link UsageSink} recorded
 * them), newest first by keyset, one request with its whole attempt chain, and usage in time buckets. The port the
 * console's endpoints read; the durable ledger in {@code store} implements it. Blocking: call it off the event loop.
 */
public interface RequestLog {

  /** Entries matching {@code filter}, newest-finished first (ended_at, request_id descending), after {@code cursorOrNull}. */
  List<Entry> page(Filter filter, Cursor cursorOrNull, int limit);

  /** One request and its attempts in order; empty when unknown or not {@code keyIdOrNull}'s (null = any key). */
  Optional<Detail> find(String requestId, String keyIdOrNull);

  /** Usage in {@code bucket}-wide UTC buckets of {@code [from, to)}, split by {@code by} (null = no split). */
  List<Bucket> timeseries(Instant from, Instant to, BucketSize bucket, Split by, String keyIdOrNull);

  /**
   * Per provider and model over the attempts that ended at or after {@code since}: attempts, failures, the error rate,
   * latency p50/p95 and, over streamed attempts that produced content, time to first token p50/p95 (null = none).
   */
  List<TargetStats> providerStats(Instant since);

  record TargetStats(String provider, String model, long attempts, long failedAttempts, Double latencyP50Ms,
                     Double latencyP95Ms, Double ttftP50Ms, Double ttftP95Ms) {
    public double errorRatePercent() {
      return attempts == 0 ? 0 : 100.0 * failedAttempts / attempts;
    }
  }

  /**
   * One request: who ({@code apiKeyId}), what it asked for ({@code requestedModel}), who answered last
   * ({@code provider}/{@code model}, with {@code outcome} {@code ok} or the error kind), the attempts counted
   * ({@code retries} = a further attempt on the same target, {@code fallbacks} = on another), reported tokens (null
   * when no attempt reported them), the cost charged, and the time from the first attempt's start to the last's end.
   */
  record Entry(String requestId, Instant startedAt, Instant endedAt, String apiKeyId, String task, String requestedModel,
               String firstProvider, String provider, String model, String outcome, Integer status, int attempts,
               int failedAttempts, int retries, int fallbacks, Long inputTokens, Long outputTokens, BigDecimal costUsd,
               long latencyMs, boolean streamed) {}

  record Detail(Entry entry, List<UsageRecord> attempts) {}

  /**
   * @param apiKeyId exact key id, null = any · {@code provider}, {@code model}: the one that answered, exact ·
   *                 {@code outcome}: {@code ok}, {@code error} (anything but ok) or one error kind ·
   *                 {@code q}: a request-id prefix
   */
  record Filter(String apiKeyId, String provider, String model, String outcome, String q) {
    public static final Filter ALL = new Filter(null, null, null, null, null);
  }

  /** A keyset position: the last entry of the previous page. */
  record Cursor(Instant endedAt, String requestId) {
    public static Cursor after(Entry e) {
      return new Cursor(e.endedAt(), e.requestId());
    }

    /** Opaque to clients: base64url of {@code <instant>|<request id>}. */
    public String wire() {
      return java.util.Base64.getUrlEncoder().withoutPadding()
          .encodeToString((endedAt + "|" + requestId).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** @throws IllegalArgumentException when {@code s} is not a cursor {@link #wire()} wrote */
    public static Cursor parse(String s) {
      try {
        String raw = new String(java.util.Base64.getUrlDecoder().decode(s), java.nio.charset.StandardCharsets.UTF_8);
        int bar = raw.indexOf('|');
        return new Cursor(Instant.parse(raw.substring(0, bar)), raw.substring(bar + 1));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("cursor is not one this API returned");
      }
    }
  }

  enum BucketSize {
    MINUTE(Duration.ofMinutes(1)), HOUR(Duration.ofHours(1)), DAY(Duration.ofDays(1));

    private final Duration width;

    BucketSize(Duration width) {
      this.width = width;
    }

    public Duration width() { return width; }

    public String wire() { return name().toLowerCase(Locale.ROOT); }

    public static BucketSize fromWire(String s) {
      for (BucketSize b : values()) if (b.wire().equalsIgnoreCase(s)) return b;
      throw new IllegalArgumentException("bucket must be minute, hour or day");
    }
  }

  enum Split {
    PROVIDER, TASK, MODEL, KEY;

    public String wire() { return name().toLowerCase(Locale.ROOT); }

    public static Split fromWire(String s) {
      for (Split b : values()) if (b.wire().equalsIgnoreCase(s)) return b;
      throw new IllegalArgumentException("by must be provider, task, model or key");
    }
  }

  /**
   * One bucket of one group: requests (distinct request ids with an attempt in the bucket and group), attempts, failed
   * attempts, retries and fallbacks (attempts that were one), reported tokens, cost charged.
   */
  record Bucket(Instant start, String group, long requests, long attempts, long failedAttempts, long retries,
                long fallbacks, long inputTokens, long outputTokens, BigDecimal costUsd) {}

  /** The labels a split groups by, for documentation and errors. */
  Map<Split, String> SPLIT_COLUMNS = Map.of(Split.PROVIDER, "provider", Split.TASK, "task", Split.MODEL, "model",
      Split.KEY, "api_key_id");
}
