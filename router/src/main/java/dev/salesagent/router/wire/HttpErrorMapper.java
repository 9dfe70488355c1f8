package dev.salesagent.router.wire;

import com.fasterxml.jackson.databind.JsonNode;
import dev.salesagent.router.error.ErrorKind;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.StreamResetException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLException;

/**
 * Maps what a provider sent (an error status with its body and headers, or an error object inside a stream) and
 * transport failures onto the one error taxonomy. Understands every provider's error body shape: Anthropic
 * {@code {type:"error", error:{type,message}}}, OpenAI/DeepSeek {@code {error:{message,type,param,code}}}, Cerebras'
 * flat {@code {message,type,param,code}} and Ollama's {@code {error:"..."}}.
 */
public final class HttpErrorMapper {
  private HttpErrorMapper() {}

  private static final int MAX_MESSAGE = 500;

  /** A provider error body, normalised. Every field may be {@code null}. */
  public record ErrorBody(String type, String code, String param, String message) {
    static final ErrorBody EMPTY = new ErrorBody(null, null, null, null);
  }

  /** Maps a non-2xx response. */
  public static WireFailure fromHttp(int status, MultiMap headers, String body) {
    return fromHttp(status, headers, body, Instant.now());
  }

  public static WireFailure fromHttp(int status, MultiMap headers, String body, Instant now) {
    ErrorBody e = parseBody(body);
    Duration retryAfter = headers == null ? null : RetryAfter.from(headers::get, now);
    Map<String, String> rl = rateLimitHeaders(headers);
    boolean ctx = contextLength(e);
    ErrorKind kind;
    if (contentFiltered(e)) {
      kind = ErrorKind.CONTENT_FILTERED;
      ctx = false;
    } else {
      kind = switch (status) {
        case 401, 402, 403 -> ErrorKind.AUTHENTICATION;
        case 404 -> ErrorKind.NOT_FOUND;
        case 429 -> overloadSignal(e) ? ErrorKind.OVERLOADED
            : outOfCredit(e) ? ErrorKind.AUTHENTICATION
            : ErrorKind.RATE_LIMITED;
        case 400, 413, 422 -> ErrorKind.INVALID_REQUEST;
        case 503, 529 -> ErrorKind.OVERLOADED;
        case 408, 409 -> ErrorKind.UPSTREAM_ERROR;
        default -> status >= 500 ? (overloadSignal(e) ? ErrorKind.OVERLOADED : ErrorKind.UPSTREAM_ERROR)
            : status >= 400 ? ErrorKind.INVALID_REQUEST
            : ErrorKind.UPSTREAM_ERROR;
      };
      if (kind != ErrorKind.INVALID_REQUEST) ctx = false;
    }
    String type = e.type() != null ? e.type() : e.code();
    String msg = "HTTP " + status + (type != null ? " " + type : "") + (e.message() != null ? ": " + e.message() : "");
    return new WireFailure(kind, type, truncate(msg), status, retryAfter, rl, ctx);
  }

  /**
   * Maps an error that arrived inside a 200 answer: an Anthropic {@code event: error} payload, an OpenAI-style
   * payload with an {@code error} key, a Cerebras flat error, or an Ollama {@code {"error": "..."}} line.
   */
  public static WireFailure fromPayload(JsonNode payload) {
    ErrorBody e = parse(payload);
    return fromErrorBody(e);
  }

  public static WireFailure fromErrorBody(ErrorBody e) {
    ErrorKind kind = kindFor(e);
    boolean ctx = kind == ErrorKind.INVALID_REQUEST && contextLength(e);
    String type = e.type() != null ? e.type() : e.code();
    String msg = "in-stream error" + (type != null ? " " + type : "") + (e.message() != null ? ": " + e.message() : "");
    return new WireFailure(kind, type, truncate(msg), null, null, Map.of(), ctx);
  }

  /** The kind an error identifier means when there is no HTTP status to go by. */
  public static ErrorKind kindFor(ErrorBody e) {
    if (contentFiltered(e)) return ErrorKind.CONTENT_FILTERED;
    if (contextLength(e)) return ErrorKind.INVALID_REQUEST;
    if (overloadSignal(e)) return ErrorKind.OVERLOADED;
    if (outOfCredit(e)) return ErrorKind.AUTHENTICATION;
    String t = lower(e.type());
    String c = lower(e.code());
    if (any(t, c, "rate_limit_error", "rate_limit_exceeded", "tokens", "requests", "too_many_tokens_error",
        "too_many_requests_error", "token_quota_exceeded", "request_quota_exceeded", "rate_limited")) {
      return ErrorKind.RATE_LIMITED;
    }
    if (any(t, c, "authentication_error", "permission_error", "billing_error", "invalid_api_key",
        "permission_denied", "unauthorized")) {
      return ErrorKind.AUTHENTICATION;
    }
    if (any(t, c, "not_found_error", "model_not_found", "not_found")) return ErrorKind.NOT_FOUND;
    if (t != null && (t.equals("invalid_request_error") || t.equals("request_too_large") || t.equals("bad_request"))) {
      return ErrorKind.INVALID_REQUEST;
    }
    String m = lower(e.message());
    if (m != null && m.contains("not found") && m.contains("model")) return ErrorKind.NOT_FOUND;
    return ErrorKind.UPSTREAM_ERROR; // api_error, server_error, timeout_error, Ollama runner errors, unknown
  }

