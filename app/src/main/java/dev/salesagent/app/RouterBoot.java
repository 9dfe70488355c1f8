package dev.salesagent.app;

import dev.salesagent.app.tracing.AppTracing;
import dev.salesagent.router.trace.Tracing;
import dev.salesagent.router.RouterRuntime;
import dev.salesagent.router.budget.BudgetCounters;
import dev.salesagent.router.config.ConfigLoader;
import dev.salesagent.router.config.RouterConfig;
import dev.salesagent.router.routing.UsageSink;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Loads the router configuration ({@code --config} or {@code SALES_AGENT_CONFIG}, variables from the environment) and
 * builds a {@link RouterRuntime} on its own Vert.x. Tests inject environment variables with {@link #overrideEnv}
 * instead of touching the process environment.
 */
public final class RouterBoot implements AutoCloseable {
  private static volatile Map<String, String> envOverride;

  private final Vertx vertx;
  private final RouterRuntime runtime;

  private RouterBoot(Vertx vertx, RouterRuntime runtime) {
    this.vertx = vertx;
    this.runtime = runtime;
  }

  /** Replaces the environment the CLI sees ({@code null} = the process environment again). For tests. */
  public static void overrideEnv(Map<String, String> env) {
    envOverride = env == null ? null : Map.copyOf(env);
  }

  /** The environment: the override when set, else {@link System#getenv()}. */
  public static Map<String, String> env() {
    Map<String, String> o = envOverride;
    return o != null ? o : System.getenv();
  }

  /** The configuration file to use: {@code --config} when given, else {@code SALES_AGENT_CONFIG}, else none. */
  public static Path configPath(Path option) {
    if (option != null) return option;
    String v = env().get("SALES_AGENT_CONFIG");
    return v == null || v.isBlank() ? null : Path.of(v.trim());
  }

  /** Loads and validates the configuration; throws {@link dev.salesagent.router.config.ConfigException}. */
  public static RouterConfig loadConfig(Path option) {
    Path p = configPath(option);
    if (p != null && !Files.isRegularFile(p)) {
      throw new dev.salesagent.router.config.ConfigException("configuration file " + p + " does not exist");
    }
    warnRetired(p);
    return ConfigLoader.load(p, new HashMap<>(env()));
  }

  /** One stderr line per retired model id the file names (its end of life and replacement); before loading it. */
  static void warnRetired(Path file) {
    for (String w : dev.salesagent.router.config.RetiredModels.warnings(file)) {
      utf8Err().println("warning: " + file + ": " + w);
    }
  }

  /** A runtime with in-memory budgets from the configuration and a private meter registry. */
  public static RouterBoot start(RouterConfig config) {
    return start(config, new SimpleMeterRegistry(), UsageSink.NONE, (BudgetCounters) null);
  }

  public static RouterBoot start(RouterConfig config, MeterRegistry registry, UsageSink sink, BudgetCounters budgets) {
    return start(config, registry, sink, v -> budgets);
  }

  /** With budget counters built on the runtime's Vert.x ({@code null} from the factory = in-memory global limits). */
  public static RouterBoot start(RouterConfig config, MeterRegistry registry, UsageSink sink,
      java.util.function.Function<Vertx, BudgetCounters> budgets) {
    Vertx vertx = Vertx.vertx();
    try {
      RouterRuntime runtime = RouterRuntime.create(vertx, config, registry, sink, budgets.apply(vertx));
      runtime.unifiedRouter().traceWith(AppTracing.fromEnvironment());
      return new RouterBoot(vertx, runtime);
    } catch (RuntimeException e) {
      vertx.close();
      throw e;
    }
  }

  public Vertx vertx() { return vertx; }

  public RouterRuntime runtime() { return runtime; }

  /** The process's tracing (the OTEL_* variables; {@link Tracing#OFF} without an endpoint). */
  public Tracing tracing() { return AppTracing.fromEnvironment(); }

  /** stdout as UTF-8 whatever the locale (wraps the current {@code System.out}, so tests can capture it). */
  public static PrintStream utf8Out() {
    return new PrintStream(System.out, true, StandardCharsets.UTF_8);
  }

  public static PrintStream utf8Err() {
    return new PrintStream(System.err, true, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    runtime.close();
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (Exception ignore) {
      // shutting down anyway
    }
  }
}
