package dev.salesagent.router.shared;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.util.concurrent.FastThreadLocal;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.impl.types.ErrorType;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's connection to the Redis that replicas share budgets and rate limits through
 * ({@code SALES_AGENT_REDIS_URL}), and whether it is usable now. Scripts run with {@code EVALSHA}, falling back to
 * {@code EVAL} when Redis answers {@code NOSCRIPT} (a restarted or flushed server has no scripts cached).
 *
 * <p><b>Down and up.</b> A call that fails without an answer from Redis (connection refused or closed, no answer
 * within the command timeout, {@value #COMMAND_TIMEOUT_MS} ms by default) marks Redis down — and so does a {@code PING}
 * sent when an event loop's connection closes, so an outage is seen even while no command is due: one warning is logged, {@code sales_agent_redis_up} drops to 0,
 * the stores fall back to their local counters (each counts {@code sales_agent_redis_fallbacks}) and a {@code PING}
 * every {@link #PROBE_MS} ms looks for it to come back; then the listeners given to {@link #onUp} run. An error
 * <em>answer</em> (a script error) is a bug, not an outage: it fails that call only.
 *
 * <p><b>Connections.</b> A command sent from one of this Vert.x's event loops goes over that loop's own connection
 * ({@link LoopLink}), pipelined: no pool acquire and release per command, and the exchange stays on the caller's
 * thread. Sending every command through the pooled client cost about 120 µs of gateway CPU per request (two
 * scripts): each handed the command to whichever idle connection it found, often one bound to another loop, so two
 * thread hops and wake-ups per command. Callers off the loops (the CLI, workers) use the pooled client.
 *
 * <p>The URL's password is never logged: {@link #redacted} is what messages show.
 */
public final class SharedRedis implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SharedRedis.class);
  /** How long a call may go unanswered before Redis counts as down (a healthy Redis answers in well under 1 ms). */
  public static final long COMMAND_TIMEOUT_MS = 2_000;
  static final long PROBE_MS = 500;

  /** What a replica does with budgets and rate limits while Redis is unreachable. */
  public enum Policy {
    /** Keep serving on this replica's own counters (limits then hold per replica, not across them). */
    FAIL_OPEN,
    /** Refuse what needs a budget or a rate-limit decision until Redis is back. */
    FAIL_CLOSED;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Policy parse(String s) {
      return switch (s) {
        case "fail_open" -> FAIL_OPEN;
        case "fail_closed" -> FAIL_CLOSED;
        default -> throw new IllegalArgumentException("'" + s + "' is not a policy: write fail_open or fail_closed");
      };
    }
  }

  private final Vertx vertx;
  /** For callers off this Vert.x's event loops, and {@code PING} probes from them. */
  private final Redis client;
  /**
   * Hands out the event loops' own connections; a separate pool, so that connections held by loops never leave the
   * off-loop callers without one, and never get lent to another loop while a loop holds them.
   */
  private final Redis loopClient;
  private final FastThreadLocal<LoopLink> loopLinks = new FastThreadLocal<>() {
    @Override
    protected LoopLink initialValue() {
      return new LoopLink();
    }
  };
  private final String redacted;
  /** For the subscriber connection of {@link SharedEvents} (a connection in subscribed mode serves nothing else). */
  final String url;
  private final Policy policy;
  private final Counter budgetFallbacks;
  private final Counter rateFallbacks;
  private final Counter tokenFallbacks;
  private final List<Runnable> upListeners = new CopyOnWriteArrayList<>();
  private volatile boolean up = true;
  private volatile boolean closed;
  /** Event-loop connections lost and outages begun: whoever relies on what Redis said over them asks again. */
  private final AtomicLong disconnects = new AtomicLong();
  private final long commandTimeoutMs;
  private long probeTimer = -1;

  public SharedRedis(Vertx vertx, String url, Policy policy, MeterRegistry registry) {
    this(vertx, url, policy, registry, COMMAND_TIMEOUT_MS);
  }

  public SharedRedis(Vertx vertx, String url, Policy policy, MeterRegistry registry, long commandTimeoutMs) {
    this.vertx = vertx;
    this.commandTimeoutMs = commandTimeoutMs;
    this.redacted = redact(url);
    this.url = url;
    this.policy = policy;
    this.client = Redis.createClient(vertx, new RedisOptions().setConnectionString(url)
        .setMaxPoolSize(Math.max(4, 2 * Runtime.getRuntime().availableProcessors())).setMaxPoolWaiting(4096)
        .setMaxWaitingHandlers(4096));
    // one connection per event loop (2 x cores by default, more if configured); connections are made on demand only
    this.loopClient = Redis.createClient(vertx, new RedisOptions().setConnectionString(url)
        .setMaxPoolSize(Math.max(64, 8 * Runtime.getRuntime().availableProcessors())).setMaxPoolWaiting(4096)
        .setMaxWaitingHandlers(4096));
    if (registry != null) {
      Gauge.builder("sales_agent_redis_up", this, r -> r.up ? 1 : 0)
          .description("1 while the shared Redis answers, 0 while budgets and rate limits run on local counters")
          .register(registry);
      budgetFallbacks = Counter.builder("sales_agent_redis_fallbacks").tag("state", "budgets")
          .description("decisions taken on local counters because the shared Redis was unreachable").register(registry);
      rateFallbacks = Counter.builder("sales_agent_redis_fallbacks").tag("state", "rate_limits")
          .description("decisions taken on local counters because the shared Redis was unreachable").register(registry);
      tokenFallbacks = Counter.builder("sales_agent_redis_fallbacks").tag("state", "token_limits")
          .description("decisions taken on local counters because the shared Redis was unreachable").register(registry);
    } else {
      tokenFallbacks = null;
      budgetFallbacks = null;
      rateFallbacks = null;
    }
  }

  public Policy policy() {
    return policy;
  }

  /** Whether calls go to Redis now (false while it is down and being probed). */
  public boolean up() {
    return up;
  }

  /** The URL without its password, for messages. */
  public String redacted() {
    return redacted;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** Whether {@link #close} ran (periodic work of the stores on it stops then). */
  public boolean closed() {
    return closed;
  }

  /**
   * How many event-loop connections were lost and outages began so far: a Redis restarted (perhaps empty) closes
   * every connection, so state learnt from Redis before a change of this count is to be confirmed again.
   */
  public long disconnects() {
    return disconnects.get();
  }

  /** Runs after Redis answers again following an outage (on an event loop). */
  public void onUp(Runnable r) {
    upListeners.add(r);
  }

  public void countBudgetFallback() {
    if (budgetFallbacks != null) budgetFallbacks.increment();
  }

  public void countRateFallback() {
    if (rateFallbacks != null) rateFallbacks.increment();
  }

  public void countTokenFallback() {
    if (tokenFallbacks != null) tokenFallbacks.increment();
  }

  /**
   * Runs {@code script} over {@code keys} and {@code args}; a failure without an answer marks Redis down. The
   * future fails then, and the caller falls back.
   */
  public Future<Response> eval(LuaScript script, List<String> keys, List<String> args) {
    return send(request(Command.EVALSHA, script.sha1(), keys, args)).recover(t -> {
      if (t instanceof ErrorType e && e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT")) {
        return send(request(Command.EVAL, script.source(), keys, args));
      }
      return Future.failedFuture(t);
    }).onFailure(t -> {
      if (!answered(t)) markDown(t);
      else log.error("shared state: Redis refused script {}: {}", script.name(), t.getMessage());
    });
  }

  /** One command (not a script); a failure without an answer marks Redis down. */
  public Future<Response> command(Request r) {
    return send(r).onFailure(t -> {
      if (!answered(t)) markDown(t);
    });
  }

  /**
   * Whether {@code t} is an answer from Redis (an error reply: a bug, not an outage). The client also fails the
   * commands pending on a connection that closed with an {@link ErrorType}, {@code CONNECTION_CLOSED}: that one is an
   * outage (seen when Redis is killed while commands are in flight).
   */
  public static boolean answered(Throwable t) {
    return t instanceof ErrorType e && !(e.getMessage() != null && e.getMessage().startsWith("CONNECTION_CLOSED"));
  }

  private static Request request(Command cmd, String scriptOrSha, List<String> keys, List<String> args) {
    Request r = Request.cmd(cmd).arg(scriptOrSha).arg(keys.size());
    for (int i = 0; i < keys.size(); i++) r.arg(keys.get(i));
    for (int i = 0; i < args.size(); i++) r.arg(args.get(i));
    return r;
  }

  private Future<Response> send(Request r) {
    Context ctx = Vertx.currentContext();
    Future<Response> f;
    if (ctx != null && ctx.isEventLoopContext() && ctx.owner() == vertx && !closed) {
      f = loopLinks.get().send(r);
    } else {
      f = client.send(r);
    }
    return f.timeout(commandTimeoutMs, TimeUnit.MILLISECONDS);
  }

  /**
   * One event loop's connection, used only from that loop's thread (so no locking). Made on first use from the loop
   * (the client binds a connection to the context that asks for it); commands that arrive while it is being made wait
   * for it. A connection that ends or fails is dropped and the next command makes a new one; a failed connect fails
   * the commands that waited for it (no answer from Redis: an outage, as with the pool).
   */
  private final class LoopLink {
    private RedisConnection conn;
    private Future<RedisConnection> connecting;

    Future<Response> send(Request r) {
      RedisConnection c = conn;
      if (c != null) return c.send(r);
      if (connecting == null) {
        Future<RedisConnection> f = loopClient.connect();
        connecting = f;
        f.onComplete(ar -> {
          if (connecting == f) connecting = null;
          if (ar.failed()) return;
          RedisConnection made = ar.result();
          if (closed) {
            made.close();
            return;
          }
          made.exceptionHandler(t -> drop(made)).endHandler(v -> drop(made));
          conn = made;
        });
      }
      return connecting.compose(made -> made.send(r));
    }

    private void drop(RedisConnection c) {
      if (conn != c) return; // already dropped (an exception and the end both report it): give it back once only
      conn = null;
      disconnects.incrementAndGet();
      // gives it back to its pool, which discards a connection that is no longer valid
      c.close();
      // A replica that serves from its budget leases may send nothing to Redis for seconds: ask now, so that a Redis
      // that went away is reported (readyz, the metric, the fallbacks) at once rather than at the next command.
      if (!closed) command(Request.cmd(Command.PING));
    }
  }

  /** Switches to local counters (once per outage) and starts probing. */
  public void markDown(Throwable cause) {
    synchronized (this) {
      if (!up || closed) return;
      up = false;
      disconnects.incrementAndGet();
      log.warn("shared state: Redis at {} unreachable ({}); budgets and rate limits use this replica's local counters"
          + " (policy {}) until it answers again", redacted, String.valueOf(cause.getMessage()), policy.wire());
      probeTimer = vertx.setPeriodic(PROBE_MS, id -> probe());
    }
  }

  private void probe() {
    send(Request.cmd(Command.PING)).onSuccess(pong -> {
      synchronized (this) {
        if (up) return;
        vertx.cancelTimer(probeTimer);
        up = true;
      }
      log.warn("shared state: Redis at {} answers again; budgets and rate limits are shared again", redacted);
      upListeners.forEach(Runnable::run);
    });
  }

  /** A URL's password replaced by {@code ***}; a URL that does not parse is not shown at all. */
  public static String redact(String url) {
    try {
      URI u = URI.create(url);
      String info = u.getRawUserInfo();
      if (info == null) return url;
      int colon = info.indexOf(':');
      String user = colon < 0 ? "" : info.substring(0, colon);
      return u.getScheme() + "://" + (user.isEmpty() ? "" : user) + ":***@" + u.getRawAuthority()
          .substring(info.length() + 1) + (u.getRawPath() == null ? "" : u.getRawPath());
    } catch (RuntimeException e) {
      return "(a Redis URL that does not parse)";
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (probeTimer >= 0) vertx.cancelTimer(probeTimer);
    client.close();
    loopClient.close();
  }
}
