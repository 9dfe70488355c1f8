package dev.salesagent.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.salesagent.router.ProviderStatus;
import dev.salesagent.router.config.ConfigException;
import dev.salesagent.router.config.RouterConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code providers [--json]}: each configured provider's health, circuits, latency and prices, after one probe round. */
@Command(name = "providers", mixinStandardHelpOptions = true,
    description = "Show the configured providers: health (after one probe), circuit state, latency and prices.")
final class ProvidersCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = "--json", description = "print one compact JSON object")
  boolean json;

  @Option(names = "--no-probe", description = "do not probe the providers first")
  boolean noProbe;

  @Option(names = "--config", paramLabel = "FILE", description = "router configuration (default: $SALES_AGENT_CONFIG)")
  Path config;

  @Override
  public Integer call() {
    PrintStream out = RouterBoot.utf8Out();
    PrintStream err = RouterBoot.utf8Err();
    RouterConfig cfg;
    try {
      cfg = RouterBoot.loadConfig(config);
    } catch (ConfigException e) {
      if (json) out.println(ChatCommand.errorJson("invalid_request", "configuration error: " + e.getMessage(), List.of()));
      else err.println("sales-agent providers: configuration error: " + e.getMessage());
      return Main.EXIT_USAGE;
    }
    try (RouterBoot boot = RouterBoot.start(cfg)) {
      if (!noProbe) {
        try {
          boot.runtime().startHealthChecks().toCompletionStage().toCompletableFuture()
              .get(cfg.resilience().timeouts().firstTokenMs() + 2000, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
          err.println("sales-agent providers: probes did not finish: " + e);
        }
      }
      List<ProviderStatus> ps = boot.runtime().providers();
      if (json) out.println(toJson(ps).toString());
      else print(out, ps);
      out.flush();
    }
    return Main.EXIT_OK;
  }

  static ObjectNode toJson(List<ProviderStatus> ps) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode arr = root.putArray("providers");
    for (ProviderStatus p : ps) {
      ObjectNode o = arr.addObject();
      o.put("name", p.name());
      o.put("kind", p.kind());
      o.put("state", p.state());
      o.put("reason", p.reason());
      o.put("configured", p.configured());
      o.put("base_url", p.baseUrl());
      o.put("latency_ewma_ms", p.latencyEwmaMs());
      o.put("last_probe", p.lastProbe());
      ArrayNode ms = o.putArray("models");
      for (ProviderStatus.TargetStatus t : p.models()) {
        ObjectNode m = ms.addObject();
        m.put("model", t.model());
        m.put("context_window", t.contextWindow());
        m.put("input_usd_per_mtok", t.inputUsdPerMtok());
        m.put("output_usd_per_mtok", t.outputUsdPerMtok());
        m.put("cached_input_usd_per_mtok", t.cachedInputUsdPerMtok());
        ArrayNode caps = m.putArray("capabilities");
        t.capabilities().forEach(caps::add);
        m.put("circuit", t.circuit());
        m.put("circuit_open_ms", t.circuitOpenMs());
        m.put("circuit_changed_at", t.circuitChangedAt());
        m.put("circuit_reason", t.circuitReason());
        m.put("failure_rate_percent", t.failureRatePercent());
        m.put("latency_ewma_ms", t.latencyEwmaMs());
        m.put("ttft_ewma_ms", t.ttftEwmaMs());
      }
    }
    return root;
  }

  static void print(PrintStream out, List<ProviderStatus> ps) {
    for (ProviderStatus p : ps) {
      out.printf(Locale.ROOT, "%-10s %-17s %-12s %s%n", p.name(), p.kind(), p.state(), p.reason());
      out.printf(Locale.ROOT, "           %s%s%n", p.baseUrl(),
          p.lastProbe() == null ? "" : "  probe: " + p.lastProbe());
      for (ProviderStatus.TargetStatus t : p.models()) {
        out.printf(Locale.ROOT, "    %-22s ctx %-8d in $%-6s out $%-6s circuit %-9s %s%s%n", t.model(), t.contextWindow(),
            num(t.inputUsdPerMtok()), num(t.outputUsdPerMtok()), t.circuit(), String.join(",", t.capabilities()),
            t.latencyEwmaMs() == null ? "" : "  latency " + t.latencyEwmaMs() + " ms");
      }
    }
    out.println("prices: USD per million tokens at list price");
  }

  private static String num(double d) {
    return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
  }
}
