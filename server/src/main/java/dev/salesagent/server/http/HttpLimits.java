package dev.salesagent.server.http;

/**
 * Connection-level limits and timeouts of the HTTP server (docs/OPERATIONS.md "Limits and timeouts" says what happens
 * at each). Times in milliseconds; {@code 0} switches a timeout off.
 *
 * @param headerTimeoutMs       a request's headers must be complete this long after the connection opened, or after
 *                              the first byte of a request on a kept-alive connection (slowloris)
 * @param keepAliveTimeoutMs    a connection with no request in progress is closed after this long
 * @param bodyIdleTimeoutMs     a request body that sends nothing for this long is cut
 * @param bodyTimeoutMs         a request body must be complete this long after its headers (a trickle that never ends)
 * @param writeStallTimeoutMs   a client that reads nothing while the gateway has bytes for it (its socket is full) is
 *                              cut after this long, and its routed call cancelled
 * @param maxConnections        open connections in total; beyond, a request is answered 503 and its connection closed
 * @param maxConnectionsPerAddress open connections from one client address; beyond, likewise 503
 * @param maxRequestLineBytes   the request line (method, target, version); beyond, 414
 * @param maxHeaderBytes        all request headers together; beyond, 431
 * @param sendBufferBytes       the kernel send buffer per connection ({@code SO_SNDBUF}); bounds what a client that
 *                              does not read can hold of a stream before backpressure reaches the upstream; 0 = the
 *                              OS's (autotuned up to {@code net.ipv4.tcp_wmem}, 4 MiB on Linux)
 * @param maxBufferedBodyBytes  request-body bytes buffered at once in the JVM, all requests together; beyond, 503
 * @param h2c                   accept HTTP/2 over cleartext (prior knowledge or {@code Upgrade: h2c}); the timeouts
 *                              above apply to HTTP/1.x connections, HTTP/2 ones get the connection caps and
 *                              {@code keepAliveTimeoutMs} as an idle timeout
 */
public record HttpLimits(
    long headerTimeoutMs,
    long keepAliveTimeoutMs,
    long bodyIdleTimeoutMs,
    long bodyTimeoutMs,
    long writeStallTimeoutMs,
    int maxConnections,
    int maxConnectionsPerAddress,
    int maxRequestLineBytes,
    int maxHeaderBytes,
    int sendBufferBytes,
    long maxBufferedBodyBytes,
    boolean h2c) {

  public HttpLimits {
    if (headerTimeoutMs < 0 || keepAliveTimeoutMs < 0 || bodyIdleTimeoutMs < 0 || bodyTimeoutMs < 0
        || writeStallTimeoutMs < 0) {
      throw new IllegalArgumentException("timeouts must be 0 (off) or more");
    }
    if (maxConnections < 1 || maxConnectionsPerAddress < 1) throw new IllegalArgumentException("connection caps must be at least 1");
    if (maxRequestLineBytes < 256 || maxHeaderBytes < 1024) {
      throw new IllegalArgumentException("the request line needs at least 256 bytes and the headers at least 1024");
    }
    if (sendBufferBytes < 0 || maxBufferedBodyBytes < 1) throw new IllegalArgumentException("buffer sizes must be positive");
  }

  /** The defaults: safe for an internet-facing gateway, generous for well-behaved clients (see OPERATIONS.md). */
  public static HttpLimits defaults() {
    return new HttpLimits(10_000, 60_000, 10_000, 60_000, 30_000, 10_000, 1_000, 4096, 8192, 128 * 1024,
        Math.max(64L << 20, Runtime.getRuntime().maxMemory() / 4), false);
  }

  public HttpLimits withTimeouts(long header, long keepAlive, long bodyIdle, long body, long writeStall) {
    return new HttpLimits(header, keepAlive, bodyIdle, body, writeStall, maxConnections, maxConnectionsPerAddress,
        maxRequestLineBytes, maxHeaderBytes, sendBufferBytes, maxBufferedBodyBytes, h2c);
  }

  public HttpLimits withConnectionCaps(int total, int perAddress) {
    return new HttpLimits(headerTimeoutMs, keepAliveTimeoutMs, bodyIdleTimeoutMs, bodyTimeoutMs, writeStallTimeoutMs,
        total, perAddress, maxRequestLineBytes, maxHeaderBytes, sendBufferBytes, maxBufferedBodyBytes, h2c);
  }

  public HttpLimits withSizes(int requestLine, int headers, int sendBuffer, long bufferedBodies) {
    return new HttpLimits(headerTimeoutMs, keepAliveTimeoutMs, bodyIdleTimeoutMs, bodyTimeoutMs, writeStallTimeoutMs,
        maxConnections, maxConnectionsPerAddress, requestLine, headers, sendBuffer, bufferedBodies, h2c);
  }

  public HttpLimits withH2c(boolean on) {
    return new HttpLimits(headerTimeoutMs, keepAliveTimeoutMs, bodyIdleTimeoutMs, bodyTimeoutMs, writeStallTimeoutMs,
        maxConnections, maxConnectionsPerAddress, maxRequestLineBytes, maxHeaderBytes, sendBufferBytes,
        maxBufferedBodyBytes, on);
  }

  /** How often connections are checked against the timeouts: a quarter of the shortest, between 50 ms and 1 s. */
  long sweepMs() {
    long shortest = Long.MAX_VALUE;
    for (long t : new long[] {headerTimeoutMs, keepAliveTimeoutMs, bodyIdleTimeoutMs, bodyTimeoutMs, writeStallTimeoutMs}) {
      if (t > 0) shortest = Math.min(shortest, t);
    }
    return shortest == Long.MAX_VALUE ? 1_000 : Math.max(50, Math.min(1_000, shortest / 4));
  }
}
