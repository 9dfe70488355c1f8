package dev.salesagent.server.http;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;

/**
 * Answers the requests the HTTP codec could not decode (Vert.x's own handler sends an empty body): 414 for a request
 * line over the limit, 431 for headers over it, 400 for anything else malformed — a smuggling attempt with both
 * {@code Content-Length} and {@code Transfer-Encoding}, several {@code Content-Length} values, a bad chunk size — each
 * with the usual JSON error body, {@code connection: close}, and the connection closed after it.
 */
public final class InvalidRequests implements Handler<HttpServerRequest> {
  private final HttpLimits limits;

  public InvalidRequests(HttpLimits limits) {
    this.limits = limits;
  }

  @Override
  public void handle(HttpServerRequest req) {
    Throwable cause = req.decoderResult().cause();
    ApiError e;
    if (cause instanceof TooLongHttpLineException) {
      e = new ApiError(414, "uri_too_long", "the request line is longer than " + limits.maxRequestLineBytes() + " bytes",
          null, null, null);
    } else if (cause instanceof TooLongHttpHeaderException) {
      e = new ApiError(431, "headers_too_large", "the request headers are larger than " + limits.maxHeaderBytes()
          + " bytes together", null, null, null);
    } else if (cause instanceof StrictRequestDecoder.AmbiguousLength a) {
      e = ApiError.invalid(null, a.getMessage());
    } else if (cause != null && String.valueOf(cause.getMessage()).contains("Content-Length")) {
      e = ApiError.invalid(null, "the request has an invalid or repeated Content-Length: send exactly one");
    } else {
      e = ApiError.invalid(null, "malformed HTTP request: it could not be decoded as HTTP/1.1");
    }
    String id = RequestIds.honourOrNew(null);
    req.response().putHeader("connection", "close").putHeader("x-request-id", id);
    // Vert.x closes the connection once this answer is written (the request failed to decode).
    Responses.sendOpenAiError(req.response(), e, id);
  }
}
