package dev.salesagent.app.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import java.util.Iterator;
import org.slf4j.LoggerFactory;

/**
 * An access log for the warm-up: its lines take the same way as the real access log's, through logback, the same
 * pattern and a {@link BatchedConsoleAppender}, so the JIT compiles that path too, and then go nowhere.
 */
public final class DiscardedAccessLog {
  private static final String DEFAULT_PATTERN = "%d{HH:mm:ss.SSS} %-5level [%X{requestId:-}] %logger{20} - %msg%n";

  private DiscardedAccessLog() {}

  /**
   * Sends INFO lines of logger {@code name} to a discarding appender with the pattern of {@code like}'s batched
   * appender (or the default pattern). Returns what undoes it. Does nothing when logback is not the logging backend.
   */
  public static Runnable attach(String name, String like) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) return () -> {};
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(ctx);
    encoder.setPattern(patternOf(ctx.getLogger(like)));
    encoder.start();
    BatchedConsoleAppender sink = BatchedConsoleAppender.discarding();
    sink.setContext(ctx);
    sink.setName("discarded-" + name);
    sink.setEncoder(encoder);
    sink.start();
    Logger logger = ctx.getLogger(name);
    logger.setAdditive(false);
    logger.setLevel(Level.INFO);
    logger.addAppender(sink);
    return () -> {
      logger.detachAppender(sink);
      logger.setLevel(Level.OFF);
      sink.stop();
    };
  }

  private static String patternOf(Logger like) {
    for (Iterator<Appender<ILoggingEvent>> it = like.iteratorForAppenders(); it.hasNext(); ) {
      if (it.next() instanceof BatchedConsoleAppender b && b.getEncoder() instanceof PatternLayoutEncoder p) {
        return p.getPattern();
      }
    }
    return DEFAULT_PATTERN;
  }
}
