package dev.salesagent.app;

import dev.salesagent.app.tracing.AppTracing;
import dev.salesagent.app.gateway.GatewayAssembly;
import dev.salesagent.router.config.ConfigException;
import dev.salesagent.router.config.ConfigLoader;
import dev.salesagent.router.config.RouterConfig;
import dev.salesagent.server.GatewayOptions;
import dev.salesagent.server.GatewayServer;
import dev.salesagent.server.http.HttpLimits;
import dev.salesagent.store.Database;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sales-agent serve}: the OpenAI- and Anthropic-compatible gateway. Runs until SIGTERM/SIGINT, then stops
 * gracefully: no new connections, in-flight requests and streams finish (up to {@code --shutdown-grace-ms}), the
 * usage ledger is flushed, the database closed.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Run the HTTP gateway (OpenAI /v1/chat/completions, Anthropic /v1/messages, admin, usage, metrics).")
final class ServeCommand implements Callable<Integer> {
  @Option(names = "--config", description = "YAML configuration (default: $SALES_AGENT_CONFIG, else built-in defaults)")
  Path config;

  @Option(names = "--port", description = "port to listen on (default ${DEFAULT-VALUE}; 0 = any free port)", defaultValue = "8080")
  int port;

  @Option(names = "--host", description = "address to bind (default ${DEFAULT-VALUE}: loopback only)", defaultValue = "127.0.0.1")
  String host;

  @Option(names = "--db-url", description = "JDBC URL (default: $SALES_AGENT_DB_URL, else the embedded H2 file ./data/sales-agent)")
  String dbUrl;

  @Option(names = "--event-loops", description = "HTTP event loops (default: number of CPUs)")
  Integer eventLoops;

  @Option(names = "--body-limit-bytes", description = "largest request body accepted (default ${DEFAULT-VALUE})", defaultValue = "8388608")
  int bodyLimit;

  @Option(names = "--shutdown-grace-ms", description = "how long a graceful stop waits for in-flight streams (default ${DEFAULT-VALUE})", defaultValue = "30000")
  long graceMs;

  @Option(names = "--ledger-flush-ms", description = "usage ledger write interval (default ${DEFAULT-VALUE}); a crash loses at most this much", defaultValue = "100")
  long ledgerFlushMs;

  @Option(names = "--ledger-batch-rows", description = "usage ledger rows per insert batch (default ${DEFAULT-VALUE})", defaultValue = "500")
  int ledgerBatchRows;

  @Option(names = "--no-access-log", description = "do not write the per-request access log line")
  boolean noAccessLog;

  // Connection-level limits (docs/OPERATIONS.md "Limits and timeouts"); 0 switches a timeout off.
  @Option(names = "--header-timeout-ms", defaultValue = "10000", description = "request headers must be complete this long after the connection (or a request's first byte) (default ${DEFAULT-VALUE})")
  long headerTimeoutMs;

  @Option(names = "--keepalive-timeout-ms", defaultValue = "60000", description = "close a connection idle between requests for this long (default ${DEFAULT-VALUE})")
  long keepAliveTimeoutMs;

  @Option(names = "--body-idle-timeout-ms", defaultValue = "10000", description = "cut a request body silent for this long (default ${DEFAULT-VALUE})")
  long bodyIdleTimeoutMs;

  @Option(names = "--body-timeout-ms", defaultValue = "60000", description = "a request body must be complete this long after its headers (default ${DEFAULT-VALUE})")
  long bodyTimeoutMs;

  @Option(names = "--write-stall-timeout-ms", defaultValue = "30000", description = "cut a client that reads nothing for this long while data waits for it, and cancel its call (default ${DEFAULT-VALUE})")
  long writeStallTimeoutMs;

  @Option(names = "--max-connections", defaultValue = "10000", description = "open connections in total; beyond, 503 and close (default ${DEFAULT-VALUE})")
  int maxConnections;

  @Option(names = "--max-connections-per-address", defaultValue = "1000", description = "open connections per client address; beyond, 503 and close (default ${DEFAULT-VALUE})")
  int maxConnectionsPerAddress;

