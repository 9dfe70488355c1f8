package dev.salesagent.router.error;

/**
 * What a provider's error says about itself, beyond its HTTP status. Providers name the same thing differently
 * (Cerebras' {@code queue_exceeded} and Anthropic's {@code overloaded_error} are both {@link #OVERLOADED}); each
 * provider folder declares its names in an {@link ErrorDialect}.
 *
 * <p>Without a status to go by (an error inside a stream or a 200 body) the first sign an error shows, in this
 * declaration order, decides its kind; nothing shown means {@code upstream_error}.
 */
public enum ErrorSign {
  /** A refused request (not a finish reason): never retried, never fallen back. */
  CONTENT_FILTERED(ErrorKind.CONTENT_FILTERED),
  /** The prompt does not fit the model: {@code invalid_request} that may fall back to a larger context. */
  CONTEXT_LENGTH(ErrorKind.INVALID_REQUEST),
  /** The provider is busy, not we too fast: a 429 carrying it is {@code overloaded}. */
  OVERLOADED(ErrorKind.OVERLOADED),
  /** Out of credit or over a spend cap: a 429 carrying it is {@code authentication}, since waiting does not help. */
  OUT_OF_CREDIT(ErrorKind.AUTHENTICATION),
  RATE_LIMITED(ErrorKind.RATE_LIMITED),
  AUTHENTICATION(ErrorKind.AUTHENTICATION),
  NOT_FOUND(ErrorKind.NOT_FOUND),
  INVALID_REQUEST(ErrorKind.INVALID_REQUEST),
  /** Only the error text says a model is missing (Ollama): weaker than any identifier, so checked last. */
  MODEL_MISSING_TEXT(ErrorKind.NOT_FOUND);

  private final ErrorKind kind;

  ErrorSign(ErrorKind kind) {
    this.kind = kind;
  }

  /** The kind this sign means when there is no HTTP status. */
  public ErrorKind kind() {
    return kind;
  }
}
