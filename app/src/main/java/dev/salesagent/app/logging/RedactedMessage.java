package dev.salesagent.app.logging;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.salesagent.router.error.Redaction;

/**
 * {@code %redactedMsg}: the log message with API-key shaped tokens and URL credentials removed ({@link Redaction}), for
 * the diagnostic log (stderr) where a library's message may quote a URL with a password in it. Not used by the access
 * log, whose lines the gateway builds from fields that hold no secret.
 */
public final class RedactedMessage extends MessageConverter {
  @Override
  public String convert(ILoggingEvent event) {
    return Redaction.text(super.convert(event));
  }
}