  @Option(names = "--max-request-line-bytes", defaultValue = "4096", description = "longest request line; beyond, 414 (default ${DEFAULT-VALUE})")
  int maxRequestLineBytes;

  @Option(names = "--max-header-bytes", defaultValue = "8192", description = "all request headers together; beyond, 431 (default ${DEFAULT-VALUE})")
  int maxHeaderBytes;

  @Option(names = "--send-buffer-bytes", defaultValue = "131072", description = "kernel send buffer per client connection, bounding what a slow client holds (default ${DEFAULT-VALUE}; 0 = the OS's)")
  int sendBufferBytes;

  @Option(names = "--max-buffered-body-bytes", description = "request-body bytes buffered at once, all requests together; beyond, 503 (default: a quarter of the max heap, at least 64 MiB)")
  Long maxBufferedBodyBytes;

  @Option(names = "--h2c", description = "also accept HTTP/2 over cleartext (prior knowledge or Upgrade: h2c); off by default")
  boolean h2c;

  @Option(names = "--warmup-seconds", defaultValue = "${env:SALES_AGENT_WARMUP_SECONDS:-auto}",
      description = "before listening, drive a private gateway against the built-in emulators so the JIT has compiled "
          + "the request path: auto (until the JIT settles, 6-40 s), N seconds, or 0 / off "
          + "(default ${DEFAULT-VALUE}; env SALES_AGENT_WARMUP_SECONDS)")
  String warmupSeconds;

