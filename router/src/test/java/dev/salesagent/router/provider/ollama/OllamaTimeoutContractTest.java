package dev.salesagent.router.provider.ollama;

import dev.salesagent.router.provider.AdapterTimeoutContract;
import dev.salesagent.router.provider.ProviderAdapter;
import dev.salesagent.router.provider.ProviderSettings;
import dev.salesagent.router.provider.Timeouts;
import dev.salesagent.router.provider.registry.Providers;
import io.vertx.core.Vertx;
import java.util.Map;

/** The Ollama adapter under the adapter timeout contract. */
class OllamaTimeoutContractTest extends AdapterTimeoutContract {

  @Override
  protected ProviderAdapter adapter(Vertx vertx, String root, Timeouts timeouts) {
    return Providers.BUILT_IN.adapter(vertx, new ProviderSettings("ollama", OllamaProvider.KIND, root + "/ollama", "", null, null,
        Map.of(), timeouts, 0, 0, 0));
  }

  @Override
  protected String protocol() { return "ollama"; }

  @Override
  protected String model() { return "llama3.2"; }
}
