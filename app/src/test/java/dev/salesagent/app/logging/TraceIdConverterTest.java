package dev.salesagent.app.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import dev.salesagent.app.tracing.OtelTracing;
import dev.salesagent.router.trace.SpanHandle;
import dev.salesagent.router.trace.TraceScope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** {@code %traceId}: the access line's MDC trace id, else the current span's, else nothing. */
class TraceIdConverterTest {

  static LoggingEvent event() {
    // the application's logger context: it carries the MDC adapter the event copies its map from
    LoggerContext ctx = (LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
    return new LoggingEvent("x", ctx.getLogger("t"), Level.INFO, "line", null, null);
  }

  @Test
  void mdcThenCurrentSpanThenNothing() {
    TraceIdConverter c = new TraceIdConverter();
    assertThat(c.convert(event())).isEmpty();
    MDC.put("traceId", "4bf92f3577b34da6a3ce929d0e0e4736");
    try {
      assertThat(c.convert(event())).isEqualTo(" trace=4bf92f3577b34da6a3ce929d0e0e4736");
    } finally {
      MDC.remove("traceId");
    }
    try (OtelTracing t = new OtelTracing(OpenTelemetrySdk.builder().setTracerProvider(
        SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(InMemorySpanExporter.create())).build()).build())) {
      SpanHandle step = t.workSpan("qualify", "lead-1", "run-1");
      try (TraceScope s = step.makeCurrent()) {
        assertThat(c.convert(event())).isEqualTo(" trace=" + step.traceId());
      }
      step.end(0, null);
      assertThat(c.convert(event())).isEmpty();
    }
  }
}
