package dev.salesagent.server.http;

import dev.salesagent.router.error.ErrorKind;
import dev.salesagent.router.error.LlmException;
import dev.salesagent.router.model.Attempt;
import java.util.List;

/**
 * An error as the gateway answers it, before it is rendered in OpenAI's or Anthropic's shape.
 *
 * @param status     the HTTP status
 * @param code       a stable machine-readable code: an error kind's wire name ({@code budget_exceeded},
 *                   {@code overloaded}, …) or one of ours ({@code invalid_api_key}, {@code model_not_found},
 *                   {@code request_too_large}, {@code rate_limited}, {@code invalid_request})
 * @param param      the request field at fault, or {@code null}
 * @param retryAfterSeconds sent as {@code retry-after} when not {@code null}
 */
public record ApiError(int status, String code, String message, String param, Long retryAfterSeconds,
                       List<Attempt> attempts) {

  public ApiError {
    attempts = attempts == null ? List.of() : List.copyOf(attempts);
  }

  public static ApiError invalid(String param, String message) {
    return new ApiError(400, "invalid_request", message, param, null, null);
  }

  public static ApiError unauthorized(String message) {
    return new ApiError(401, "invalid_api_key", message, null, null, null);
  }

  public static ApiError forbidden(String message) {
    return new ApiError(403, "insufficient_scope", message, null, null, null);
  }

  public static ApiError notFound(String code, String message) {
    return new ApiError(404, code, message, null, null, null);
  }

  public static ApiError tooLarge(String message) {
    return new ApiError(413, "request_too_large", message, null, null, null);
  }

  public static ApiError rateLimited(String message, long retryAfterSeconds) {
    return new ApiError(429, "rate_limited", message, null, retryAfterSeconds, null);
  }

  public static ApiError internal(String message) {
    return new ApiError(500, "internal_error", message, null, null, null);
  }

  /** The router's failure, with the status {@link ErrorKind#gatewayStatus()} gives. */
  public static ApiError from(Throwable t) {
    if (t instanceof LlmException e) {
      Long ra = e.kind() == ErrorKind.RATE_LIMITED && e.retryAfter() != null
          ? Math.max(1, (e.retryAfter().toMillis() + 999) / 1000) : null;
      String msg = e.getMessage() == null ? e.kind().wire() : e.getMessage();
      return new ApiError(e.kind().gatewayStatus(), e.kind().wire(), msg, null, ra, e.attempts());
    }
    if (t instanceof ApiException a) return a.error();
    // The client hung up (mid-body, say): nobody is left to answer and nothing failed on our side, so no ERROR line.
    if (t instanceof io.vertx.core.http.HttpClosedException) {
      return new ApiError(400, "client_closed", "the client closed the connection before the request was read", null,
          null, null);
    }
    return unexpected(t);
  }

  /**
   * A failure nobody mapped (a bug, a database fault): the client gets a 500 with a reference and nothing else — an
   * exception's text can carry SQL, file paths or class names — and the log gets the exception under the same
   * reference.
   */
  static ApiError unexpected(Throwable t) {
    String ref = Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() >>> 16);
    LOG.error("internal error ref {}", ref, t);
    return internal("internal error (reference " + ref + " in the server log)");
  }

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ApiError.class);
}
