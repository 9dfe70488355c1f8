package dev.salesagent.router.wire;

import dev.salesagent.router.error.ErrorKind;
import dev.salesagent.router.error.LlmException;
import dev.salesagent.router.model.Usage;
import java.time.Duration;
import java.util.Map;

/**
 * A failure found on the wire (an error status, an in-stream error event, a cut stream), before it is tied to the
 * call's provider, model and request id by {@link #toException}.
 *
 * @param providerErrorType the provider's own identifier: {@code error.type}, Cerebras' flat {@code type}, Ollama's
 *                          error string, or one of ours ({@code stream_truncated}, {@code malformed_event}, …)
 */
public record WireFailure(
    ErrorKind kind,
    String providerErrorType,
    String message,
    Integer httpStatus,
    Duration retryAfter,
    Map<String, String> rateLimitHeaders,
    boolean contextLengthExceeded) {

  public static final String STREAM_TRUNCATED = "stream_truncated";
  public static final String MALFORMED_EVENT = "malformed_event";

  public WireFailure {
    rateLimitHeaders = rateLimitHeaders == null ? Map.of() : Map.copyOf(rateLimitHeaders);
  }

  public static WireFailure of(ErrorKind kind, String providerErrorType, String message) {
    return new WireFailure(kind, providerErrorType, message, null, null, Map.of(), false);
  }

  /** A stream that ended before its terminator. */
  public static WireFailure truncated(String detail) {
    return of(ErrorKind.INTERRUPTED, STREAM_TRUNCATED, detail);
  }

  public LlmException toException(String provider, String model, String requestId, Usage partialUsage, Throwable cause) {
    return LlmException.builder(kind, provider + ": " + message)
        .providerErrorType(providerErrorType)
        .httpStatus(httpStatus)
        .retryAfter(retryAfter)
        .rateLimitHeaders(rateLimitHeaders)
        .contextLengthExceeded(contextLengthExceeded)
        .partialUsage(partialUsage)
        .provider(provider)
        .model(model)
        .requestId(requestId)
        .cause(cause)
        .build();
  }
}
