package dev.salesagent.app;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.salesagent.emulator.Emulator;
import dev.salesagent.router.config.RouterConfig.ProviderConfig;
import dev.salesagent.router.config.RouterConfig;
import dev.salesagent.router.provider.Capability;
import dev.salesagent.router.provider.ProviderSettings;
import dev.salesagent.router.provider.Secret;
import dev.salesagent.router.provider.anthropic.AnthropicProvider;
import dev.salesagent.router.provider.ollama.OllamaProvider;
import dev.salesagent.router.provider.openai.OpenAiProvider;
import dev.salesagent.router.routing.Target;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the warm-up sends, and where. It mirrors the configuration the gateway will serve: the same providers, models,
 * tasks, adapters and resilience settings, every provider re-pointed at the in-process emulator of its wire protocol.
 * The JIT then compiles the request path for the model names, routes and adapters that real traffic takes; a warm-up
 * through other providers and name forms left code that real traffic deoptimised and recompiled in its first seconds.
 */
final class WarmupTraffic {
  private static final int MODELS_PER_PROVIDER = 3;

  private WarmupTraffic() {}

  /**
   * Where the emulator serves each protocol: {@code anthropic + /v1/messages}, {@code openAi + /chat/completions},
   * {@code ollama + /api/chat}.
   */
  record EmulatorUrls(String anthropic, String openAi, String ollama) {
    static EmulatorUrls of(Emulator e) {
      return new EmulatorUrls(e.anthropicBaseUrl(), e.openAiBaseUrl(), e.ollamaBaseUrl());
    }
  }

  /**
   * The real configuration with every provider's base URL on the emulator. A provider the real configuration can
   * route to gets a placeholder key (the emulators want one even where the real provider does not); one it cannot
   * (no key, disabled) stays that way, so plans skip the same providers
   * as they will for real. Budgets are lifted, health probes slowed and client-side rate limits dropped: the warm-up
   * must not spend its time refused by its own limits.
   */
  static RouterConfig pointedAt(RouterConfig real, EmulatorUrls emulator) {
    Map<String, ProviderConfig> providers = new LinkedHashMap<>();
    for (ProviderConfig p : real.providers().values()) {
      ProviderSettings s = p.settings();
      String base = emulatorBase(s, emulator);
      boolean usable = p.configured() && base != null;
      ProviderSettings w = new ProviderSettings(s.name(), s.kind(), base == null ? s.baseUrl() : base, s.apiPrefix(),
          usable ? new Secret("warmup") : s.apiKey(), s.apiKeyEnv(), s.models(), s.timeouts(),
          s.maxConcurrency(), 0, 0);
      providers.put(p.name(), new ProviderConfig(p.name(), w, p.modelOrder(), p.enabled() && base != null));
    }
    RouterConfig.Health h = real.health();
    return new RouterConfig(providers, real.tasks(), real.defaultStrategy(), real.resilience(),
        new RouterConfig.Budgets(1e9, 1e9, real.budgets().policy()),
        new RouterConfig.Health(3_600_000, 0, h.downAfterFailures(), h.degradedErrorRatePercent()), real.sharedState());
  }

  /** The base URL that makes {@code base + apiPrefix + path} an emulator endpoint, or {@code null} if none does. */
  static String emulatorBase(ProviderSettings s, EmulatorUrls emulator) {
    String endpointRoot;
    if (s.kind().equals(AnthropicProvider.KIND)) endpointRoot = emulator.anthropic() + "/v1";
    else if (s.kind().equals(OpenAiProvider.KIND)) endpointRoot = emulator.openAi();
    else if (s.kind().equals(OllamaProvider.KIND)) endpointRoot = emulator.ollama();
    else return null; // a protocol the emulators do not speak
    String prefix = s.apiPrefix();
    if (!endpointRoot.endsWith(prefix)) return null;
    return endpointRoot.substring(0, endpointRoot.length() - prefix.length());
  }

  /**
   * Path and body of each request shape: for the first models of every routable provider, the {@code provider/model}
   * name and, where it is unambiguous, the bare model id, over both chat APIs and the Responses API, streaming and not; then every task
   * that can route, and {@code auto} when every task can.
   */
  static List<String[]> requests(RouterConfig config) {
    Map<String, Integer> providersPerModel = new HashMap<>();
    for (ProviderConfig p : config.providers().values()) {
      if (p.configured()) for (String m : p.modelOrder()) providersPerModel.merge(m, 1, Integer::sum);
    }
    List<String[]> out = new ArrayList<>();
    for (ProviderConfig p : config.providers().values()) {
      if (!p.configured()) continue;
      for (String m : p.modelOrder().subList(0, Math.min(MODELS_PER_PROVIDER, p.modelOrder().size()))) {
        List<String> names = providersPerModel.get(m) == 1 && !config.tasks().containsKey(m)
            ? List.of(p.name() + "/" + m, m) : List.of(p.name() + "/" + m);
        if (p.settings().model(m).has(Capability.EMBEDDING)) {
          out.add(embeddings(p.name() + "/" + m));
          continue;
        }
        for (String name : names) {
          for (boolean stream : new boolean[] {false, true}) {
            out.add(chat(name, stream));
            out.add(chatWithOptions(name, stream));
            out.add(messages(name, stream));
            out.add(messagesWithOptions(name, stream));
            out.add(responses(name, stream));
          }
        }
      }
    }
    boolean everyTaskRoutes = true;
    for (RouterConfig.TaskConfig t : config.tasks().values()) {
      if (t.chain().stream().anyMatch(target -> routable(config, target)) && embeddingOnly(config, t)) {
        out.add(embeddings("task:" + t.name()));
      } else if (t.chain().stream().anyMatch(target -> routable(config, target))) {
        out.add(chat("task:" + t.name(), false));
        out.add(chat("task:" + t.name(), true));
      } else {
        everyTaskRoutes = false;
      }
    }
    // auto infers a task from the messages; only when every task can route is it sure to be answered.
    if (everyTaskRoutes && !out.isEmpty()) {
      out.add(chat("auto", false));
      out.add(chat("auto", true));
    }
    if (!out.isEmpty()) out.addAll(PROBES);
    return out;
  }

