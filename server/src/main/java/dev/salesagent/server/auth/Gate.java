package dev.salesagent.server.auth;

import dev.salesagent.server.GatewayServices;
import dev.salesagent.server.http.ApiError;
import dev.salesagent.server.http.ApiException;
import dev.salesagent.server.http.ClientExchange;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;

/** Authentication, scope and per-key rate limit ({@link RateLimiter}), in that order, for every API call. */
public final class Gate {
  private Gate() {}

  public static Future<Principal> admit(ClientExchange x, GatewayServices s, boolean allowXApiKey, boolean adminOnly) {
    return s.keys().authenticate(x.presentedKey(allowXApiKey)).compose(p -> {
      x.principal = p;
      if (adminOnly && !p.admin()) {
        return Future.failedFuture(new ApiException(ApiError.forbidden(
            "this endpoint needs an admin key; key " + p.keyId() + " has scope client")));
      }
      if (p.rpm() == null) return Future.succeededFuture(p);
      Future<RateDecision> decision = s.rateLimiter().acquire(p.keyId(), p.rpm());
      // the in-process limiter answers at once: read it without another future on the hot path
      return decision.isComplete() ? admitted(p, decision) : decision.transform(d -> admitted(p, d));
    });
  }

  private static Future<Principal> admitted(Principal p, AsyncResult<RateDecision> decision) {
    if (decision.failed()) return Future.failedFuture(decision.cause());
    if (decision.result() instanceof RateDecision.Refused r) {
      return Future.failedFuture(new ApiException(ApiError.rateLimited("key " + p.keyId() + " is limited to " + p.rpm()
          + " requests per minute: retry in " + r.retryAfterSeconds() + " s", r.retryAfterSeconds())));
    }
    return Future.succeededFuture(p);
  }
}