  /** Normalises a provider error body text; never fails. */
  public static ErrorBody parseBody(String body) {
    if (body == null) return ErrorBody.EMPTY;
    String s = body.strip();
    if (s.isEmpty()) return ErrorBody.EMPTY;
    JsonNode n = s.charAt(0) == '{' ? Json.parse(s) : null;
    if (n == null) return new ErrorBody(null, null, null, truncate(s));
    return parse(n);
  }

  /** Normalises a provider error object (any of the four shapes). */
  public static ErrorBody parse(JsonNode n) {
    if (n == null || !n.isObject()) return ErrorBody.EMPTY;
    JsonNode err = n.get("error");
    if (err != null && err.isTextual()) {
      return new ErrorBody(err.textValue(), null, null, err.textValue()); // Ollama
    }
    JsonNode src = err != null && err.isObject() ? err : n; // wrapped, or Cerebras flat
    String code = scalar(src.get("code"));
    if (code == null) {
      JsonNode details = src.get("details");
      if (details != null && details.isObject()) code = scalar(details.get("error_code"));
    }
    return new ErrorBody(scalar(src.get("type")), code, scalar(src.get("param")), scalar(src.get("message")));
  }

  /** The rate-limit related headers, lower-case names, in arrival order. */
  public static Map<String, String> rateLimitHeaders(MultiMap headers) {
    if (headers == null || headers.isEmpty()) return Map.of();
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> h : headers) {
      String k = h.getKey().toLowerCase(Locale.ROOT);
      if (k.startsWith("anthropic-ratelimit-") || k.startsWith("anthropic-priority-") || k.startsWith("x-ratelimit-")
          || k.equals("retry-after") || k.equals("retry-after-ms") || k.equals("x-should-retry")) {
        out.put(k, h.getValue());
      }
    }
    return out;
  }

  /**
   * A transport failure.
   *
   * @param afterHeaders whether response headers had arrived (then a cut connection is {@code interrupted})
   */
  public static WireFailure fromTransport(Throwable t, boolean afterHeaders) {
    String what = describe(t);
    if (afterHeaders) return WireFailure.of(ErrorKind.INTERRUPTED, WireFailure.STREAM_TRUNCATED, "connection lost mid-body: " + what);
    if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof NoRouteToHostException
        || t instanceof SSLException) {
      return WireFailure.of(ErrorKind.UNAVAILABLE, "connect_failed", "cannot connect: " + what);
    }
    if (t instanceof java.util.concurrent.TimeoutException) { // Vert.x: no connection within connectMs
      return WireFailure.of(ErrorKind.UNAVAILABLE, "connect_failed", "cannot connect in time: " + what);
    }
    if (t instanceof HttpClosedException || t instanceof StreamResetException || t instanceof ClosedChannelException
        || t instanceof IOException) {
      return WireFailure.of(ErrorKind.UNAVAILABLE, "connection_reset", "connection closed before a response: " + what);
    }
    String m = lower(t.getMessage());
    if (m != null && (m.contains("connection reset") || m.contains("closed") || m.contains("refused"))) {
      return WireFailure.of(ErrorKind.UNAVAILABLE, "connection_reset", "connection closed before a response: " + what);
    }
    return WireFailure.of(ErrorKind.UNAVAILABLE, "transport_error", "transport failure: " + what);
  }

  private static String describe(Throwable t) {
    String m = t.getMessage();
    return t.getClass().getSimpleName() + (m == null ? "" : " (" + truncate(m) + ")");
  }

  // ---- signals ----

  static boolean contentFiltered(ErrorBody e) {
    String t = lower(e.type());
    String c = lower(e.code());
    if (any(t, c, "content_policy_violation", "content_filter", "content_filtered", "moderation_error")) return true;
    String m = lower(e.message());
    return m != null && (m.contains("output blocked by content filtering policy") || m.contains("safety policy")
        || m.contains("content management policy") || m.contains("content_policy_violation"));
  }

  static boolean contextLength(ErrorBody e) {
    String c = lower(e.code());
    String t = lower(e.type());
    if (any(t, c, "context_length_exceeded", "context_window_exceeded", "string_above_max_length")) return true;
    String m = lower(e.message());
    return m != null && (m.contains("prompt is too long") || m.contains("context length") || m.contains("maximum context")
        || m.contains("context_length") || m.contains("context window") || m.contains("too many tokens in the prompt"));
  }

  static boolean overloadSignal(ErrorBody e) {
    String t = lower(e.type());
    String c = lower(e.code());
    String p = lower(e.param());
    if (any(t, c, "overloaded_error", "overloaded", "queue_exceeded", "server_is_overloaded", "slow_down",
        "service_unavailable")) {
      return true;
    }
    if ("too_many_requests_error".equals(t) && "queue".equals(p)) return true;
    String m = lower(e.message());
    return m != null && (m.contains("server busy") || m.contains("overloaded") || m.contains("high traffic"));
  }

  static boolean outOfCredit(ErrorBody e) {
    return any(lower(e.type()), lower(e.code()), "insufficient_quota", "enforced_spend_limit_reached", "insufficient_balance");
  }

  private static boolean any(String a, String b, String... values) {
    for (String v : values) {
      if (v.equals(a) || v.equals(b)) return true;
    }
    return false;
  }

  private static String scalar(JsonNode v) {
    if (v == null || v.isNull() || v.isContainerNode()) return null;
    return v.asText();
  }

  private static String lower(String s) {
    return s == null ? null : s.toLowerCase(Locale.ROOT);
  }

  static String truncate(String s) {
    if (s == null) return null;
    return s.length() <= MAX_MESSAGE ? s : s.substring(0, MAX_MESSAGE) + "…";
  }
}
