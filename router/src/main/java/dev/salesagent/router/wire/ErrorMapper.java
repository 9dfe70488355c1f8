package dev.salesagent.router.wire;

import com.fasterxml.jackson.databind.JsonNode;
import dev.salesagent.router.error.ErrorBody;
import dev.salesagent.router.error.ErrorDialect;
import dev.salesagent.router.error.ErrorKind;
import dev.salesagent.router.error.ErrorSign;
import io.vertx.core.MultiMap;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Maps what a provider sent — an error status with its body and headers, or an error object inside an answer — onto
 * the one error taxonomy. It knows no provider: the body's shape and what its identifiers mean come from the
 * providers' {@link ErrorDialect}s (joined by the registry); the status rules are {@link HttpErrorMapper}'s. One per
 * adapter, shared by its codec and stream parsers; immutable.
 */
public final class ErrorMapper {
  private final ErrorDialect dialect;

  public ErrorMapper(ErrorDialect dialect) {
    this.dialect = dialect;
  }

  /** Maps a non-2xx response. */
  public WireFailure fromHttp(int status, MultiMap headers, String body) {
    return fromHttp(status, headers, body, Instant.now());
  }

  public WireFailure fromHttp(int status, MultiMap headers, String body, Instant now) {
    ErrorBody e = parseBody(body);
    EnumSet<ErrorSign> signs = dialect.signs(e);
    Duration retryAfter = headers == null ? null : RetryAfter.from(headers::get, now);
    Map<String, String> rl = rateLimitHeaders(headers);
    ErrorKind kind;
    boolean ctx;
    if (signs.contains(ErrorSign.CONTENT_FILTERED)) {
      kind = ErrorKind.CONTENT_FILTERED;
      ctx = false;
    } else {
      kind = HttpErrorMapper.kindForStatus(status, signs.contains(ErrorSign.OVERLOADED), signs.contains(ErrorSign.OUT_OF_CREDIT));
      ctx = kind == ErrorKind.INVALID_REQUEST && signs.contains(ErrorSign.CONTEXT_LENGTH);
    }
    String type = e.type() != null ? e.type() : e.code();
    String msg = "HTTP " + status + (type != null ? " " + type : "") + (e.message() != null ? ": " + e.message() : "");
    return new WireFailure(kind, type, HttpErrorMapper.truncate(msg), status, retryAfter, rl, ctx);
  }

  /** Maps an error that arrived inside a 200 answer (an in-stream error event, an error line or body). */
  public WireFailure fromPayload(JsonNode payload) {
    return fromErrorBody(parse(payload));
  }

  public WireFailure fromErrorBody(ErrorBody e) {
    EnumSet<ErrorSign> signs = dialect.signs(e);
    ErrorKind kind = kindFor(signs);
    boolean ctx = kind == ErrorKind.INVALID_REQUEST && signs.contains(ErrorSign.CONTEXT_LENGTH);
    String type = e.type() != null ? e.type() : e.code();
    String msg = "in-stream error" + (type != null ? " " + type : "") + (e.message() != null ? ": " + e.message() : "");
    return new WireFailure(kind, type, HttpErrorMapper.truncate(msg), null, null, Map.of(), ctx);
  }

  /** The kind an error means when there is no HTTP status to go by: its first sign's, else {@code upstream_error}. */
  public ErrorKind kindFor(ErrorBody e) {
    return kindFor(dialect.signs(e));
  }

  private static ErrorKind kindFor(EnumSet<ErrorSign> signs) {
    // api_error, server_error, timeout_error, Ollama runner errors, unknown: the provider failed
    return signs.isEmpty() ? ErrorKind.UPSTREAM_ERROR : signs.iterator().next().kind();
  }

  /**
   * The headers worth keeping on the error, lower-case names, in arrival order: {@code retry-after},
   * {@code retry-after-ms}, and the rate-limit headers the dialects name.
   */
  public Map<String, String> rateLimitHeaders(MultiMap headers) {
    if (headers == null || headers.isEmpty()) return Map.of();
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> h : headers) {
      String k = h.getKey().toLowerCase(Locale.ROOT);
      if (k.equals("retry-after") || k.equals("retry-after-ms") || dialect.keepsHeader(k)) out.put(k, h.getValue());
    }
    return out;
  }

  /** Normalises an error body text; never fails. */
  public ErrorBody parseBody(String body) {
    if (body == null) return ErrorBody.EMPTY;
    String s = body.strip();
    if (s.isEmpty()) return ErrorBody.EMPTY;
    JsonNode n = s.charAt(0) == '{' ? WireJson.parse(s) : null;
    if (n == null) return new ErrorBody(null, null, null, HttpErrorMapper.truncate(s));
    return parse(n);
  }

  /** Normalises an error payload of any shape the dialects know. */
  public ErrorBody parse(JsonNode n) {
    return dialect.read(n);
  }
}
