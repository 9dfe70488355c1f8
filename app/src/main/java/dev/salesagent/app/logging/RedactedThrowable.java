package dev.salesagent.app.logging;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.salesagent.router.error.Redaction;

/** {@code %redactedEx}: the stack trace with the same redaction as {@link RedactedMessage} (exception messages too). */
public final class RedactedThrowable extends ThrowableProxyConverter {
  @Override
  public String convert(ILoggingEvent event) {
    return Redaction.text(super.convert(event));
  }
}
