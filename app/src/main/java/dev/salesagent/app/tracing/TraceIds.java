package dev.salesagent.app.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;

/** The trace id of the span current on this thread, for log lines. */
public final class TraceIds {
  private TraceIds() {}

  /** {@code null} when tracing is off (no SDK in this process) or no span is current. */
  public static String current() {
    if (!OtelTracing.active) return null;
    SpanContext c = Span.current().getSpanContext();
    return c.isValid() ? c.getTraceId() : null;
  }
}
