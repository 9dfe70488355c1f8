package dev.salesagent.router.provider.openai;

import dev.salesagent.router.provider.AdapterTimeoutContract;
import dev.salesagent.router.provider.ProviderAdapter;
import dev.salesagent.router.provider.ProviderSettings;
import dev.salesagent.router.provider.Secret;
import dev.salesagent.router.provider.Timeouts;
import dev.salesagent.router.provider.registry.Providers;
import io.vertx.core.Vertx;
import java.util.Map;

/** The OpenAI-compatible adapter (as configured for Cerebras) under the adapter timeout contract. */
class OpenAiCompatibleTimeoutContractTest extends AdapterTimeoutContract {

  @Override
  protected ProviderAdapter adapter(Vertx vertx, String root, Timeouts timeouts) {
    return Providers.BUILT_IN.adapter(vertx, new ProviderSettings("cerebras", OpenAiProvider.KIND, root + "/openai", "/v1",
        new Secret("sk-test-cerebras-0123456789"), "CEREBRAS_API_KEY", Map.of(), timeouts, 0, 0, 0));
  }

  @Override
  protected String protocol() { return "openai"; }

  @Override
  protected String model() { return "gpt-oss-120b"; }
}
