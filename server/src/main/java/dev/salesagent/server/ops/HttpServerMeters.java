package dev.salesagent.server.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.observability.HttpRequest;
import io.vertx.core.spi.observability.HttpResponse;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The gateway's HTTP server meters, under the names and labels vertx-micrometer gives them
 * ({@code vertx_http_server_requests_total{code,method}}, {@code _response_time_seconds}, {@code _request_bytes},
 * {@code _response_bytes}, {@code _active_requests{method}}, {@code _active_connections}, {@code _bytes_read_total},
 * {@code _bytes_written_total}, {@code _request_resets_total}, {@code _errors_total}), so dashboards built on those
 * keep working.
 *
 * <p>Why not vertx-micrometer itself: it builds a tag list and looks each meter up in the registry on every request
 * (the active-requests gauge is registered anew each time) — about 3 % of a request's event-loop time, on the path
 * between the client's bytes and the upstream's. Here the meters of a method and a status are resolved once and kept.
 */
final class HttpServerMeters implements HttpServerMetrics<HttpServerMeters.InFlight, Void, Void> {
  private static final String P = "vertx.http.server.";

  private final MeterRegistry registry;
  private final AtomicLong connections = new AtomicLong();
  private final LongAdder bytesRead = new LongAdder();
  private final LongAdder bytesWritten = new LongAdder();
  private final Counter errors;
  private final ConcurrentHashMap<HttpMethod, PerMethod> methods = new ConcurrentHashMap<>();

  HttpServerMeters(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder(P + "active.connections", connections, AtomicLong::doubleValue)
        .description("Number of opened connections to the server").register(registry);
    FunctionCounter.builder(P + "bytes.read", bytesRead, LongAdder::doubleValue)
        .description("Number of bytes received by the server").register(registry);
    FunctionCounter.builder(P + "bytes.written", bytesWritten, LongAdder::doubleValue)
        .description("Number of bytes sent by the server").register(registry);
    errors = Counter.builder(P + "errors").description("Number of errors").register(registry);
  }

  /** One request between its first byte and its response's last (or its reset). */
  static final class InFlight {
    final PerMethod method;
    final long startNanos = System.nanoTime();
    boolean requestEnded;
    boolean responseEnded;
    boolean counted = true;

    InFlight(PerMethod method) {
      this.method = method;
    }

    /** The request stops counting as active once both its halves ended, or it was reset: once. */
    void finishIf(boolean bothEnded) {
      if (bothEnded && counted) {
        counted = false;
        method.active.decrement();
      }
    }
  }

  final class PerMethod {
    final String name;
    final LongAdder active = new LongAdder();
    final DistributionSummary requestBytes;
    final Counter resets;
    private final ConcurrentHashMap<Integer, PerStatus> statuses = new ConcurrentHashMap<>();

    PerMethod(String name) {
      this.name = name;
      Gauge.builder(P + "active.requests", active, LongAdder::doubleValue).tag("method", name)
          .description("Number of requests being processed").register(registry);
      requestBytes = DistributionSummary.builder(P + "request.bytes").tag("method", name)
          .description("Size of requests in bytes").register(registry);
      resets = Counter.builder(P + "request.resets").tag("method", name)
          .description("Number of request resets").register(registry);
    }

    PerStatus status(int code) {
      PerStatus s = statuses.get(code);
      return s != null ? s : statuses.computeIfAbsent(code, c -> new PerStatus(name, Integer.toString(c)));
    }
  }

  final class PerStatus {
    final Counter requests;
    final Timer responseTime;
    final DistributionSummary responseBytes;

    PerStatus(String method, String code) {
      requests = Counter.builder(P + "requests").tags("code", code, "method", method)
          .description("Number of processed requests").register(registry);
      responseTime = Timer.builder(P + "response.time").tags("code", code, "method", method)
          .description("Request processing time").register(registry);
      responseBytes = DistributionSummary.builder(P + "response.bytes").tags("code", code, "method", method)
          .description("Size of responses in bytes").register(registry);
    }
  }

  /**
   * The meters of a method. Clients choose the method name (any token is valid HTTP), so only the standard methods
   * get series of their own and every other name shares {@code OTHER}: the series count stays fixed whatever arrives.
   */
  private PerMethod method(HttpMethod m) {
    PerMethod pm = methods.get(m);
    if (pm != null) return pm;
    HttpMethod key = STANDARD.contains(m) ? m : OTHER;
    return methods.computeIfAbsent(key, k -> new PerMethod(k.name()));
  }

  private static final java.util.Set<HttpMethod> STANDARD = java.util.Set.of(HttpMethod.GET, HttpMethod.HEAD,
      HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.OPTIONS, HttpMethod.PATCH, HttpMethod.TRACE,
      HttpMethod.CONNECT);
  private static final HttpMethod OTHER = HttpMethod.valueOf("OTHER");

  @Override
  public InFlight requestBegin(Void socket, HttpRequest request) {
    PerMethod m = method(request.method());
    m.active.increment();
    return new InFlight(m);
  }

  // A null request metric (a pushed response, which this server never sends) is not metered.

  @Override
  public void requestEnd(InFlight r, HttpRequest request, long bytesRead) {
    if (r == null) return;
    r.method.requestBytes.record(bytesRead);
    r.requestEnded = true;
    r.finishIf(r.responseEnded);
  }

  @Override
  public void requestReset(InFlight r) {
    if (r == null) return;
    r.method.resets.increment();
    r.finishIf(true);
  }

  @Override
  public void responseEnd(InFlight r, HttpResponse response, long bytesWritten) {
    if (r == null) return;
    PerStatus s = r.method.status(response.statusCode());
    s.requests.increment();
    s.responseTime.record(System.nanoTime() - r.startNanos, TimeUnit.NANOSECONDS);
    s.responseBytes.record(bytesWritten);
    r.responseEnded = true;
    r.finishIf(r.requestEnded);
  }

  @Override
  public Void connected(SocketAddress remoteAddress, String remoteName) {
    connections.incrementAndGet();
    return null;
  }

  @Override
  public void disconnected(Void socket, SocketAddress remoteAddress) {
    connections.decrementAndGet();
  }

  @Override
  public void bytesRead(Void socket, SocketAddress remoteAddress, long numberOfBytes) {
    bytesRead.add(numberOfBytes);
  }

  @Override
  public void bytesWritten(Void socket, SocketAddress remoteAddress, long numberOfBytes) {
    bytesWritten.add(numberOfBytes);
  }

  @Override
  public void exceptionOccurred(Void socket, SocketAddress remoteAddress, Throwable t) {
    errors.increment();
  }
}
