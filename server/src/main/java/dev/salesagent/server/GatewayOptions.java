package dev.salesagent.server;

import dev.salesagent.server.http.HttpLimits;
import java.time.Duration;

/**
 * How the gateway listens and what it accepts.
 *
 * @param bodyLimitBytes    request bodies above this are refused with 413 (default 8 MiB)
 * @param maxMessages       messages per request (default 2,000)
 * @param maxMessageChars   characters in one message (default 1,000,000)
 * @param maxTotalChars     characters over all messages and the system prompt (default 4,000,000)
 * @param maxOutputTokens   the largest max_tokens accepted (default 1,000,000)
 * @param eventLoops        HTTP server instances (one per event loop; default = available processors)
 * @param accessLogger      the logger that gets one structured line per request ({@link #ACCESS_LOGGER} by default);
 *                          {@code null}: no access log
 * @param shutdownGrace     how long a graceful shutdown waits for in-flight requests and streams
 * @param ledgerFlushMs     the usage ledger writes at least this often (default 100 ms)
 * @param ledgerBatchRows   and at most this many rows per insert batch (default 500)
 * @param http              connection-level limits and timeouts ({@link HttpLimits#defaults()})
 */
public record GatewayOptions(
    String host,
    int port,
    int bodyLimitBytes,
    int maxMessages,
    int maxMessageChars,
    int maxTotalChars,
    int maxOutputTokens,
    int eventLoops,
    String accessLogger,
    Duration shutdownGrace,
    long ledgerFlushMs,
    int ledgerBatchRows,
    HttpLimits http) {

  public static final String ACCESS_LOGGER = "dev.salesagent.server.access";

  public static GatewayOptions defaults() {
    return new GatewayOptions("127.0.0.1", 8080, 8 << 20, 2_000, 1_000_000, 4_000_000, 1_000_000,
        Runtime.getRuntime().availableProcessors(), ACCESS_LOGGER, Duration.ofSeconds(30), 100, 500,
        HttpLimits.defaults());
  }

  public GatewayOptions withPort(int p) {
    return new GatewayOptions(host, p, bodyLimitBytes, maxMessages, maxMessageChars, maxTotalChars, maxOutputTokens,
        eventLoops, accessLogger, shutdownGrace, ledgerFlushMs, ledgerBatchRows, http);
  }

  public GatewayOptions withHost(String h) {
    return new GatewayOptions(h, port, bodyLimitBytes, maxMessages, maxMessageChars, maxTotalChars, maxOutputTokens,
        eventLoops, accessLogger, shutdownGrace, ledgerFlushMs, ledgerBatchRows, http);
  }

  public GatewayOptions withLimits(int bodyLimit, int messages, int messageChars, int totalChars) {
    return new GatewayOptions(host, port, bodyLimit, messages, messageChars, totalChars, maxOutputTokens, eventLoops,
        accessLogger, shutdownGrace, ledgerFlushMs, ledgerBatchRows, http);
  }

  public GatewayOptions withAccessLog(boolean on) {
    return withAccessLogger(on ? ACCESS_LOGGER : null);
  }

  public GatewayOptions withAccessLogger(String name) {
    return new GatewayOptions(host, port, bodyLimitBytes, maxMessages, maxMessageChars, maxTotalChars, maxOutputTokens,
        eventLoops, name, shutdownGrace, ledgerFlushMs, ledgerBatchRows, http);
  }

  public GatewayOptions withEventLoops(int n) {
    return new GatewayOptions(host, port, bodyLimitBytes, maxMessages, maxMessageChars, maxTotalChars, maxOutputTokens,
        n, accessLogger, shutdownGrace, ledgerFlushMs, ledgerBatchRows, http);
  }

  public GatewayOptions withShutdownGrace(Duration d) {
    return new GatewayOptions(host, port, bodyLimitBytes, maxMessages, maxMessageChars, maxTotalChars, maxOutputTokens,
        eventLoops, accessLogger, d, ledgerFlushMs, ledgerBatchRows, http);
  }

  public GatewayOptions withLedger(long flushMs, int batchRows) {
    return new GatewayOptions(host, port, bodyLimitBytes, maxMessages, maxMessageChars, maxTotalChars, maxOutputTokens,
        eventLoops, accessLogger, shutdownGrace, flushMs, batchRows, http);
  }

  public GatewayOptions withHttp(HttpLimits limits) {
    return new GatewayOptions(host, port, bodyLimitBytes, maxMessages, maxMessageChars, maxTotalChars, maxOutputTokens,
        eventLoops, accessLogger, shutdownGrace, ledgerFlushMs, ledgerBatchRows, limits);
  }
}
