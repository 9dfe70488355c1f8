package dev.salesagent.server.ops;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.salesagent.router.routing.RequestLog;
import dev.salesagent.router.routing.UsageRecord;
import dev.salesagent.server.GatewayServices;
import dev.salesagent.server.auth.Gate;
import dev.salesagent.server.auth.Principal;
import dev.salesagent.server.http.ApiError;
import dev.salesagent.server.http.ApiException;
import dev.salesagent.server.http.ClientExchange;
import dev.salesagent.server.http.JsonOut;
import dev.salesagent.server.http.Responses;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The console's data endpoints over the request log — ordinary API endpoints with the API's auth (a client key sees
 * only its own requests and usage, asking for another key's is 403; admins see all):
 *
 * <ul>
 *   <li>{@code GET /v1/requests?cursor=&limit=&key=&provider=&model=&status=&q=} — one entry per request, newest
 *       first, keyset-paged on (time, id) ({@code next_cursor}, {@code null} on the last page); {@code status} is
 *       {@code ok}, {@code error} or an error kind; {@code q} a request-id prefix;</li>
 *   <li>{@code GET /v1/requests/{id}} — the entry and its whole attempt chain;</li>
 *   <li>{@code GET /v1/usage/timeseries?from=&to=&bucket=minute|hour|day&by=provider|task|model|key} — requests,
 *       attempts, failures, retries, fallbacks, reported tokens and cost per UTC bucket (default: the last 24 hours by
 *       hour, no split);</li>
 *   <li>{@code GET /v1/providers/stats} — per provider and model over the last 5 min, 1 h and 24 h: attempts, error
 *       rate, latency and time-to-first-token p50/p95 (all traffic: these are the providers' figures, not a key's
 *       usage; the circuit's state, when it last changed and why are in {@code GET /v1/providers}).</li>
 * </ul>
 */
public final class RequestLogApi {
  static final int MAX_LIMIT = 500;
  static final int MAX_BUCKETS = 10_000;

  private final Vertx vertx;
  private final GatewayServices s;
  private final RequestLog log;

  public RequestLogApi(Vertx vertx, GatewayServices s, RequestLog log) {
    this.vertx = vertx;
    this.s = s;
    this.log = log;
  }

  public static boolean matches(String path) {
    return path.equals("/v1/requests") || path.startsWith("/v1/requests/") || path.equals("/v1/usage/timeseries")
        || path.equals("/v1/providers/stats");
  }

  /** Serves {@code req} when {@link #matches} its path; returns false (and touches nothing) otherwise. */
  public boolean handle(HttpServerRequest req) {
    String path = req.path();
    if (!matches(path)) return false;
    ClientExchange x = new ClientExchange(req, s.accessLog());
    Gate.admit(x, s, false, false).onFailure(t -> fail(x, t)).onSuccess(p -> {
      try {
        if (req.method() != HttpMethod.GET) throw new ApiException(new ApiError(405, "method_not_allowed", "use GET", null, null, null));
        if (path.equals("/v1/requests")) list(x, p);
        else if (path.equals("/v1/usage/timeseries")) timeseries(x, p);
        else if (path.equals("/v1/providers/stats")) providerStats(x);
        else detail(x, p, path.substring("/v1/requests/".length()));
      } catch (RuntimeException e) {
        fail(x, e);
      }
    });
    return true;
  }

  private void list(ClientExchange x, Principal p) {
    HttpServerRequest r = x.req;
    RequestLog.Filter f = new RequestLog.Filter(ownKey(p, r.getParam("key")), blank(r.getParam("provider")),
        blank(r.getParam("model")), blank(r.getParam("status")), blank(r.getParam("q")));
    int limit = intParam(r, "limit", 50, 1, MAX_LIMIT);
    String c = blank(r.getParam("cursor"));
    RequestLog.Cursor cursor;
    try {
      cursor = c == null ? null : RequestLog.Cursor.parse(c);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("cursor", e.getMessage());
    }
    blocking(x, () -> log.page(f, cursor, limit + 1), rows -> JsonOut.buffer(g -> {
      boolean more = rows.size() > limit;
      List<RequestLog.Entry> page = more ? rows.subList(0, limit) : rows;
      g.writeStartObject();
      g.writeStringField("object", "list");
      g.writeArrayFieldStart("data");
      for (RequestLog.Entry e : page) entry(g, e);
      g.writeEndArray();
      g.writeStringField("next_cursor", more ? RequestLog.Cursor.after(page.get(limit - 1)).wire() : null);
      g.writeEndObject();
    }));
  }

  private void detail(ClientExchange x, Principal p, String id) {
    if (id.isEmpty()) throw new ApiException(ApiError.notFound("not_found", "no such endpoint: /v1/requests/"));
    String key = p.admin() ? null : p.keyId();
    blocking(x, () -> log.find(id, key).orElseThrow(() -> new ApiException(ApiError.notFound("request_not_found", "no request " + id))),
        d -> JsonOut.buffer(g -> {
          g.writeStartObject();
          fields(g, d.entry());
          g.writeArrayFieldStart("attempt_chain");
          int n = 0;
          for (UsageRecord a : d.attempts()) {
            g.writeStartObject();
            g.writeNumberField("n", ++n);
            g.writeStringField("at", a.at().toString());
            g.writeStringField("provider", a.provider());
            g.writeStringField("model", a.model());
            g.writeStringField("outcome", a.outcome());
            if (a.status() == null) g.writeNullField("status"); else g.writeNumberField("status", a.status());
            g.writeNumberField("latency_ms", a.latencyMs());
            nullable(g, "input_tokens", a.inputTokens() == null ? null : a.inputTokens().longValue());
            nullable(g, "output_tokens", a.outputTokens() == null ? null : a.outputTokens().longValue());
            g.writeNumberField("cost_usd", a.costUsd());
            g.writeBooleanField("usage_estimated", a.usageEstimated());
            g.writeBooleanField("streamed", a.streamed());
            g.writeEndObject();
          }
          g.writeEndArray();
          g.writeEndObject();
        }));
  }

  private void timeseries(ClientExchange x, Principal p) {
    HttpServerRequest r = x.req;
    RequestLog.BucketSize bucket;
    RequestLog.Split by;
    try {
      bucket = r.getParam("bucket") == null ? RequestLog.BucketSize.HOUR : RequestLog.BucketSize.fromWire(r.getParam("bucket"));
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("bucket", e.getMessage());
    }
    try {
      by = blank(r.getParam("by")) == null ? null : RequestLog.Split.fromWire(r.getParam("by"));
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("by", e.getMessage());
    }
    Instant to = UsageHandler.time(r.getParam("to"), "to");
    Instant from = UsageHandler.time(r.getParam("from"), "from");
    Instant end = to != null ? to : Instant.now();
    Instant start = from != null ? from : end.minus(Duration.ofHours(24));
    if (!start.isBefore(end)) throw ApiException.invalid("from", "from must be before to");
    if (Duration.between(start, end).dividedBy(bucket.width()) > MAX_BUCKETS) {
      throw ApiException.invalid("bucket", "more than " + MAX_BUCKETS + " buckets: use a wider bucket or a shorter window");
    }
    String key = ownKey(p, r.getParam("key"));
    blocking(x, () -> log.timeseries(start, end, bucket, by, key), rows -> JsonOut.buffer(g -> {
      g.writeStartObject();
      g.writeStringField("object", "timeseries");
      g.writeStringField("from", start.toString());
      g.writeStringField("to", end.toString());
      g.writeStringField("bucket", bucket.wire());
      g.writeStringField("by", by == null ? null : by.wire());
      g.writeArrayFieldStart("data");
      for (RequestLog.Bucket b : rows) {
        g.writeStartObject();
        g.writeStringField("start", b.start().toString());
        if (by != null) g.writeStringField(by.wire(), b.group());
        g.writeNumberField("requests", b.requests());
        g.writeNumberField("attempts", b.attempts());
        g.writeNumberField("failed_attempts", b.failedAttempts());
        g.writeNumberField("retries", b.retries());
        g.writeNumberField("fallbacks", b.fallbacks());
        g.writeNumberField("input_tokens", b.inputTokens());
        g.writeNumberField("output_tokens", b.outputTokens());
        g.writeNumberField("cost_usd", b.costUsd());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }));
  }

  /** The windows the Providers view shows. */
  static final List<Map.Entry<String, Duration>> WINDOWS = List.of(Map.entry("5m", Duration.ofMinutes(5)),
      Map.entry("1h", Duration.ofHours(1)), Map.entry("24h", Duration.ofHours(24)));

  private void providerStats(ClientExchange x) {
    Instant now = Instant.now();
    blocking(x, () -> {
      Map<String, List<RequestLog.TargetStats>> out = new LinkedHashMap<>();
      for (var w : WINDOWS) out.put(w.getKey(), log.providerStats(now.minus(w.getValue())));
      return out;
    }, windows -> JsonOut.buffer(g -> {
      g.writeStartObject();
      g.writeStringField("object", "provider_stats");
      g.writeStringField("at", now.toString());
      g.writeObjectFieldStart("windows");
      for (var w : windows.entrySet()) {
        g.writeArrayFieldStart(w.getKey());
        for (RequestLog.TargetStats t : w.getValue()) {
          g.writeStartObject();
          g.writeStringField("provider", t.provider());
          g.writeStringField("model", t.model());
          g.writeNumberField("attempts", t.attempts());
          g.writeNumberField("failed_attempts", t.failedAttempts());
          g.writeNumberField("error_rate_percent", Math.round(t.errorRatePercent() * 10) / 10.0);
          nullableD(g, "latency_p50_ms", t.latencyP50Ms());
          nullableD(g, "latency_p95_ms", t.latencyP95Ms());
          nullableD(g, "ttft_p50_ms", t.ttftP50Ms());
          nullableD(g, "ttft_p95_ms", t.ttftP95Ms());
          g.writeEndObject();
        }
        g.writeEndArray();
      }
      g.writeEndObject();
      g.writeEndObject();
    }));
  }

  private static void nullableD(JsonGenerator g, String name, Double v) throws IOException {
    if (v == null) g.writeNullField(name); else g.writeNumberField(name, v);
  }

  private static void entry(JsonGenerator g, RequestLog.Entry e) throws IOException {
    g.writeStartObject();
    fields(g, e);
    g.writeEndObject();
  }

  private static void fields(JsonGenerator g, RequestLog.Entry e) throws IOException {
    g.writeStringField("object", "request");
    g.writeStringField("id", e.requestId());
    g.writeStringField("started_at", e.startedAt().toString());
    g.writeStringField("ended_at", e.endedAt().toString());
    g.writeStringField("key_id", e.apiKeyId());
    g.writeStringField("task", e.task());
    g.writeStringField("model_requested", e.requestedModel());
    g.writeStringField("provider", e.provider());
    g.writeStringField("model", e.model());
    g.writeStringField("first_provider", e.firstProvider());
    g.writeStringField("outcome", e.outcome());
    if (e.status() == null) g.writeNullField("status"); else g.writeNumberField("status", e.status());
    g.writeNumberField("attempts", e.attempts());
    g.writeNumberField("failed_attempts", e.failedAttempts());
    g.writeNumberField("retries", e.retries());
    g.writeNumberField("fallbacks", e.fallbacks());
    nullable(g, "input_tokens", e.inputTokens());
    nullable(g, "output_tokens", e.outputTokens());
    g.writeNumberField("cost_usd", e.costUsd());
    g.writeNumberField("latency_ms", e.latencyMs());
    g.writeBooleanField("streamed", e.streamed());
  }

  private static void nullable(JsonGenerator g, String name, Long v) throws IOException {
    if (v == null) g.writeNullField(name); else g.writeNumberField(name, v);
  }

  /** The key filter a caller may use: a client key only its own (asking for another is 403). */
  private static String ownKey(Principal p, String asked) {
    String key = blank(asked);
    if (p.admin()) return key;
    if (key != null && !key.equals(p.keyId())) {
      throw new ApiException(ApiError.forbidden("a client key may only read its own requests and usage (key " + p.keyId() + ")"));
    }
    return p.keyId();
  }

  private <T> void blocking(ClientExchange x, Callable<T> read, Render<T> render) {
    vertx.executeBlocking(read, false).onComplete(ar -> {
      if (ar.failed()) {
        fail(x, ar.cause());
        return;
      }
      Responses.json(x.resp, 200, render.apply(ar.result()));
    });
  }

  @FunctionalInterface
  private interface Render<T> {
    Buffer apply(T value);
  }

  private static String blank(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  private static int intParam(HttpServerRequest r, String name, int dflt, int min, int max) {
    String v = r.getParam(name);
    if (v == null || v.isBlank()) return dflt;
    try {
      int n = Integer.parseInt(v.trim());
      if (n < min || n > max) throw new NumberFormatException();
      return n;
    } catch (NumberFormatException e) {
      throw ApiException.invalid(name, name + " must be an integer in " + min + ".." + max);
    }
  }

  private static void fail(ClientExchange x, Throwable t) {
    ApiError e = t instanceof ApiException ae ? ae.error() : ApiError.from(t);
    x.errorCode = e.code();
    Responses.sendOpenAiError(x.resp, e, x.requestId);
  }
}
