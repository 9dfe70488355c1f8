package dev.salesagent.router.trace;

/**
 * Where spans go: the port the router, the gateway and the pipeline report to, implemented in {@code app} over the
 * OpenTelemetry SDK. {@link #OFF} (tracing not configured) hands out the {@code NONE} singletons of each handle, so an
 * untraced request creates no span object and costs a few interface calls that return constants.
 */
public interface Tracing {

  /** No tracing: every method returns a shared no-op handle. */
  Tracing OFF = new Tracing() {
    @Override
    public boolean enabled() { return false; }

    @Override
    public SpanHandle serverSpan(String name, String traceparent, String tracestate) { return SpanHandle.NONE; }

    @Override
    public SpanHandle workSpan(String name, String leadId, String runId) { return SpanHandle.NONE; }

    @Override
    public RequestTrace request() { return RequestTrace.NONE; }
  };

  boolean enabled();

  /**
   * The span of one inbound gateway request (kind SERVER), continuing the caller's trace when {@code traceparent} (W3C
   * Trace Context, with {@code tracestate}) is valid, a new trace otherwise.
   */
  SpanHandle serverSpan(String name, String traceparent, String tracestate);

  /** A unit of work (a lead step: {@code name} is the step), child of the span current on this thread. */
  SpanHandle workSpan(String name, String leadId, String runId);

  /**
   * A routed request's link to its caller: the span current on the calling thread when the request starts (a gateway
   * request's, a lead step's), which its attempts are children of. Called once per request, on the caller's thread.
   */
  RequestTrace request();
}
