package dev.salesagent.router.provider;

/** The wire protocol a provider speaks. */
public enum ProviderKind {
  ANTHROPIC("anthropic"), OPENAI_COMPATIBLE("openai-compatible"), OLLAMA("ollama");

  private final String wire;

  ProviderKind(String wire) { this.wire = wire; }

  public String wire() { return wire; }

  public static ProviderKind fromWire(String s) {
    for (ProviderKind k : values()) if (k.wire.equals(s)) return k;
    throw new IllegalArgumentException("unknown provider kind '" + s + "' (expected anthropic, openai-compatible or ollama)");
  }
}
