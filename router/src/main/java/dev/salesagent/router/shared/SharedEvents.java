package dev.salesagent.router.shared;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redis pub/sub between the replicas: a change made through one replica (a key revoked, a circuit opened) is
 * announced on a channel and every replica's listeners run within milliseconds. One subscriber connection per process
 * (its own client: a connection in subscribed mode serves nothing else); publishing goes through the shared pool.
 *
 * <p>Pub/sub delivers to whoever is connected at the time, nothing later. So when the subscriber connection is lost
 * (Redis restarted, a network cut) it is re-established every {@value #RECONNECT_MS} ms, and after each
 * re-subscription every channel's {@code resync} runs: the listener re-reads the state it would otherwise have been
 * told about (the messages of the gap are lost).
 */
public final class SharedEvents implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SharedEvents.class);
  static final long RECONNECT_MS = 500;

  private record Listener(Consumer<String> onMessage, Runnable resync) {}

  private final SharedRedis redis;
  private final Vertx vertx;
  private final Redis subscriberClient;
  private final Map<String, List<Listener>> listeners = new ConcurrentHashMap<>();
  private volatile RedisConnection connection;
  private volatile boolean closed;
  private boolean everConnected;

  public SharedEvents(SharedRedis redis) {
    this.redis = redis;
    this.vertx = redis.vertx();
    this.subscriberClient = Redis.createClient(vertx, new RedisOptions().setConnectionString(redis.url).setMaxPoolSize(1));
  }

  /**
   * Runs {@code onMessage} (on an event loop) for every message published on {@code channel} by any replica, this one
   * included, and {@code resync} after the subscription was lost and is back. A channel first named after
   * {@link #start} is subscribed to at once (its messages count from that subscription).
   */
  public void listen(String channel, Consumer<String> onMessage, Runnable resync) {
    boolean[] fresh = {false};
    listeners.computeIfAbsent(channel, c -> {
      fresh[0] = true;
      return new CopyOnWriteArrayList<>();
    }).add(new Listener(onMessage, resync));
    RedisConnection c = connection;
    if (fresh[0] && c != null) {
      c.send(Request.cmd(Command.SUBSCRIBE).arg(channel))
          .onFailure(t -> log.warn("shared events: cannot subscribe to {} ({})", channel, t.getMessage()));
    }
  }

  /** Subscribes; completes once subscribed, or at once when Redis is unreachable (it keeps trying then). */
  public Future<Void> start() {
    return connect().recover(t -> {
      log.warn("shared events: cannot subscribe at {} yet ({}); retrying every {} ms", redis.redacted(), t.getMessage(), RECONNECT_MS);
      retryLater();
      return Future.succeededFuture();
    });
  }

  /** Announces {@code message} on {@code channel} to every replica; fails when Redis did not take it. */
  public Future<Void> publish(String channel, String message) {
    return redis.command(Request.cmd(Command.PUBLISH).arg(channel).arg(message)).mapEmpty();
  }

  private Future<Void> connect() {
    if (closed) return Future.succeededFuture();
    return subscriberClient.connect().compose(conn -> {
      conn.handler(this::dispatch);
      conn.exceptionHandler(t -> lost(conn, t));
      conn.endHandler(v -> lost(conn, null));
      Request sub = Request.cmd(Command.SUBSCRIBE);
      List<String> channels = new ArrayList<>(listeners.keySet());
      for (String ch : channels) sub.arg(ch);
      return conn.send(sub).map(r -> {
        connection = conn;
        for (String ch : listeners.keySet()) {
          if (!channels.contains(ch)) conn.send(Request.cmd(Command.SUBSCRIBE).arg(ch)); // named while connecting
        }
        boolean again;
        synchronized (this) {
          again = everConnected;
          everConnected = true;
        }
        if (again) {
          log.warn("shared events: subscribed again at {}; re-reading shared state", redis.redacted());
          listeners.values().forEach(ls -> ls.forEach(l -> l.resync().run()));
        }
        return (Void) null;
      }).onFailure(t -> conn.close());
    });
  }

  private void dispatch(Response r) {
    // ["message", channel, payload] (a RESP2 array or a RESP3 push)
    if (r == null || r.size() < 3 || !"message".equals(r.get(0).toString())) return;
    List<Listener> ls = listeners.get(r.get(1).toString());
    if (ls == null) return;
    String payload = r.get(2) == null ? "" : r.get(2).toString();
    for (Listener l : ls) {
      try {
        l.onMessage().accept(payload);
      } catch (RuntimeException e) {
        log.error("shared events: a listener of {} failed", r.get(1), e);
      }
    }
  }

  private void lost(RedisConnection conn, Throwable cause) {
    synchronized (this) {
      if (connection != conn || closed) return;
      connection = null;
    }
    log.warn("shared events: subscription at {} lost ({}); changes made by other replicas arrive by the periodic "
        + "reloads until it is back", redis.redacted(), cause == null ? "connection closed" : cause.getMessage());
    retryLater();
  }

  private void retryLater() {
    if (closed) return;
    vertx.setTimer(RECONNECT_MS, id -> connect().onFailure(t -> retryLater()));
  }

  /** Whether the subscription is live now. */
  public boolean subscribed() {
    return connection != null;
  }

  @Override
  public void close() {
    closed = true;
    RedisConnection c = connection;
    connection = null;
    if (c != null) c.close();
    subscriberClient.close();
  }
}
