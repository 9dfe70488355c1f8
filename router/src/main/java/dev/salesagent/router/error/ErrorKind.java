package dev.salesagent.router.error;

import java.util.Locale;

/**
 * The one error taxonomy, end to end (see docs/ARCHITECTURE.md "Errors"). Each kind carries its consequences, so they
 * are decided here and nowhere else: whether the same target may be tried again, whether the next target of a plan may
 * be tried, whether it counts against the target's circuit, what it tells the provider's health, and whether it marks
 * the provider misconfigured.
 */
public enum ErrorKind {
  // retryable, fallbackable, gateway status, circuit failure, health, marks misconfigured
  /** 429; retry after Retry-After unless that is past the request's deadline. "Slow down", not "unhealthy". */
  RATE_LIMITED(true, true, 429, true, Health.UNTOUCHED, false),
  /** 503/529, 429 with an overload signal, in-stream overloaded_error. */
  OVERLOADED(true, true, 503, true, Health.FAILURE, false),
  /** No first byte or first token in time. Not retried on the same target: failed over. */
  TIMEOUT(false, true, 504, true, Health.FAILURE, false),
  /** A stream cut before its terminator or silent past idle_ms. */
  INTERRUPTED(true, true, 502, true, Health.FAILURE, false),
  /** Connection refused or reset. */
  UNAVAILABLE(true, true, 503, true, Health.FAILURE, false),
  /** 5xx, in-stream api_error/server errors, Ollama error strings. */
  UPSTREAM_ERROR(true, true, 502, true, Health.FAILURE, false),
  /** 401/403/402: not retried, fallen back, target marked misconfigured. */
  AUTHENTICATION(false, true, 502, true, Health.FAILURE, true),
  /** 404 model or path: not retried, fallen back. A wrong model name says nothing about the provider's health. */
  NOT_FOUND(false, true, 404, true, Health.UNTOUCHED, false),
  /** 400: the caller's request is wrong; neither retried nor fallen back (context length is the exception). */
  INVALID_REQUEST(false, false, 400, false, Health.SUCCESS, false),
  /** The provider refused the content; the caller gets the provider's reason. */
  CONTENT_FILTERED(false, false, 400, false, Health.SUCCESS, false),
  /** A budget cannot afford the call. */
  BUDGET_EXCEEDED(false, false, 402, false, Health.SUCCESS, false),
  /** Every target of a plan failed or none could be planned. */
  NO_ROUTE(false, false, 503, false, Health.SUCCESS, false);

  /** What an attempt that failed with a kind tells its provider's health. */
  public enum Health {
    /** A provider fault: counts towards degraded and down. */
    FAILURE,
    /** The provider answered properly (a caller fault): it counts as a good outcome. */
    SUCCESS,
    /** Says nothing either way. */
    UNTOUCHED
  }

  private final boolean retryable;
  private final boolean fallbackable;
  private final int httpStatus;
  private final boolean circuitFailure;
  private final Health health;
  private final boolean marksMisconfigured;

  ErrorKind(boolean retryable, boolean fallbackable, int httpStatus, boolean circuitFailure, Health health,
            boolean marksMisconfigured) {
    this.retryable = retryable;
    this.fallbackable = fallbackable;
    this.httpStatus = httpStatus;
    this.circuitFailure = circuitFailure;
    this.health = health;
    this.marksMisconfigured = marksMisconfigured;
  }

  /** May the same target be called again for this request. */
  public boolean retryable() { return retryable; }

  /** May the next target of the plan be tried. */
  public boolean fallbackable() { return fallbackable; }

  /**
   * Does an attempt that failed with this kind count as an error in its target's circuit breaker; otherwise it counts
   * as a success (the target answered; the request was at fault). A caller's cancel is neither: its permit is given
   * back unused.
   */
  public boolean circuitFailure() { return circuitFailure; }

  /** What a failed attempt of this kind tells its provider's health. */
  public Health health() { return health; }

  /** Marks the provider down at once (a bad or spent key: waiting for more failures would not help). */
  public boolean marksMisconfigured() { return marksMisconfigured; }

  /** The status our own gateway answers with for this kind. */
  public int gatewayStatus() { return httpStatus; }

  public String wire() { return name().toLowerCase(Locale.ROOT); }

  public static ErrorKind fromWire(String s) { return valueOf(s.toUpperCase(Locale.ROOT)); }
}
