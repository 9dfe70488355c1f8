package dev.salesagent.server;

import dev.salesagent.router.RouterRuntime;
import dev.salesagent.server.auth.KeyRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running gateway over parts built elsewhere (the app's assembly, or a test): it starts the key registry, the
 * router's health checks and the HTTP server, and owns the order of a graceful stop — {@link #shutdown} stops
 * accepting, lets in-flight requests and streams finish (bounded), closes the key registry and the router, then
 * closes {@code resources} in the order given (budget counters, then the usage ledger — both flush — then the
 * database), off the event loop.
 */
public final class Gateway {
  private static final Logger log = LoggerFactory.getLogger(Gateway.class);

  private final Vertx vertx;
  private final GatewayServices services;
  private final RouterRuntime runtime;
  private final List<AutoCloseable> resources;
  private final GatewayServer server;
  private volatile Future<Void> stopping;

  private Gateway(Vertx vertx, GatewayServices services, RouterRuntime runtime, List<AutoCloseable> resources,
                  GatewayServer server) {
    this.vertx = vertx;
    this.services = services;
    this.runtime = runtime;
    this.resources = resources;
    this.server = server;
  }

  /**
   * Starts serving. {@code services.keys()} must be the registry the budget counters ask for per-key limits;
   * {@code extraEndpointsOrNull} serves further paths (the sales API) and returns true when it took the request.
   * On failure to listen, nothing is closed: the caller still owns every part.
   */
  public static Future<Gateway> start(Vertx vertx, GatewayServices services, RouterRuntime runtime,
                                      Predicate<HttpServerRequest> extraEndpointsOrNull, List<AutoCloseable> resources) {
    KeyRegistry keys = services.keys();
    return keys.start()
        .compose(v -> runtime.startHealthChecks().otherwiseEmpty())
        .compose(v -> GatewayServer.start(vertx, services, extraEndpointsOrNull))
        .map(server -> new Gateway(vertx, services, runtime, List.copyOf(resources), server));
  }

  public int port() { return server.port(); }

  public RouterRuntime runtime() { return runtime; }

  public GatewayServices services() { return services; }

  public GatewayOptions options() { return services.options(); }

  /** Graceful stop (idempotent): see the class comment. */
  public synchronized Future<Void> shutdown(Duration grace) {
    if (stopping != null) return stopping;
    log.info("gateway stopping: finishing in-flight requests (up to {} ms)", grace.toMillis());
    stopping = server.shutdown(grace).otherwiseEmpty().compose(v -> vertx.executeBlocking(() -> {
      services.keys().close();
      try {
        runtime.close();
      } catch (RuntimeException e) {
        log.warn("router close failed", e);
      }
      for (AutoCloseable r : resources) {
        try {
          r.close();
        } catch (Exception e) {
          log.warn("closing {} failed", r.getClass().getSimpleName(), e);
        }
      }
      log.info("gateway stopped: ledger flushed");
      return (Void) null;
    }, false));
    return stopping;
  }
}
