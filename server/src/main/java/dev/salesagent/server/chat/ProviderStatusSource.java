package dev.salesagent.server.chat;

import dev.salesagent.router.config.RouterConfig;
import dev.salesagent.router.provider.ModelSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What {@code GET /v1/providers} and {@code /readyz} show. The serve command adapts the router runtime's view. */
public interface ProviderStatusSource {

  /** One JSON object per provider (state, circuit, latency, prices): plain maps, lists, strings and numbers. */
  List<Map<String, Object>> providers();

  /** At least one provider can take a request now. */
  boolean anyRoutable();

  /** The configuration's view only: configured or not, models and prices; no live health. */
  static ProviderStatusSource fromConfig(RouterConfig config) {
    return new ProviderStatusSource() {
      @Override
      public List<Map<String, Object>> providers() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (RouterConfig.ProviderConfig p : config.providers().values()) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("name", p.name());
          m.put("kind", p.settings().kind().wire());
          m.put("state", p.configured() ? "configured" : "unconfigured");
          m.put("reason", p.unconfiguredReason());
          List<Map<String, Object>> models = new ArrayList<>();
          for (String id : p.modelOrder()) models.add(model(p.settings().model(id)));
          m.put("models", models);
          out.add(m);
        }
        return out;
      }

      @Override
      public boolean anyRoutable() {
        return config.providers().values().stream().anyMatch(RouterConfig.ProviderConfig::configured);
      }
    };
  }

  /** The router runtime's live view: health state, circuits, latency EWMAs and prices. */
  static ProviderStatusSource fromRuntime(dev.salesagent.router.RouterRuntime runtime) {
    return new ProviderStatusSource() {
      @Override
      public List<Map<String, Object>> providers() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (dev.salesagent.router.ProviderStatus p : runtime.providers()) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("name", p.name());
          m.put("kind", p.kind());
          m.put("state", p.state());
          m.put("reason", p.reason());
          m.put("base_url", p.baseUrl());
          m.put("configured", p.configured());
          m.put("latency_ewma_ms", p.latencyEwmaMs());
          m.put("last_probe", p.lastProbe());
          List<Map<String, Object>> models = new ArrayList<>();
          for (dev.salesagent.router.ProviderStatus.TargetStatus t : p.models()) {
            Map<String, Object> mm = new LinkedHashMap<>();
            mm.put("id", t.model());
            mm.put("context_window", t.contextWindow());
            mm.put("input_usd_per_mtok", t.inputUsdPerMtok());
            mm.put("output_usd_per_mtok", t.outputUsdPerMtok());
            mm.put("cached_input_usd_per_mtok", t.cachedInputUsdPerMtok());
            mm.put("capabilities", t.capabilities());
            mm.put("circuit", t.circuit());
            mm.put("circuit_open_ms", t.circuitOpenMs());
            mm.put("circuit_changed_at", t.circuitChangedAt());
            mm.put("circuit_reason", t.circuitReason());
            mm.put("failure_rate_percent", t.failureRatePercent());
            mm.put("latency_ewma_ms", t.latencyEwmaMs());
            mm.put("ttft_ewma_ms", t.ttftEwmaMs());
            models.add(mm);
          }
          m.put("models", models);
          out.add(m);
        }
        return out;
      }

      @Override
      public boolean anyRoutable() {
        for (dev.salesagent.router.ProviderStatus p : runtime.providers()) {
          if (p.configured() && !"down".equals(p.state()) && !"unconfigured".equals(p.state())) return true;
        }
        return false;
      }
    };
  }

  static Map<String, Object> model(ModelSpec s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", s.id());
    m.put("context_window", s.contextWindow());
    m.put("input_usd_per_mtok", s.inputUsdPerMtok());
    m.put("output_usd_per_mtok", s.outputUsdPerMtok());
    m.put("capabilities", s.capabilities().stream().map(c -> c.wire()).sorted().toList());
    return m;
  }
}
