package dev.salesagent.server.http;

import org.slf4j.Logger;
import org.slf4j.MDC;

/**
 * Logging with the request id in the MDC ({@code request_id}). The MDC is thread-bound and an event loop serves many
 * requests at once, so the id is set and cleared around each call instead of for the request's lifetime.
 */
public final class Log {
  public static final String MDC_KEY = "requestId";
  /** The trace id of a traced request's log lines (see docs/OPERATIONS.md "Tracing"). */
  public static final String TRACE_MDC_KEY = "traceId";

  private Log() {}

  public static void info(Logger log, String requestId, String fmt, Object... args) {
    if (!log.isInfoEnabled()) return;
    MDC.put(MDC_KEY, requestId);
    try {
      log.info(fmt, args);
    } finally {
      MDC.remove(MDC_KEY);
    }
  }

  public static void warn(Logger log, String requestId, String fmt, Object... args) {
    if (!log.isWarnEnabled()) return;
    MDC.put(MDC_KEY, requestId);
    try {
      log.warn(fmt, args);
    } finally {
      MDC.remove(MDC_KEY);
    }
  }

  public static void error(Logger log, String requestId, String fmt, Object... args) {
    MDC.put(MDC_KEY, requestId);
    try {
      log.error(fmt, args);
    } finally {
      MDC.remove(MDC_KEY);
    }
  }
}
