package dev.salesagent.server.http;

/** Carries an {@link ApiError} through a failed future or out of a parser. */
public final class ApiException extends RuntimeException {
  private final ApiError error;

  public ApiException(ApiError error) {
    super(error.message(), null, false, false);
    this.error = error;
  }

  public ApiError error() { return error; }

  public static ApiException invalid(String param, String message) {
    return new ApiException(ApiError.invalid(param, message));
  }
}
