package dev.salesagent.server.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server's connection-level protection ({@link HttpLimits}): counts open connections in total and per client
 * address, puts a {@link ConnectionGuard} and the {@link StrictRequestDecoder} into each HTTP/1.x connection's Netty
 * pipeline (Vert.x offers no hook for either: this reaches the channel through {@code ConnectionBase}, an internal
 * class of Vert.x 5 — the one place that does), and sweeps each event loop's connections a few times per shortest
 * timeout. One instance per gateway, shared by its event loops; every guard is touched only on its channel's loop.
 *
 * <p>Meters (fixed label sets): {@code sales_agent_http_connections_closed_total{reason}} with reason
 * {@code header_timeout}, {@code keepalive_idle}, {@code body_idle}, {@code body_timeout} or {@code write_stall};
 * {@code sales_agent_http_connections_refused_total{reason}} with {@code total} or {@code per_address}.
 */
public final class ConnectionGuards {
  private static final Logger log = LoggerFactory.getLogger(ConnectionGuards.class);
  private static final List<String> REASONS = List.of("header_timeout", "keepalive_idle", "body_idle", "body_timeout",
      "write_stall");

  private final HttpLimits limits;
  private final HttpServerOptions serverOptions;
  private final AtomicInteger total = new AtomicInteger();
  private final ConcurrentHashMap<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<EventLoop, Sweeper> sweepers = new ConcurrentHashMap<>();
  private final Map<String, Counter> closes = new ConcurrentHashMap<>();
  private final Counter refusedTotal;
  private final Counter refusedPerAddress;
  private volatile boolean stopped;

  public ConnectionGuards(HttpLimits limits, HttpServerOptions serverOptions, MeterRegistry registryOrNull) {
    this.limits = limits;
    this.serverOptions = serverOptions;
    if (registryOrNull != null) {
      for (String r : REASONS) {
        closes.put(r, Counter.builder("sales_agent_http_connections_closed").tag("reason", r)
            .description("Connections closed by a timeout of the HTTP server").register(registryOrNull));
      }
      refusedTotal = refused(registryOrNull, "total");
      refusedPerAddress = refused(registryOrNull, "per_address");
    } else {
      refusedTotal = null;
      refusedPerAddress = null;
    }
  }

  private static Counter refused(MeterRegistry r, String reason) {
    return Counter.builder("sales_agent_http_connections_refused").tag("reason", reason)
        .description("Connections answered 503 and closed because of a connection cap").register(r);
  }

  /** Open connections right now. */
  public int open() { return total.get(); }

  /** Vert.x's connection handler: counts the connection and guards it. Runs on the connection's event loop. */
  public void install(HttpConnection conn) {
    String address = addressOf(conn.remoteAddress());
    String over = admit(address);
    if (!(conn instanceof ConnectionBase base)) { // not a Vert.x 5 connection as we know it: caps only
      conn.closeHandler(v -> release(address));
      if (over != null) conn.close();
      return;
    }
    Channel ch = base.channel();
    ChannelPipeline p = ch.pipeline();
    if (p.get("httpDecoder") == null || p.get("handler") == null) { // HTTP/2 (h2c): caps only
      conn.closeHandler(v -> release(address));
      if (over != null) conn.close();
      return;
    }
    p.replace("httpDecoder", "httpDecoder", new StrictRequestDecoder(serverOptions));
    ConnectionGuard g = new ConnectionGuard(this, address, over, System.nanoTime());
    p.addBefore("httpDecoder", "guardReads", g.rawReads);
    p.addBefore("handler", "guard", g);
    sweeper(ch.eventLoop()).guards.add(g); // over the caps too: one that never sends a request is timed out as well
  }

  /** The reason to refuse a new connection from {@code address}, or {@code null}; counts it either way. */
  private String admit(String address) {
    int n = total.incrementAndGet();
    int a = perAddress.computeIfAbsent(address, k -> new AtomicInteger()).incrementAndGet();
    if (n > limits.maxConnections()) {
      if (refusedTotal != null) refusedTotal.increment();
      return "the gateway has " + limits.maxConnections() + " connections open, its limit";
    }
    if (a > limits.maxConnectionsPerAddress()) {
      if (refusedPerAddress != null) refusedPerAddress.increment();
      return "this client address has " + limits.maxConnectionsPerAddress() + " connections open, the limit per address";
    }
    return null;
  }

  /** A guarded connection closed. */
  void closed(ConnectionGuard g) {
    release(g.address);
    EventLoop loop = g.loop();
    Sweeper s = loop == null ? null : sweepers.get(loop);
    if (s != null) s.guards.remove(g);
  }

  private void release(String address) {
    total.decrementAndGet();
    perAddress.computeIfPresent(address, (k, c) -> c.decrementAndGet() <= 0 ? null : c);
  }

  private Sweeper sweeper(EventLoop loop) {
    return sweepers.computeIfAbsent(loop, l -> {
      Sweeper s = new Sweeper();
      long every = limits.sweepMs();
      if (!stopped) s.task = l.scheduleAtFixedRate(s, every, every, TimeUnit.MILLISECONDS);
      return s;
    });
  }

  /**
   * Closes every guarded connection now, whatever it is doing (the end of a graceful shutdown's grace: Vert.x's own
   * close waits until queued writes are flushed, which a client that does not read never allows).
   */
  public void closeAll() {
    for (Map.Entry<EventLoop, Sweeper> e : sweepers.entrySet()) {
      Sweeper s = e.getValue();
      e.getKey().execute(() -> {
        for (ConnectionGuard g : new ArrayList<>(s.guards)) g.close();
      });
    }
  }

  /** Stops the sweeps (the server is closing). */
  public void stop() {
    stopped = true;
    for (Sweeper s : sweepers.values()) if (s.task != null) s.task.cancel(false);
  }

  private static String addressOf(SocketAddress a) {
    if (a == null) return "?";
    String h = a.hostAddress();
    return h != null ? h : String.valueOf(a.path());
  }

  /** One event loop's guards, checked on that loop. */
  private final class Sweeper implements Runnable {
    final Set<ConnectionGuard> guards = new HashSet<>();
    ScheduledFuture<?> task;

    @Override
    public void run() {
      if (guards.isEmpty()) return;
      long now = System.nanoTime();
      List<ConnectionGuard> due = null;
      List<String> why = null;
      for (ConnectionGuard g : guards) {
        String reason = g.overdue(now, limits);
        if (reason != null) {
          if (due == null) {
            due = new ArrayList<>();
            why = new ArrayList<>();
          }
          due.add(g);
          why.add(reason);
        }
      }
      if (due == null) return;
      for (int i = 0; i < due.size(); i++) { // closing removes from guards: not while iterating it
        ConnectionGuard g = due.get(i);
        guards.remove(g);
        Counter c = closes.get(why.get(i));
        if (c != null) c.increment();
        log.debug("closing a connection from {}: {}", g.address, why.get(i));
        g.close();
      }
    }
  }
}
