package dev.salesagent.router.provider.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.salesagent.emulator.Emulator;
import dev.salesagent.emulator.EmulatorOptions;
import dev.salesagent.router.RouterRuntime;
import dev.salesagent.router.config.ConfigException;
import dev.salesagent.router.config.ConfigLoader;
import dev.salesagent.router.config.RouterConfig;
import dev.salesagent.router.error.ErrorKind;
import dev.salesagent.router.model.ChatRequest;
import dev.salesagent.router.provider.registry.ProviderRegistry;
import dev.salesagent.router.provider.registry.Providers;
import dev.salesagent.router.routing.RouteRequest;
import dev.salesagent.router.routing.RoutedResponse;
import dev.salesagent.router.routing.UsageSink;
import dev.salesagent.router.wire.ErrorMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A new provider is a new folder ({@code provider/acme/}: {@link AcmeProvider} and its {@code defaults.yaml}) and one
 * registration line: nothing else in the router changes, yet its kind is accepted in the configuration, it is
 * predefined with its models and key variable, calls are routed to it, and its error names mean what it says.
 */
class AddingAProviderTest {
  /** The one registration line (the shipped providers are listed the same way in {@code Providers}). */
  static final ProviderRegistry REGISTRY = Providers.BUILT_IN.with(new AcmeProvider());

  @Test
  void itIsPredefinedFromItsFolder() {
    RouterConfig c = ConfigLoader.loadYaml(null, null, Map.of("ACME_API_KEY", "k"), REGISTRY);
    assertThat(c.providers().keySet()).containsExactly("anthropic", "cerebras", "deepseek", "ollama", "acme");
    var acme = c.provider("acme");
    assertThat(acme.settings().kind()).isEqualTo(AcmeProvider.KIND);
    assertThat(acme.settings().url("/chat/completions")).isEqualTo("https://api.acme.example/v1/chat/completions");
    assertThat(acme.configured()).isTrue();
    assertThat(acme.modelOrder()).containsExactly("acme-1");
  }

  @Test
  void withoutTheLineItsKindIsUnknown() {
    String yaml = """
        providers:
          mine:
            kind: acme-chat
            base_url: http://127.0.0.1:1
            models: {m: {context_window: 1000, input_usd_per_mtok: 0, output_usd_per_mtok: 0}}
        """;
    assertThatThrownBy(() -> ConfigLoader.loadYaml(yaml, "c.yaml", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("c.yaml line 3: providers.mine.kind: unknown provider kind 'acme-chat' (expected anthropic, openai-compatible or ollama)");
    assertThat(ConfigLoader.loadYaml(yaml, "c.yaml", Map.of(), REGISTRY).provider("mine").settings().kind()).isEqualTo(AcmeProvider.KIND);
  }

  @Test
  void itsErrorNamesMeanWhatItSays() {
    String body = "{\"error\":{\"type\":\"acme_overheated\",\"message\":\"too hot\"}}";
    MultiMap none = MultiMap.caseInsensitiveMultiMap();
    assertThat(new ErrorMapper(REGISTRY.errors()).fromHttp(429, none, body).kind()).isEqualTo(ErrorKind.OVERLOADED);
    assertThat(new ErrorMapper(Providers.BUILT_IN.errors()).fromHttp(429, none, body).kind()).isEqualTo(ErrorKind.RATE_LIMITED);
  }

  @Test
  void callsAreRoutedToIt() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Emulator emu = await(Emulator.start(vertx, EmulatorOptions.defaults()));
      Map<String, String> env = Map.of("ACME_API_KEY", "sk-acme-test", "ACME_BASE_URL", emu.openAiRootUrl());
      RouterConfig cfg = ConfigLoader.loadYaml("tasks:\n  acme-task: {chain: [acme/acme-1]}\n", "t.yaml", env, REGISTRY);
      RouterRuntime rt = RouterRuntime.create(vertx, cfg, new SimpleMeterRegistry(), UsageSink.NONE, null,
          s -> REGISTRY.adapter(vertx, s));
      try {
        RoutedResponse r = await(rt.router().chat(RouteRequest.of("req-acme", ChatRequest.user("Hello Acme").withMaxTokens(50))
            .withTask("acme-task")));
        assertThat(r.response().provider()).isEqualTo("acme");
        assertThat(r.response().text()).isNotBlank();
        assertThat(emu.stats().requests("openai", "acme-1")).isEqualTo(1);
      } finally {
        rt.close();
        await(emu.close());
      }
    } finally {
      await(vertx.close());
    }
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
