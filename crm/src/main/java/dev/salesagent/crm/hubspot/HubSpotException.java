package dev.salesagent.crm.hubspot;

import dev.salesagent.router.error.ErrorKind;

/**
 * A HubSpot call that failed, in the project's error taxonomy: {@code authentication} (401/403), {@code rate_limited}
 * (429 still refused after waiting), {@code upstream_error} (5xx), {@code unavailable} (no connection),
 * {@code timeout}, {@code not_found} (404), {@code invalid_request} (400/409/other 4xx). Carries HubSpot's
 * {@code category} and {@code correlationId} (what HubSpot support asks for); never the token.
 */
public final class HubSpotException extends RuntimeException {
  private final ErrorKind kind;
  private final int status;
  private final String category;
  private final String correlationId;

  public HubSpotException(ErrorKind kind, int status, String category, String message, String correlationId) {
    super(message, null, false, false);
    this.kind = kind;
    this.status = status;
    this.category = category;
    this.correlationId = correlationId;
  }

  /** The kind for an HTTP status HubSpot answered with. */
  static ErrorKind kindOf(int status) {
    if (status == 401 || status == 403) return ErrorKind.AUTHENTICATION;
    if (status == 429) return ErrorKind.RATE_LIMITED;
    if (status == 404) return ErrorKind.NOT_FOUND;
    if (status >= 500) return ErrorKind.UPSTREAM_ERROR;
    return ErrorKind.INVALID_REQUEST;
  }

  public ErrorKind kind() {
    return kind;
  }

  /** The HTTP status, 0 when no answer came. */
  public int status() {
    return status;
  }

  /** HubSpot's {@code category} ({@code VALIDATION_ERROR}, {@code INVALID_AUTHENTICATION}, …), or null. */
  public String category() {
    return category;
  }

  public String correlationId() {
    return correlationId;
  }

  /** {@code authentication: HubSpot 401 INVALID_AUTHENTICATION: <message> (correlationId …)}. */
  public String describe() {
    StringBuilder sb = new StringBuilder(kind.wire()).append(": HubSpot");
    if (status > 0) sb.append(' ').append(status);
    if (category != null) sb.append(' ').append(category);
    sb.append(": ").append(getMessage());
    if (correlationId != null) sb.append(" (correlationId ").append(correlationId).append(')');
    return sb.toString();
  }
}
