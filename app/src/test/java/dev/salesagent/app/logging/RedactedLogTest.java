package dev.salesagent.app.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;

class RedactedLogTest {
  @Test
  void diagnosticLinesAndStackTracesLoseUrlCredentials() {
    LoggerContext ctx = new LoggerContext();
    LoggingEvent e = new LoggingEvent("x", ctx.getLogger("t"), Level.WARN, "cannot reach {}",
        new IllegalStateException("refused: jdbc:postgresql://db/sales?user=a&password=pw-secret"),
        new Object[] {"https://svc:hunter2@10.0.0.1/v1"});
    RedactedMessage msg = new RedactedMessage();
    RedactedThrowable ex = new RedactedThrowable();
    ex.setContext(ctx);
    ex.start();
    String line = msg.convert(e) + ex.convert(e);
    assertThat(line).contains("https://***@10.0.0.1/v1").contains("password=***").contains("IllegalStateException")
        .doesNotContain("hunter2").doesNotContain("pw-secret");
  }
}
