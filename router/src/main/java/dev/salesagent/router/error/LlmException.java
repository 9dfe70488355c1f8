package dev.salesagent.router.error;

import dev.salesagent.router.model.Attempt;
import dev.salesagent.router.model.Usage;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The only exception that crosses the router's API. It never holds an API key: messages are built from status
 * codes and provider error bodies, which do not echo keys (DeepSeek masks them), and {@link #safeMessage} strips
 * anything that looks like one.
 */
public final class LlmException extends RuntimeException {
  private final ErrorKind kind;
  private final Integer httpStatus;
  private final String providerErrorType;
  private final Duration retryAfter;
  private final Map<String, String> rateLimitHeaders;
  private final boolean contextLengthExceeded;
  private final Usage partialUsage;
  private final String provider;
  private final String model;
  private final String task;
  private final String requestId;
  private final List<Attempt> attempts;

  private LlmException(Builder b) {
    super(safeMessage(b.message), b.cause, false, b.cause != null);
    this.kind = b.kind;
    this.httpStatus = b.httpStatus;
    this.providerErrorType = b.providerErrorType;
    this.retryAfter = b.retryAfter;
    this.rateLimitHeaders = b.rateLimitHeaders == null ? Map.of() : Map.copyOf(b.rateLimitHeaders);
    this.contextLengthExceeded = b.contextLengthExceeded;
    this.partialUsage = b.partialUsage == null ? Usage.UNKNOWN : b.partialUsage;
    this.provider = b.provider;
    this.model = b.model;
    this.task = b.task;
    this.requestId = b.requestId;
    this.attempts = b.attempts == null ? List.of() : List.copyOf(b.attempts);
  }

  public static Builder builder(ErrorKind kind, String message) {
    return new Builder(kind, message);
  }

  public static LlmException of(ErrorKind kind, String message) {
    return builder(kind, message).build();
  }

  public ErrorKind kind() { return kind; }
  /** HTTP status received from the upstream, if any. */
  public Integer httpStatus() { return httpStatus; }
  /** The provider's own error identifier ({@code overloaded_error}, {@code too_many_tokens_error}, …). */
  public String providerErrorType() { return providerErrorType; }
  /** Parsed Retry-After, or {@code null}. */
  public Duration retryAfter() { return retryAfter; }
  /** The provider's rate-limit headers as received (lower-case names). */
  public Map<String, String> rateLimitHeaders() { return rateLimitHeaders; }
  /** A 400 that says the prompt is too long for the model: the one invalid request that falls back. */
  public boolean contextLengthExceeded() { return contextLengthExceeded; }
  /** Usage reported before the failure (an aborted stream's input tokens, say). */
  public Usage partialUsage() { return partialUsage; }
  public String provider() { return provider; }
  public String model() { return model; }
  public String task() { return task; }
  public String requestId() { return requestId; }
  /** Every attempt made for the request, oldest first (filled by the router). */
  public List<Attempt> attempts() { return attempts; }

  /** May the next target be tried after this error. */
  public boolean fallbackable() {
    return kind.fallbackable() || (kind == ErrorKind.INVALID_REQUEST && contextLengthExceeded);
  }

  public Builder toBuilder() {
    Builder b = new Builder(kind, getMessage());
    b.cause = getCause();
    b.httpStatus = httpStatus;
    b.providerErrorType = providerErrorType;
    b.retryAfter = retryAfter;
    b.rateLimitHeaders = rateLimitHeaders;
    b.contextLengthExceeded = contextLengthExceeded;
    b.partialUsage = partialUsage;
    b.provider = provider;
    b.model = model;
    b.task = task;
    b.requestId = requestId;
    b.attempts = attempts;
    return b;
  }

  /** Removes anything shaped like an API key, and URL credentials, from text that will reach a log or a client. */
  public static String safeMessage(String s) {
    return Redaction.text(s);
  }

  public static final class Builder {
    private final ErrorKind kind;
    private final String message;
    private Throwable cause;
    private Integer httpStatus;
    private String providerErrorType;
    private Duration retryAfter;
    private Map<String, String> rateLimitHeaders;
    private boolean contextLengthExceeded;
    private Usage partialUsage;
    private String provider;
    private String model;
    private String task;
    private String requestId;
    private List<Attempt> attempts;

    private Builder(ErrorKind kind, String message) {
      this.kind = java.util.Objects.requireNonNull(kind, "kind");
      this.message = message;
    }

    public Builder cause(Throwable t) { this.cause = t; return this; }
    public Builder httpStatus(Integer s) { this.httpStatus = s; return this; }
    public Builder providerErrorType(String t) { this.providerErrorType = t; return this; }
    public Builder retryAfter(Duration d) { this.retryAfter = d; return this; }
    public Builder rateLimitHeaders(Map<String, String> h) { this.rateLimitHeaders = h; return this; }
    public Builder contextLengthExceeded(boolean b) { this.contextLengthExceeded = b; return this; }
    public Builder partialUsage(Usage u) { this.partialUsage = u; return this; }
    public Builder provider(String p) { this.provider = p; return this; }
    public Builder model(String m) { this.model = m; return this; }
    public Builder task(String t) { this.task = t; return this; }
    public Builder requestId(String r) { this.requestId = r; return this; }
    public Builder attempts(List<Attempt> a) { this.attempts = a; return this; }

    public LlmException build() { return new LlmException(this); }
  }
}
