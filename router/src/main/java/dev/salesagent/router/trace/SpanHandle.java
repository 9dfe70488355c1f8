package dev.salesagent.router.trace;

/** A started span: made current around the work it covers, ended once. {@link #NONE} when tracing is off. */
public interface SpanHandle {

  SpanHandle NONE = new SpanHandle() {
    @Override
    public TraceScope makeCurrent() { return TraceScope.NONE; }

    @Override
    public void end(int httpStatus, String errorType) { }

    @Override
    public String traceId() { return null; }
  };

  /** This span is the current one on this thread until the scope closes. */
  TraceScope makeCurrent();

  /**
   * Ends the span. {@code httpStatus} is recorded when positive; {@code errorType} (an error kind's wire name, or
   * {@code null} when it went well) becomes {@code error.type} and an error status.
   */
  void end(int httpStatus, String errorType);

  /** The trace id (32 hex digits), {@code null} when not traced. */
  String traceId();
}
