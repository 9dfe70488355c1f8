package dev.salesagent.bench;

import dev.salesagent.emulator.Firehose;
import dev.salesagent.router.RouterRuntime;
import dev.salesagent.router.budget.InMemoryBudgetCounters;
import dev.salesagent.router.config.ConfigLoader;
import dev.salesagent.router.config.RouterConfig;
import dev.salesagent.router.routing.UsageSink;
import dev.salesagent.server.Gateway;
import dev.salesagent.server.GatewayOptions;
import dev.salesagent.server.GatewayServer;
import dev.salesagent.server.GatewayServices;
import dev.salesagent.server.auth.KeyRegistry;
import dev.salesagent.server.chat.ModelCatalog;
import dev.salesagent.server.chat.ProviderStatusSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The gateway {@link HostileLoad} attacks: the server's parts without a store (as the server module's test harness
 * builds them) with {@code serve}'s HTTP limits, over a {@link Firehose} upstream in the same process (the upstream is
 * the provider's side, not the attacker's). Runs in the attacker's JVM, or on its own as {@link #main}: then it prints
 * {@code PORT n}, answers each {@code stats} (after a full GC) or {@code peek} (without) line on stdin with a
 * {@link HostileTarget.Stats} line, each {@code conns} line with {@code CONNS n} and each {@code lag} line with
 * {@code LAG} and the event loops' worst lag ({@link EventLoopLag}), and stops at EOF or {@code quit}.
 */
final class HostileGateway implements HostileTarget {
  static final String KEY = "sk-bench-hostile-0123456789";

  private final Vertx upstream;
  private final Vertx vertx;
  private final PrometheusMeterRegistry registry;
  private final Firehose fire;
  /** Streams that end after {@link #WARM_STREAM_BYTES}: the warm-up's upstream ({@code short/fire}), counted apart. */
  private final Firehose shortFire;
  private final Gateway gateway;
  private final EventLoopLag lag;

  static final long WARM_STREAM_BYTES = 16 * 1024;

  private HostileGateway(Vertx upstream, Vertx vertx, PrometheusMeterRegistry registry, Firehose fire, Firehose shortFire,
                         Gateway gateway) {
    this.upstream = upstream;
    this.vertx = vertx;
    this.registry = registry;
    this.fire = fire;
    this.shortFire = shortFire;
    this.gateway = gateway;
    this.lag = new EventLoopLag(vertx);
  }

  @Override
  public String lag() {
    return lag.take();
  }

  static HostileGateway start() throws Exception {
    Vertx upstream = Vertx.vertx();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Vertx vertx = GatewayServer.newVertx(registry, 2);
    Firehose fire = await(Firehose.start(upstream, 0));
    Firehose shortFire = await(Firehose.start(upstream, WARM_STREAM_BYTES));
    String yaml = "providers:\n  firehose:\n    kind: openai-compatible\n    base_url: " + fire.baseUrl() + "\n"
        + "    models:\n      fire: {context_window: 128000, input_usd_per_mtok: 0.1, output_usd_per_mtok: 0.1}\n"
        + "  short:\n    kind: openai-compatible\n    base_url: " + shortFire.baseUrl() + "\n"
        + "    models:\n      fire: {context_window: 128000, input_usd_per_mtok: 0.1, output_usd_per_mtok: 0.1}\n"
        + "budgets: {daily_usd: 100000, monthly_usd: 1000000}\n";
    RouterConfig cfg = ConfigLoader.loadLayers(List.of(yaml), "hostile.yaml", Map.of());
    KeyRegistry keys = new KeyRegistry(vertx, null, KEY);
    InMemoryBudgetCounters budgets = new InMemoryBudgetCounters(cfg.budgets().limits(), keys::limitsFor);
    RouterRuntime runtime = RouterRuntime.create(vertx, cfg, registry, UsageSink.NONE, budgets);
    GatewayOptions options = GatewayOptions.defaults().withPort(0).withHost("127.0.0.1").withEventLoops(2);
    GatewayServices services = new GatewayServices(runtime.router(), new ModelCatalog(cfg),
        ProviderStatusSource.fromRuntime(runtime), keys, null, null, budgets, null, registry, options);
    Gateway gateway = await(Gateway.start(vertx, services, runtime, null, List.of()));
    return new HostileGateway(upstream, vertx, registry, fire, shortFire, gateway);
  }

  @Override
  public int port() { return gateway.port(); }

  @Override
  public Stats stats(boolean fullGc) {
    if (fullGc) System.gc();
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    return new Stats(heap, rssKb(), openConnections(), registry.getMeters().size(),
        fire.bytesWritten(), fire.openStreams());
  }

  @Override
  public double openConnections() {
    Gauge open = registry.find("vertx.http.server.active.connections").gauge();
    return open == null ? Double.NaN : open.value();
  }

  @Override
  public void close() throws Exception {
    await(gateway.shutdown(Duration.ofSeconds(2)));
    vertx.close();
    await(fire.close());
    await(shortFire.close());
    upstream.close();
  }

  /** The gateway as a process of its own (see the class comment). */
  public static void main(String[] args) throws Exception {
    HostileLoad.quietLogging();
    HostileGateway g = start();
    System.out.println("PORT " + g.port());
    System.out.flush();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    try {
      for (String line; (line = in.readLine()) != null && !line.trim().equals("quit"); ) {
        if (line.trim().equals("stats")) System.out.println(g.stats(true).line());
        else if (line.trim().equals("peek")) System.out.println(g.stats(false).line());
        else if (line.trim().equals("conns")) System.out.println("CONNS " + g.openConnections());
        else if (line.trim().equals("lag")) System.out.println("LAG " + g.lag());
        System.out.flush();
      }
    } finally {
      g.close();
    }
    System.exit(0);
  }

  /** VmRSS of this process in KB (Linux), -1 elsewhere. */
  static long rssKb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", ""));
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
