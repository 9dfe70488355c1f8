package dev.salesagent.router.error;

import java.util.Locale;

/**
 * The one error taxonomy, end to end (see docs/ARCHITECTURE.md "Errors"). Each kind says whether the same target
 * may be tried again and whether the next target of a plan may be tried.
 */
public enum ErrorKind {
  /** 429; retry after Retry-After unless that is past the request's deadline. */
  RATE_LIMITED(true, true, 429),
  /** 503/529, 429 with an overload signal, in-stream overloaded_error. */
  OVERLOADED(true, true, 503),
  /** No first byte or first token in time. Not retried on the same target: failed over. */
  TIMEOUT(false, true, 504),
  /** A stream cut before its terminator or silent past idle_ms. */
  INTERRUPTED(true, true, 502),
  /** Connection refused or reset. */
  UNAVAILABLE(true, true, 503),
  /** 5xx, in-stream api_error/server errors, Ollama error strings. */
  UPSTREAM_ERROR(true, true, 502),
  /** 401/403/402: not retried, fallen back, target marked misconfigured. */
  AUTHENTICATION(false, true, 502),
  /** 404 model or path: not retried, fallen back. */
  NOT_FOUND(false, true, 404),
  /** 400: the caller's request is wrong; neither retried nor fallen back (context length is the exception). */
  INVALID_REQUEST(false, false, 400),
  /** The provider refused the content; the caller gets the provider's reason. */
  CONTENT_FILTERED(false, false, 400),
  /** A budget cannot afford the call. */
  BUDGET_EXCEEDED(false, false, 402),
  /** Every target of a plan failed or none could be planned. */
  NO_ROUTE(false, false, 503);

  private final boolean retryable;
  private final boolean fallbackable;
  private final int httpStatus;

  ErrorKind(boolean retryable, boolean fallbackable, int httpStatus) {
    this.retryable = retryable;
    this.fallbackable = fallbackable;
    this.httpStatus = httpStatus;
  }

  /** May the same target be called again for this request. */
  public boolean retryable() { return retryable; }

  /** May the next target of the plan be tried. */
  public boolean fallbackable() { return fallbackable; }

  /** The status our own gateway answers with for this kind. */
  public int gatewayStatus() { return httpStatus; }

  public String wire() { return name().toLowerCase(Locale.ROOT); }

  public static ErrorKind fromWire(String s) { return valueOf(s.toUpperCase(Locale.ROOT)); }
}
