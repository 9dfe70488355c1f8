package dev.salesagent.server.http;

import dev.salesagent.router.model.Attempt;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.util.List;

/** Writing JSON and errors in both wire dialects. */
public final class Responses {
  public static final String JSON = "application/json";

  private Responses() {}

  public static void json(HttpServerResponse resp, int status, Buffer body) {
    if (resp.ended() || resp.closed()) return;
    resp.setStatusCode(status).putHeader("content-type", JSON).end(body);
  }

  /** OpenAI's shape: {@code {"error":{"message","type","param","code"}}} (plus our attempts and request id). */
  public static Buffer openAiError(ApiError e, String requestId) {
    return JsonOut.buffer(g -> {
      g.writeStartObject();
      writeOpenAiErrorObject(g, e, requestId);
      g.writeEndObject();
    });
  }

  public static void writeOpenAiErrorObject(com.fasterxml.jackson.core.JsonGenerator g, ApiError e, String requestId)
      throws IOException {
    g.writeObjectFieldStart("error");
    g.writeStringField("message", e.message());
    g.writeStringField("type", openAiType(e.status()));
    g.writeStringField("param", e.param());
    g.writeStringField("code", e.code());
    if (!e.attempts().isEmpty()) attempts(g, e.attempts());
    if (requestId != null) g.writeStringField("request_id", requestId);
    g.writeEndObject();
  }

  /** OpenAI's error types by status. */
  public static String openAiType(int status) {
    return switch (status) {
      case 400, 404, 413 -> "invalid_request_error";
      case 401 -> "authentication_error";
      case 402 -> "insufficient_quota";
      case 403 -> "permission_error";
      case 429 -> "rate_limit_error";
      default -> status >= 500 ? "server_error" : "invalid_request_error";
    };
  }

  /** Anthropic's shape: {@code {"type":"error","error":{"type","message"},"request_id"}}. */
  public static Buffer anthropicError(ApiError e, String requestId) {
    return JsonOut.buffer(g -> {
      g.writeStartObject();
      g.writeStringField("type", "error");
      g.writeObjectFieldStart("error");
      g.writeStringField("type", anthropicType(e));
      g.writeStringField("message", e.message());
      g.writeEndObject();
      if (requestId != null) g.writeStringField("request_id", requestId);
      g.writeEndObject();
    });
  }

  /** Anthropic's error types: by our code where it says more than the status, else by status. */
  public static String anthropicType(ApiError e) {
    switch (e.code()) {
      case "overloaded": return "overloaded_error";
      case "timeout": return "timeout_error";
      case "budget_exceeded": return "billing_error";
      default: break;
    }
    return switch (e.status()) {
      case 400 -> "invalid_request_error";
      case 401 -> "authentication_error";
      case 402 -> "billing_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 413 -> "request_too_large";
      case 429 -> "rate_limit_error";
      case 504 -> "timeout_error";
      case 529 -> "overloaded_error";
      default -> e.status() >= 500 ? "api_error" : "invalid_request_error";
    };
  }

  public static void attempts(com.fasterxml.jackson.core.JsonGenerator g, List<Attempt> attempts) throws IOException {
    g.writeArrayFieldStart("attempts");
    for (Attempt a : attempts) {
      g.writeStartObject();
      g.writeStringField("provider", a.provider());
      g.writeStringField("model", a.model());
      g.writeStringField("outcome", a.outcome());
      if (a.status() == null) g.writeNullField("status"); else g.writeNumberField("status", a.status());
      g.writeNumberField("latency_ms", a.latencyMs());
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  /** {@code provider/model=outcome} per attempt, comma-separated: the {@code x-sales-agent-attempt-list} header. */
  public static String attemptList(List<Attempt> attempts) {
    StringBuilder sb = new StringBuilder();
    for (Attempt a : attempts) {
      if (sb.length() > 0) sb.append(", ");
      sb.append(a.provider()).append('/').append(a.model()).append('=').append(a.outcome());
    }
    return sb.toString();
  }

  public static void sendOpenAiError(HttpServerResponse resp, ApiError e, String requestId) {
    if (resp.headWritten()) return;
    if (e.retryAfterSeconds() != null) resp.putHeader("retry-after", Long.toString(e.retryAfterSeconds()));
    json(resp, e.status(), openAiError(e, requestId));
  }

  public static void sendAnthropicError(HttpServerResponse resp, ApiError e, String requestId) {
    if (resp.headWritten()) return;
    if (e.retryAfterSeconds() != null) resp.putHeader("retry-after", Long.toString(e.retryAfterSeconds()));
    json(resp, e.status(), anthropicError(e, requestId));
  }
}