  @Override
  public Integer call() throws Exception {
    RouterConfig cfg;
    try {
      Path file = config;
      if (file == null && System.getenv("SALES_AGENT_CONFIG") != null && !System.getenv("SALES_AGENT_CONFIG").isBlank()) {
        file = Path.of(System.getenv("SALES_AGENT_CONFIG"));
      }
      RouterBoot.warnRetired(file);
      cfg = ConfigLoader.load(file, System.getenv());
    } catch (ConfigException e) {
      System.err.println("serve: " + e.getMessage());
      return Main.EXIT_USAGE;
    }
    WarmupPlan warmup;
    try {
      warmup = WarmupPlan.parse(warmupSeconds);
    } catch (IllegalArgumentException e) {
      System.err.println("serve: " + e.getMessage());
      return Main.EXIT_USAGE;
    }
    int loops = eventLoops == null ? Runtime.getRuntime().availableProcessors() : eventLoops;
    String directives = CompilerDirectives.apply();
    if (directives != null) System.err.println("serve: " + directives + " (only memory peaks are at stake)");
    if (!warmup.off()) {
      // The port opens only after the warm-up: find out now, not N seconds later, that it is taken.
      String busy = portProblem(host, port);
      if (busy != null) {
        System.err.println("serve: could not start: " + busy);
        return Main.EXIT_USAGE;
      }
      warmUp(warmup, loops, cfg);
    }
    if (!noAccessLog && !"off".equalsIgnoreCase(System.getenv("SALES_AGENT_ACCESS_LOG"))) {
      enableInfo("dev.salesagent.server.access");
    }
    enableInfo("dev.salesagent.server.Gateway");
    enableInfo("dev.salesagent.server.GatewayServer");
    GatewayOptions opts = GatewayOptions.defaults().withHost(host).withPort(port).withEventLoops(loops)
        .withAccessLog(!noAccessLog).withShutdownGrace(Duration.ofMillis(graceMs)).withLedger(ledgerFlushMs, ledgerBatchRows);
    opts = opts.withLimits(bodyLimit, opts.maxMessages(), opts.maxMessageChars(), opts.maxTotalChars());
    try {
      HttpLimits d = HttpLimits.defaults();
      opts = opts.withHttp(d.withTimeouts(headerTimeoutMs, keepAliveTimeoutMs, bodyIdleTimeoutMs, bodyTimeoutMs,
              writeStallTimeoutMs)
          .withConnectionCaps(maxConnections, maxConnectionsPerAddress)
          .withSizes(maxRequestLineBytes, maxHeaderBytes, sendBufferBytes,
              maxBufferedBodyBytes == null ? d.maxBufferedBodyBytes() : maxBufferedBodyBytes)
          .withH2c(h2c));
    } catch (IllegalArgumentException e) {
      System.err.println("serve: " + e.getMessage());
      return Main.EXIT_USAGE;
    }
    String url = dbUrl != null ? dbUrl : Database.urlFromEnvironment();
    Database db;
    try {
      db = Database.open(url);
    } catch (RuntimeException e) {
      System.err.println("serve: cannot open the database: " + dev.salesagent.router.error.Redaction.text(e.getMessage()));
      return Main.EXIT_USAGE;
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Vertx vertx = GatewayServer.newVertx(registry, loops);
    String adminKey = System.getenv("SALES_AGENT_ADMIN_KEY");
    GatewayAssembly gw;
    try {
      gw = GatewayAssembly.start(vertx, cfg, db, adminKey, opts, registry, System.getenv("SALES_AGENT_REDIS_URL"),
              AppTracing.fromEnvironment())
          .toCompletionStage().toCompletableFuture()
          .get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      Throwable c = e.getCause() == null ? e : e.getCause();
      System.err.println("serve: could not start: " + dev.salesagent.router.error.Redaction.text(c.getMessage()));
      db.close();
      vertx.close();
      return Main.EXIT_USAGE;
    }
    System.err.println("sales-agent gateway listening on http://" + host + ":" + gw.port()
        + (adminKey == null || adminKey.isBlank() ? " (no SALES_AGENT_ADMIN_KEY: create keys with 'sales-agent keys create')" : ""));
    CountDownLatch stopped = new CountDownLatch(1);
    Duration grace = opts.shutdownGrace();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        gw.shutdown(grace).toCompletionStage().toCompletableFuture().get(grace.toMillis() + 15_000, TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        System.err.println("serve: shutdown incomplete: " + e.getMessage());
      } finally {
        vertx.close();
        stopLogging();
        stopped.countDown();
      }
    }, "gateway-shutdown"));
    stopped.await();
    return Main.EXIT_OK;
  }

  /** Runs before the gateway's INFO loggers are switched on, so the private warm-up gateway stays quiet. */
  private void warmUp(WarmupPlan plan, int loops, RouterConfig cfg) {
    System.err.println("serve: warming up " + plan.describe() + " against the built-in emulators"
        + " (--warmup-seconds 0 skips it)");
    long t0 = System.nanoTime();
    GatewayWarmup w = new GatewayWarmup(plan, loops, cfg);
    try {
      long ok = w.run();
      System.err.printf("serve: warm-up done in %.1f s: %d requests, %d answered, %d keys (%s)%n",
          (System.nanoTime() - t0) / 1e9, w.attempts(), ok, w.keysUsed(), w.endReason());
      if (w.firstFailure() != null) System.err.println("serve: first warm-up request not answered: " + w.firstFailure());
    } catch (Exception e) {
      // Only speed is at stake: start anyway.
      System.err.println("serve: warm-up failed, starting cold: " + e);
    }
  }

  /** Why {@code host:port} cannot be bound right now, or {@code null}; port 0 (any free port) always can. */
  static String portProblem(String host, int port) {
    if (port == 0) return null;
    try (ServerSocket probe = new ServerSocket()) {
      probe.bind(new InetSocketAddress(host, port));
      return null;
    } catch (IOException e) {
      return "cannot listen on " + host + ":" + port + ": " + e.getMessage();
    }
  }

  /** Stops logback, which writes what the batched access log still holds: a graceful shutdown's last requests too. */
  private static void stopLogging() {
    if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext lc) lc.stop();
  }

  private static void enableInfo(String logger) {
    org.slf4j.Logger l = org.slf4j.LoggerFactory.getLogger(logger);
    if (l instanceof ch.qos.logback.classic.Logger lb && !lb.isInfoEnabled()) lb.setLevel(ch.qos.logback.classic.Level.INFO);
  }
}
