package dev.salesagent.app.tracing;

import dev.salesagent.router.model.Usage;
import dev.salesagent.router.trace.AttemptTrace;
import dev.salesagent.router.trace.RequestTrace;
import dev.salesagent.router.trace.SpanHandle;
import dev.salesagent.router.trace.TraceScope;
import dev.salesagent.router.trace.Tracing;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.util.List;

/**
 * {@link Tracing} over the OpenTelemetry API: a SERVER span per gateway request (its parent from the caller's W3C
 * {@code traceparent}), a CLIENT span per attempt named {@code "<operation> <model>"} with the GenAI semantic-convention
 * attributes, an INTERNAL span per lead step. Attributes carry names, models, counts and error kinds — never a key,
 * a prompt or an answer.
 */
public final class OtelTracing implements Tracing, AutoCloseable {
  /** Set once an SDK-backed tracing exists in this process: the log converter looks for a current span only then. */
  static volatile boolean active;

  static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
  static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
  static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
  static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
  static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
  static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");
  static final AttributeKey<String> HTTP_METHOD = AttributeKey.stringKey("http.request.method");
  static final AttributeKey<String> TASK = AttributeKey.stringKey("sales_agent.task");
  static final AttributeKey<Boolean> STREAMING = AttributeKey.booleanKey("sales_agent.streaming");
  static final AttributeKey<String> STEP = AttributeKey.stringKey("sales_agent.step");
  static final AttributeKey<String> LEAD = AttributeKey.stringKey("sales_agent.lead.id");
  static final AttributeKey<String> RUN = AttributeKey.stringKey("sales_agent.run.id");

  private static final TextMapGetter<String[]> TRACE_HEADERS = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(String[] carrier) {
      return List.of("traceparent", "tracestate");
    }

    @Override
    public String get(String[] carrier, String key) {
      if (carrier == null) return null;
      return "traceparent".equals(key) ? carrier[0] : "tracestate".equals(key) ? carrier[1] : null;
    }
  };

  private final OpenTelemetry otel;
  private final Tracer tracer;

  public OtelTracing(OpenTelemetry otel) {
    this.otel = otel;
    String version = OtelTracing.class.getPackage().getImplementationVersion();
    this.tracer = version == null ? otel.getTracer("dev.salesagent") : otel.getTracer("dev.salesagent", version);
    active = true;
  }

  /** Exports what is buffered and stops the SDK (when this tracing owns one). */
  @Override
  public void close() {
    if (otel instanceof OpenTelemetrySdk sdk) sdk.close();
  }

  @Override
  public boolean enabled() {
    return true;
  }

  @Override
  public SpanHandle serverSpan(String name, String traceparent, String tracestate) {
    Context parent = traceparent == null ? Context.root()
        : W3CTraceContextPropagator.getInstance().extract(Context.root(), new String[] {traceparent, tracestate}, TRACE_HEADERS);
    int sp = name.indexOf(' ');
    Span span = tracer.spanBuilder(name).setSpanKind(SpanKind.SERVER).setParent(parent)
        .setAttribute(HTTP_METHOD, sp > 0 ? name.substring(0, sp) : name).startSpan();
    return new Handle(span, true);
  }

  @Override
  public SpanHandle workSpan(String name, String leadId, String runId) {
    Span span = tracer.spanBuilder(name).setSpanKind(SpanKind.INTERNAL).setParent(Context.current())
        .setAttribute(STEP, name).setAttribute(LEAD, leadId).setAttribute(RUN, runId).startSpan();
    return new Handle(span, false);
  }

  @Override
  public RequestTrace request() {
    return new Request(Context.current());
  }

  /** A started span. */
  private static final class Handle implements SpanHandle {
    private final Span span;
    private final boolean http;

    Handle(Span span, boolean http) {
      this.span = span;
      this.http = http;
    }

    @Override
    public TraceScope makeCurrent() {
      Scope s = span.makeCurrent();
      return s::close;
    }

    @Override
    public void end(int httpStatus, String errorType) {
      if (http && httpStatus > 0) span.setAttribute(HTTP_STATUS, (long) httpStatus);
      if (errorType != null) span.setAttribute(ERROR_TYPE, errorType);
      // a server span is in error for a 5xx only (a 4xx is the caller's mistake); other spans whenever they failed
      if (http ? httpStatus >= 500 : errorType != null) span.setStatus(StatusCode.ERROR);
      span.end();
    }

    @Override
    public String traceId() {
      // a span the sampler dropped (or an SDK without processors) has no valid context: no id to show
      return span.getSpanContext().isValid() ? span.getSpanContext().getTraceId() : null;
    }
  }

  /** A routed request: the context that was current when it started. */
  private final class Request implements RequestTrace {
    private final Context parent;

    Request(Context parent) {
      this.parent = parent;
    }

    @Override
    public TraceScope enter() {
      Scope s = parent.makeCurrent();
      return s::close;
    }

    @Override
    public AttemptTrace attempt(String operation, String provider, String model, String task, boolean streaming) {
      Span span = tracer.spanBuilder(operation + " " + model).setSpanKind(SpanKind.CLIENT).setParent(parent)
          .setAttribute(OPERATION, operation).setAttribute(PROVIDER, provider).setAttribute(REQUEST_MODEL, model)
          .setAttribute(TASK, task).setAttribute(STREAMING, streaming).startSpan();
      return new Attempt(span);
    }
  }

  /** One attempt's span. */
  private static final class Attempt implements AttemptTrace {
    private final Span span;

    Attempt(Span span) {
      this.span = span;
    }

    @Override
    public void succeeded(String responseModel, Usage usage) {
      if (responseModel != null) span.setAttribute(RESPONSE_MODEL, responseModel);
      usage(usage);
      span.end();
    }

    @Override
    public void failed(String errorType, Integer httpStatus, Usage usage) {
      span.setAttribute(ERROR_TYPE, errorType);
      if (httpStatus != null) span.setAttribute(HTTP_STATUS, httpStatus.longValue());
      usage(usage);
      span.setStatus(StatusCode.ERROR);
      span.end();
    }

    private void usage(Usage u) {
      if (u == null) return;
      if (u.inputTokens() != null) span.setAttribute(INPUT_TOKENS, u.inputTokens().longValue());
      if (u.outputTokens() != null) span.setAttribute(OUTPUT_TOKENS, u.outputTokens().longValue());
    }
  }
}