  /** A task whose chain holds only embedding models: it answers {@code /v1/embeddings}, never chat. */
  private static boolean embeddingOnly(RouterConfig config, RouterConfig.TaskConfig t) {
    for (Target target : t.chain()) {
      ProviderConfig p = config.provider(target.provider());
      var spec = p == null ? null : p.settings().model(target.model());
      if (spec == null || !spec.has(Capability.EMBEDDING)) return false;
    }
    return !t.chain().isEmpty();
  }

  static String[] embeddings(String model) {
    return new String[] {"/v1/embeddings", "{\"model\":\"" + quoted(model) + "\",\"input\":[\"Acme Robotics, 200 employees\",\"warm-up\"]}"};
  }

  private static boolean routable(RouterConfig config, Target t) {
    ProviderConfig p = config.provider(t.provider());
    return p != null && p.configured() && p.modelOrder().contains(t.model());
  }

  static String[] chat(String model, boolean stream) {
    return new String[] {"/v1/chat/completions", "{\"model\":\"" + quoted(model) + "\",\"max_tokens\":64,"
        + (stream ? "\"stream\":true,\"stream_options\":{\"include_usage\":true}," : "")
        + "\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
        + "{\"role\":\"user\",\"content\":\"Say hello to the warm-up.\"}]}"};
  }

  /**
   * A chat request with the options clients commonly send (sampling, stop sequences, a user id) and an earlier turn,
   * its user content as parts: the branches that read them are then compiled too. A warm-up of bare requests left them
   * out of the compiled code, and the first real requests that carried them (most do) sent the request path back to
   * the interpreter and the JIT to work while the gateway took traffic.
   */
  static String[] chatWithOptions(String model, boolean stream) {
    return new String[] {"/v1/chat/completions", "{\"model\":\"" + quoted(model) + "\",\"messages\":["
        + "{\"role\":\"system\",\"content\":\"You are a concise assistant.\"},"
        + EARLIER_TURN_AND_PARTS
        + "\"temperature\":0.2,\"top_p\":0.9,\"max_tokens\":128,\"stop\":[\"\\n\\n\"],\"user\":\"warm-up\""
        + (stream ? ",\"stream\":true,\"stream_options\":{\"include_usage\":true}" : "") + "}"};
  }

  /** Both APIs' message lists end the same way: an earlier exchange, then a user turn whose content is parts. */
  private static final String EARLIER_TURN_AND_PARTS = "{\"role\":\"user\",\"content\":\"Hello.\"},"
      + "{\"role\":\"assistant\",\"content\":\"Hello! How can I help?\"},"
      + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Explain in one sentence what a warm-up does.\"}]}],";

  /** The Messages API counterpart of {@link #chatWithOptions}. */
  static String[] messagesWithOptions(String model, boolean stream) {
    return new String[] {"/v1/messages", "{\"model\":\"" + quoted(model) + "\",\"max_tokens\":128,"
        + "\"system\":[{\"type\":\"text\",\"text\":\"You are a concise assistant.\"}],\"messages\":["
        + EARLIER_TURN_AND_PARTS
        + "\"temperature\":0.2,\"top_p\":0.9,\"stop_sequences\":[\"\\n\\n\"],\"metadata\":{\"user_id\":\"warm-up\"}"
        + (stream ? ",\"stream\":true" : "") + "}"};
  }

  /**
   * What load balancers, orchestrators and SDKs ask between requests: {@code GET}s (a {@code null} body). Without them
   * in the warm-up, the first probe took branches of the HTTP decoder and the dispatcher that the compiled code had
   * never seen, and deoptimised them under load.
   */
  static final List<String[]> PROBES = List.of(new String[] {"/healthz", null}, new String[] {"/readyz", null},
      new String[] {"/v1/models", null});

  static String[] messages(String model, boolean stream) {
    return new String[] {"/v1/messages", "{\"model\":\"" + quoted(model) + "\",\"max_tokens\":64,"
        + (stream ? "\"stream\":true," : "") + "\"system\":\"Be brief.\","
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello to the warm-up.\"}]}"};
  }

  static String[] responses(String model, boolean stream) {
    return new String[] {"/v1/responses", "{\"model\":\"" + quoted(model) + "\",\"max_output_tokens\":64,"
        + (stream ? "\"stream\":true," : "") + "\"instructions\":\"Be brief.\",\"input\":\"Say hello to the warm-up.\"}"};
  }

  private static String quoted(String s) {
    return new String(JsonStringEncoder.getInstance().quoteAsString(s));
  }
}
