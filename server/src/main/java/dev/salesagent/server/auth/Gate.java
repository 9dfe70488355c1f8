package dev.salesagent.server.auth;

import dev.salesagent.server.GatewayServices;
import dev.salesagent.server.http.ApiError;
import dev.salesagent.server.http.ApiException;
import dev.salesagent.server.http.Exchange;
import io.vertx.core.Future;

/** Authentication, scope and per-key rate limit, in that order, for every API call. */
public final class Gate {
  private Gate() {}

  public static Future<Principal> admit(Exchange x, GatewayServices s, boolean allowXApiKey, boolean adminOnly) {
    return s.keys().authenticate(x.presentedKey(allowXApiKey)).compose(p -> {
      x.principal = p;
      if (adminOnly && !p.admin()) {
        return Future.failedFuture(new ApiException(ApiError.forbidden(
            "this endpoint needs an admin key; key " + p.keyId() + " has scope client")));
      }
      if (p.rpm() != null) {
        long wait = s.rateLimiter().acquire(p.keyId(), p.rpm(), System.currentTimeMillis());
        if (wait > 0) {
          return Future.failedFuture(new ApiException(ApiError.rateLimited(
              "key " + p.keyId() + " is limited to " + p.rpm() + " requests per minute: retry in " + wait + " s", wait)));
        }
      }
      return Future.succeededFuture(p);
    });
  }
}
