package dev.salesagent.router.provider.anthropic;

import dev.salesagent.router.provider.AdapterTimeoutContract;
import dev.salesagent.router.provider.ProviderAdapter;
import dev.salesagent.router.provider.ProviderSettings;
import dev.salesagent.router.provider.Secret;
import dev.salesagent.router.provider.Timeouts;
import dev.salesagent.router.provider.registry.Providers;
import io.vertx.core.Vertx;
import java.util.Map;

/** The Anthropic Messages adapter under the adapter timeout contract. */
class AnthropicTimeoutContractTest extends AdapterTimeoutContract {

  @Override
  protected ProviderAdapter adapter(Vertx vertx, String root, Timeouts timeouts) {
    return Providers.BUILT_IN.adapter(vertx, new ProviderSettings("anthropic", AnthropicProvider.KIND, root + "/anthropic", "/v1",
        new Secret("sk-test-anthropic-0123456789"), "ANTHROPIC_API_KEY", Map.of(), timeouts, 0, 0, 0));
  }

  @Override
  protected String protocol() { return "anthropic"; }

  @Override
  protected String model() { return "claude-haiku-4-5"; }
}
