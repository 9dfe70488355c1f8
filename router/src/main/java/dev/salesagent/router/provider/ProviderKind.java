package dev.salesagent.router.provider;

import java.util.Objects;

/**
 * The wire protocol a provider speaks, as configured under {@code kind} ({@code anthropic}, {@code openai-compatible},
 * {@code ollama}, …). Open: a provider folder that brings a protocol registers its kind (see {@link ProviderModule}).
 */
public record ProviderKind(String wire) {
  public ProviderKind {
    Objects.requireNonNull(wire, "wire");
    if (wire.isBlank()) throw new IllegalArgumentException("a provider kind must not be empty");
  }

  public static ProviderKind of(String wire) {
    return new ProviderKind(wire);
  }

  @Override
  public String toString() {
    return wire;
  }
}
