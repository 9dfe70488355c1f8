package dev.salesagent.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.salesagent.app.WarmupTraffic.EmulatorUrls;
import dev.salesagent.router.config.ConfigLoader;
import dev.salesagent.router.config.RouterConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The warm-up mirrors the configuration the gateway will serve, on the emulators. */
class WarmupTrafficTest {
  private static final EmulatorUrls EMU = new EmulatorUrls("http://127.0.0.1:9/anthropic", "http://127.0.0.1:9/openai/v1",
      "http://127.0.0.1:9/ollama");

  private static RouterConfig load(String yaml, Map<String, String> env) {
    return ConfigLoader.loadYaml(yaml, "t.yaml", env);
  }

  private static List<String> models(List<String[]> requests) {
    return requests.stream().filter(r -> r[1] != null).map(r -> r[0] + " " + r[1].replaceAll("^\\{\"model\":\"([^\"]+)\".*$", "$1")
        + (r[1].contains("\"stream\":true") ? " stream" : "")).toList();
  }

  @Test
  void everyProviderIsPointedAtTheEmulatorEndpointOfItsProtocol() {
    RouterConfig real = load("""
        providers:
          bench: {kind: openai-compatible, base_url: "http://10.1.1.1:8080/v1", rpm: 60, tpm: 1000, models: {m1: {context_window: 1000, input_usd_per_mtok: 1, output_usd_per_mtok: 1}}}
        """, Map.of("ANTHROPIC_API_KEY", "k", "CEREBRAS_API_KEY", "k"));
    RouterConfig w = WarmupTraffic.pointedAt(real, EMU);

    // base + api_prefix + the adapter's path lands on the emulator for every prefix the config uses
    assertThat(w.provider("anthropic").settings().url("/messages")).isEqualTo("http://127.0.0.1:9/anthropic/v1/messages");
    assertThat(w.provider("cerebras").settings().url("/chat/completions")).isEqualTo("http://127.0.0.1:9/openai/v1/chat/completions");
    assertThat(w.provider("deepseek").settings().url("/chat/completions")).isEqualTo("http://127.0.0.1:9/openai/v1/chat/completions");
    assertThat(w.provider("bench").settings().url("/chat/completions")).isEqualTo("http://127.0.0.1:9/openai/v1/chat/completions");
    assertThat(w.provider("ollama").settings().url("/api/chat")).isEqualTo("http://127.0.0.1:9/ollama/api/chat");

    // routable for real -> routable in the warm-up, with a placeholder key; unroutable stays unroutable
    assertThat(w.provider("anthropic").configured()).isTrue();
    assertThat(w.provider("anthropic").settings().apiKey().value()).isEqualTo("warmup");
    assertThat(w.provider("deepseek").configured()).as("DEEPSEEK_API_KEY is not set for real").isFalse();
    assertThat(w.provider("bench").settings().apiKey()).as("the emulator wants a key even where the provider does not").isNotNull();
    // own limits lifted, so the warm-up is not spent on refusals
    assertThat(w.provider("bench").settings().rpm()).isZero();
    assertThat(w.provider("bench").settings().tpm()).isZero();
    assertThat(w.budgets().dailyUsd()).isGreaterThan(1e6);
    assertThat(w.tasks()).isEqualTo(real.tasks());
    assertThat(w.resilience()).isEqualTo(real.resilience());
  }

  @Test
  void aPrefixNoEmulatorEndpointEndsWithLeavesTheProviderOut() {
    RouterConfig real = load("""
        providers:
          odd: {kind: openai-compatible, base_url: "http://10.1.1.1:8080", api_prefix: /api/v2, models: {m1: {context_window: 1000, input_usd_per_mtok: 1, output_usd_per_mtok: 1}}}
        """, Map.of());
    RouterConfig w = WarmupTraffic.pointedAt(real, EMU);
    assertThat(w.provider("odd").enabled()).isFalse();
    assertThat(models(WarmupTraffic.requests(w))).noneMatch(m -> m.contains("m1"));
  }

