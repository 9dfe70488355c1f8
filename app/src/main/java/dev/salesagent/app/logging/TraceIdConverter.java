package dev.salesagent.app.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.salesagent.app.tracing.TraceIds;

/**
 * {@code %traceId}: {@code " trace=<32 hex>"} for a line logged in a traced request or step — the MDC's {@code traceId}
 * (the access line) or the span current on the logging thread — and nothing otherwise, so untraced lines read as
 * before. With tracing off it costs one map lookup.
 */
public final class TraceIdConverter extends ClassicConverter {
  @Override
  public String convert(ILoggingEvent event) {
    String id = event.getMDCPropertyMap().get("traceId");
    if (id == null) id = TraceIds.current();
    return id == null ? "" : " trace=" + id;
  }
}
