package dev.salesagent.server.http;

import dev.salesagent.router.trace.SpanHandle;
import dev.salesagent.router.trace.Tracing;
import dev.salesagent.server.auth.Principal;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import org.slf4j.Logger;
import org.slf4j.MDC;

/**
 * One request as the gateway tracks it: its id (sent back as {@code x-request-id}), who called, where it went, and
 * one structured access-log line when the response ends or the client goes away.
 */
public final class ClientExchange {
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
  private final Logger accessLog;
  private final boolean logging;
  /** This request's span ({@link SpanHandle#NONE} unless {@link #trace} started one), ended with the response. */
  public SpanHandle span = SpanHandle.NONE;
  private boolean logged;
  private Runnable onClose;

  /** @param accessLog where the access line goes; {@code null}: nowhere */
  public ClientExchange(HttpServerRequest req, Logger accessLog) {
    this.req = req;
    this.resp = req.response();
    this.requestId = RequestIds.honourOrNew(req.getHeader("x-request-id"));
    resp.putHeader("x-request-id", requestId);
    this.accessLog = accessLog;
    this.logging = accessLog != null && accessLog.isInfoEnabled();
    if (logging) resp.endHandler(v -> ended(false));
    resp.closeHandler(v -> {
      Runnable r = onClose;
      if (r != null) r.run();
      ended(true);
    });
  }

  /**
   * Starts this request's span named {@code name} (continuing the caller's W3C {@code traceparent}); it ends when the
   * response ends or the client goes away. Nothing happens when tracing is off.
   */
  public void trace(Tracing tracing, String name) {
    if (!tracing.enabled()) return;
    span = tracing.serverSpan(name, req.getHeader("traceparent"), req.getHeader("tracestate"));
    if (!logging) resp.endHandler(v -> ended(false));
  }

  private void ended(boolean closed) {
    SpanHandle s = span;
    if (s != SpanHandle.NONE) {
      span = SpanHandle.NONE;
      s.end(closed && !resp.ended() ? 499 : resp.getStatusCode(), errorCode);
      if (logging) logTraced(closed, s.traceId());
      return;
    }
    if (logging) log(closed);
  }

  /** The access line with the trace id in the MDC ({@code traceId}), so it can be found from the trace and back. */
  private void logTraced(boolean closed, String traceId) {
    if (traceId == null) {
      log(closed);
      return;
    }
    MDC.put(Log.TRACE_MDC_KEY, traceId);
    try {
      log(closed);
    } finally {
      MDC.remove(Log.TRACE_MDC_KEY);
    }
  }

  public long elapsedMicros() {
    return (System.nanoTime() - startNanos) / 1000;
  }

  private void log(boolean closed) {
    if (logged) return;
    logged = true;
    long us = elapsedMicros();
    // One pre-built string: cheaper than a parameterised message with a dozen arguments.
    StringBuilder sb = new StringBuilder(200);
    sb.append("method=").append(req.method().name()).append(" path=").append(req.path()).append(" status=");
    if (closed && !resp.ended()) sb.append("client_closed"); else sb.append(resp.getStatusCode());
    long frac = us % 1000;
    sb.append(" ms=").append(us / 1000).append('.').append(frac < 100 ? (frac < 10 ? "00" : "0") : "").append(frac)
        .append(" key=").append(principal == null ? "-" : principal.keyId())
        .append(" model=").append(model == null ? "-" : model)
        .append(" provider=").append(provider == null ? "-" : provider)
        .append(" attempts=").append(attempts).append(" stream=").append(stream)
        .append(" bytes=").append(resp.bytesWritten());
    if (errorCode != null) sb.append(" error=").append(errorCode);
    MDC.put(Log.MDC_KEY, requestId);
    try {
      accessLog.info(sb.toString());
    } finally {
      MDC.remove(Log.MDC_KEY);
    }
  }

  /** Runs when the connection closes (client gone or response done); one callback. */
  public void onClose(Runnable r) {
    this.onClose = r;
  }

  /**
   * The presented key: {@code x-litellm-api-key} (LiteLLM's header, which wins there over {@code Authorization} so a
   * client can keep that one for something else; a {@code Bearer } prefix is accepted), {@code Authorization: Bearer …},
   * or {@code x-api-key} when allowed.
   */
  public String presentedKey(boolean allowXApiKey) {
    String lite = req.getHeader("x-litellm-api-key");
    if (lite != null) {
      lite = lite.trim();
      return lite.regionMatches(true, 0, "Bearer ", 0, 7) ? lite.substring(7).trim() : lite;
    }
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
