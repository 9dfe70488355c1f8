package dev.salesagent.router.provider.acme;

import static dev.salesagent.router.error.ErrorSign.OVERLOADED;

import dev.salesagent.router.error.ErrorDialect;
import dev.salesagent.router.provider.ProviderKind;
import dev.salesagent.router.provider.ProviderModule;
import dev.salesagent.router.provider.WireProtocol;
import dev.salesagent.router.provider.openai.OpenAiCompatibleAdapter;

/**
 * A provider that exists only in the tests, as docs/wire-adapters.md "Adding a provider" describes: its own protocol
 * kind ({@code acme-chat}, OpenAI Chat Completions on the wire, {@code /v1} by default), its own error name, its
 * predefined provider in {@code defaults.yaml} beside it — and one registration line ({@link AddingAProviderTest}).
 */
public final class AcmeProvider implements ProviderModule {
  public static final ProviderKind KIND = ProviderKind.of("acme-chat");

  @Override
  public String name() {
    return "acme";
  }

  @Override
  public WireProtocol protocol() {
    return new WireProtocol(KIND, "/v1", OpenAiCompatibleAdapter::new);
  }

  @Override
  public ErrorDialect errors() {
    return ErrorDialect.builder().ids(OVERLOADED, "acme_overheated").build();
  }

  @Override
  public String defaults() {
    return "dev/salesagent/router/provider/acme/defaults.yaml";
  }
}
