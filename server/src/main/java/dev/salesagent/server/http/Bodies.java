package dev.salesagent.server.http;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/** Reads a request body up to a limit: larger bodies fail with 413 as soon as they are known to be too large. */
public final class Bodies {
  private Bodies() {}

  public static Future<Buffer> read(HttpServerRequest req, int limit) {
    String cl = req.getHeader("content-length");
    if (cl != null) {
      long n;
      try {
        n = Long.parseLong(cl.trim());
      } catch (NumberFormatException e) {
        return Future.failedFuture(ApiException.invalid(null, "content-length is not a number"));
      }
      if (n > limit) return Future.failedFuture(new ApiException(tooLarge(limit)));
    }
    Promise<Buffer> p = Promise.promise();
    Buffer body = Buffer.buffer(cl == null ? 1024 : (int) Math.min(limit, Long.parseLong(cl.trim())));
    boolean[] failed = {false};
    req.handler(chunk -> {
      if (failed[0]) return;
      if (body.length() + chunk.length() > limit) {
        failed[0] = true;
        p.tryFail(new ApiException(tooLarge(limit)));
        return;
      }
      body.appendBuffer(chunk);
    });
    req.endHandler(v -> {
      if (!failed[0]) p.tryComplete(body);
    });
    req.exceptionHandler(t -> p.tryFail(t));
    return p.future();
  }

  private static ApiError tooLarge(int limit) {
    return ApiError.tooLarge("request body is larger than the limit of " + limit + " bytes: send fewer or shorter messages");
  }
}
