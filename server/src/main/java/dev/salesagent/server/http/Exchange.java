package dev.salesagent.server.http;

import dev.salesagent.server.auth.Principal;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One request as the gateway tracks it: its id (sent back as {@code x-request-id}), who called, where it went, and
 * one structured access-log line when the response ends or the client goes away.
 */
public final class Exchange {
  private static final Logger ACCESS = LoggerFactory.getLogger("dev.salesagent.server.access");

  public final HttpServerRequest req;
  public final HttpServerResponse resp;
  public final String requestId;
  private final long startNanos = System.nanoTime();
  public Principal principal;
  public String model;
  public String provider;
  public int attempts;
  public boolean stream;
  public String errorCode;
  private boolean logged;

  public Exchange(HttpServerRequest req, boolean accessLog) {
    this.req = req;
    this.resp = req.response();
    this.requestId = RequestIds.honourOrNew(req.getHeader("x-request-id"));
    resp.putHeader("x-request-id", requestId);
    if (accessLog && ACCESS.isInfoEnabled()) {
      resp.endHandler(v -> log(false));
      resp.closeHandler(v -> log(true));
    }
  }

  public long elapsedMicros() {
    return (System.nanoTime() - startNanos) / 1000;
  }

  private void log(boolean closed) {
    if (logged) return;
    logged = true;
    long us = elapsedMicros();
    MDC.put(Log.MDC_KEY, requestId);
    try {
      ACCESS.info("method={} path={} status={} ms={}.{} key={} model={} provider={} attempts={} stream={} bytes={}{}{}",
          req.method(), req.path(), closed && !resp.ended() ? "client_closed" : resp.getStatusCode(), us / 1000,
          String.format("%03d", us % 1000), principal == null ? "-" : principal.keyId(), model == null ? "-" : model,
          provider == null ? "-" : provider, attempts, stream, resp.bytesWritten(),
          errorCode == null ? "" : " error=", errorCode == null ? "" : errorCode);
    } finally {
      MDC.remove(Log.MDC_KEY);
    }
  }

  /** The presented key: {@code Authorization: Bearer …}, or {@code x-api-key} when allowed. */
  public String presentedKey(boolean allowXApiKey) {
    String auth = req.getHeader("authorization");
    if (auth != null && auth.length() > 7 && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return auth.substring(7).trim();
    }
    if (allowXApiKey) {
      String k = req.getHeader("x-api-key");
      if (k != null) return k.trim();
    }
    return null;
  }
}
