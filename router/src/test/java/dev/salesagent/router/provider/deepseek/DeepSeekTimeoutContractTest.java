package dev.salesagent.router.provider.deepseek;

import dev.salesagent.router.provider.AdapterTimeoutContract;
import dev.salesagent.router.provider.ProviderAdapter;
import dev.salesagent.router.provider.ProviderSettings;
import dev.salesagent.router.provider.Secret;
import dev.salesagent.router.provider.Timeouts;
import dev.salesagent.router.provider.openai.OpenAiProvider;
import dev.salesagent.router.provider.registry.Providers;
import io.vertx.core.Vertx;
import java.util.Map;

/** DeepSeek's adapter (the OpenAI-compatible one with its beta root for continuations) under the timeout contract. */
class DeepSeekTimeoutContractTest extends AdapterTimeoutContract {

  @Override
  protected ProviderAdapter adapter(Vertx vertx, String root, Timeouts timeouts) {
    return Providers.BUILT_IN.adapter(vertx, new ProviderSettings("deepseek", OpenAiProvider.KIND, root + "/openai/v1", "",
        new Secret("sk-test-deepseek-0123456789"), "DEEPSEEK_API_KEY", Map.of(), timeouts, 0, 0, 0));
  }

  @Override
  protected String protocol() { return "openai"; }

  @Override
  protected String model() { return "deepseek-flash"; }
}