  @Test
  void requestsNameTheConfiguredModelsAsClientsWouldAndOnlyWhatCanRoute() {
    RouterConfig real = load("""
        providers:
          bench: {kind: openai-compatible, base_url: "http://10.1.1.1:8080/v1", models: {gpt-4o-mini: {context_window: 1000, input_usd_per_mtok: 1, output_usd_per_mtok: 1}}}
        """, Map.of());
    List<String> m = models(WarmupTraffic.requests(WarmupTraffic.pointedAt(real, EMU)));

    assertThat(m).contains("/v1/chat/completions gpt-4o-mini", "/v1/chat/completions gpt-4o-mini stream",
        "/v1/messages gpt-4o-mini", "/v1/messages gpt-4o-mini stream", "/v1/responses gpt-4o-mini",
        "/v1/responses gpt-4o-mini stream", "/v1/chat/completions bench/gpt-4o-mini",
        "/v1/chat/completions ollama/llama3.2", "/v1/chat/completions task:parsing");
    assertThat(m).as("no key for these: they are skipped for real").noneMatch(x -> x.contains("anthropic/") || x.contains("cerebras/")
        || x.contains("deepseek/") || x.contains("task:content") || x.contains("task:research"));
    assertThat(m).as("auto may infer a task that cannot route").noneMatch(x -> x.contains(" auto"));
  }

  @Test
  void autoIsWarmedWhenEveryTaskRoutesAndAnAmbiguousIdOnlyWithItsProvider() {
    RouterConfig real = load("""
        providers:
          other: {kind: openai-compatible, base_url: "http://10.1.1.1:8080/v1", models: {gpt-oss-120b: {context_window: 1000, input_usd_per_mtok: 1, output_usd_per_mtok: 1}}}
        """, Map.of("ANTHROPIC_API_KEY", "k", "CEREBRAS_API_KEY", "k", "DEEPSEEK_API_KEY", "k"));
    List<String> m = models(WarmupTraffic.requests(WarmupTraffic.pointedAt(real, EMU)));
    assertThat(m).contains("/v1/chat/completions auto", "/v1/chat/completions cerebras/gpt-oss-120b",
        "/v1/chat/completions other/gpt-oss-120b", "/v1/chat/completions claude-haiku-4-5");
    assertThat(m).as("gpt-oss-120b is served by two providers").doesNotContain("/v1/chat/completions gpt-oss-120b");
  }

  @Test
  void requestsCarryTheOptionsClientsSendAndTheProbesTheyMakeAndEveryBodyIsJson() throws Exception {
    RouterConfig real = load("""
        providers:
          bench: {kind: openai-compatible, base_url: "http://10.1.1.1:8080/v1", models: {gpt-4o-mini: {context_window: 1000, input_usd_per_mtok: 1, output_usd_per_mtok: 1}}}
        """, Map.of());
    List<String[]> requests = WarmupTraffic.requests(WarmupTraffic.pointedAt(real, EMU));
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    for (String[] r : requests) {
      if (r[1] != null) assertThat(json.readTree(r[1]).path("model").asText()).as(r[1]).isNotEmpty();
    }
    List<String> chats = requests.stream().filter(r -> r[0].equals("/v1/chat/completions") && r[1].contains("bench/gpt-4o-mini"))
        .map(r -> r[1]).toList();
    assertThat(chats).anyMatch(b -> b.contains("\"temperature\":0.2") && b.contains("\"stop\"") && !b.contains("\"stream\":true"));
    assertThat(chats).anyMatch(b -> b.contains("\"temperature\":0.2") && b.contains("\"stream\":true"));
    assertThat(requests).anyMatch(r -> r[0].equals("/v1/messages") && r[1].contains("\"stop_sequences\""));
    assertThat(requests.stream().filter(r -> r[1] == null).map(r -> r[0]).toList())
        .containsExactlyInAnyOrder("/healthz", "/readyz", "/v1/models");
  }
}
