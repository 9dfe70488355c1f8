package dev.salesagent.router.wire;

import dev.salesagent.router.provider.ProviderSettings;
import io.netty.util.concurrent.FastThreadLocal;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * One provider's pooled keep-alive HTTP clients: one per event loop, built on first use from that loop, and a shared
 * one for callers off the loops (the CLI's main thread, workers).
 */
final class UpstreamClients {

  /** Connections per provider when {@code max_concurrency} is 0 (unlimited): high enough never to be the limit. */
  static final int UNBOUNDED_POOL = 8192;

  /** For callers off the event loops (the CLI's main thread, workers). */
  private final HttpClientAgent client;
  private final Supplier<HttpClientAgent> newClient;
  /**
   * One client per event loop, built on first use from that loop: a client creates its connections on the caller's
   * loop, so the upstream exchange then runs on the thread that serves the caller. A single shared client hands a
   * request any idle connection, often one bound to another loop — two thread hops (and wake-ups) per call.
   */
  private final FastThreadLocal<HttpClientAgent> loopClients = new FastThreadLocal<>() {
    @Override
    protected HttpClientAgent initialValue() {
      if (closed) return client;
      HttpClientAgent c = newClient.get();
      allClients.add(c);
      return c;
    }
  };
  private final List<HttpClientAgent> allClients = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  UpstreamClients(Vertx vertx, ProviderSettings settings) {
    HttpClientOptions o = new HttpClientOptions()
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, settings.timeouts().connectMs()))
        .setKeepAlive(true)
        .setKeepAliveTimeout(60)
        .setTcpNoDelay(true)
        .setTcpKeepAlive(true)
        // A fixed receive buffer (no autotuning to megabytes): when a slow client pauses a stream, what the upstream
        // can still push into this connection stays small (docs/OPERATIONS.md "Streams to slow clients").
        .setReceiveBufferSize(128 * 1024)
        .setName("llm-" + settings.name());
    // max_concurrency 0 means unlimited: the pool must not cap it either (a cap of 64 queued every call beyond 64 in
    // flight for a free connection — at 128 paced streams that halved throughput while the CPU was not saturated)
    PoolOptions p = new PoolOptions().setHttp1MaxSize(settings.maxConcurrency() > 0 ? settings.maxConcurrency() : UNBOUNDED_POOL);
    this.newClient = () -> vertx.httpClientBuilder().with(o).with(p).build();
    this.client = newClient.get();
    allClients.add(client);
  }

  /** The caller's event loop's client, or the shared one off the loops. */
  HttpClientAgent current() {
    return Context.isOnEventLoopThread() ? loopClients.get() : client;
  }

  void close() {
    closed = true;
    allClients.forEach(HttpClientAgent::close);
  }
}
