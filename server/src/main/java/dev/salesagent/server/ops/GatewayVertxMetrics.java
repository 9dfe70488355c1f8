package dev.salesagent.server.ops;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;

/**
 * What the gateway meters inside Vert.x: its HTTP servers, one {@link HttpServerMeters} shared by every event loop's
 * server (they serve the same port). Upstream calls are metered by the router per provider and model, so the HTTP
 * client, pools and event bus have none.
 */
public final class GatewayVertxMetrics implements VertxMetrics {
  private final HttpServerMeters server;

  public GatewayVertxMetrics(MeterRegistry registry) {
    this.server = new HttpServerMeters(registry);
  }

  @Override
  public HttpServerMetrics<?, ?, ?> createHttpServerMetrics(HttpServerOptions options, SocketAddress localAddress) {
    return server;
  }

  @Override
  public boolean isMetricsEnabled() {
    return true;
  }
}
