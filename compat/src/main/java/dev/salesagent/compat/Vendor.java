package dev.salesagent.compat;

import java.util.Locale;

/**
 * The providers an imported deployment can land on: the four this router predefines, and OpenAI-compatible services
 * that become a new {@code openai-compatible} provider with their public API root (what OpenAI's SDKs call the base
 * URL: {@code /chat/completions} is appended) and the key variable their own SDKs read.
 */
public enum Vendor {
  ANTHROPIC("anthropic", null, "ANTHROPIC_API_KEY"),
  CEREBRAS("cerebras", null, "CEREBRAS_API_KEY"),
  DEEPSEEK("deepseek", null, "DEEPSEEK_API_KEY"),
  OLLAMA("ollama", null, null),
  OPENAI("openai", "https://api.openai.com/v1", "OPENAI_API_KEY"),
  GROQ("groq", "https://api.groq.com/openai/v1", "GROQ_API_KEY"),
  MISTRAL("mistral", "https://api.mistral.ai/v1", "MISTRAL_API_KEY"),
  TOGETHER("together", "https://api.together.xyz/v1", "TOGETHER_API_KEY"),
  FIREWORKS("fireworks", "https://api.fireworks.ai/inference/v1", "FIREWORKS_API_KEY"),
  OPENROUTER("openrouter", "https://openrouter.ai/api/v1", "OPENROUTER_API_KEY"),
  XAI("xai", "https://api.x.ai/v1", "XAI_API_KEY"),
  DEEPINFRA("deepinfra", "https://api.deepinfra.com/v1/openai", "DEEPINFRA_API_KEY"),
  PERPLEXITY("perplexity", "https://api.perplexity.ai", "PERPLEXITY_API_KEY"),
  /** Any other OpenAI-compatible server (vLLM, LM Studio, a company proxy): needs its base URL, key optional. */
  OPENAI_COMPATIBLE("openai-compatible", null, null);

  private final String providerName;
  private final String defaultBaseUrl;
  private final String defaultKeyEnv;

  Vendor(String providerName, String defaultBaseUrl, String defaultKeyEnv) {
    this.providerName = providerName;
    this.defaultBaseUrl = defaultBaseUrl;
    this.defaultKeyEnv = defaultKeyEnv;
  }

  /** Our provider name (the predefined one, or the name a new provider gets). */
  public String providerName() { return providerName; }

  /** Public API root of an OpenAI-compatible vendor; {@code null} for predefined providers (the catalog has theirs). */
  public String defaultBaseUrl() { return defaultBaseUrl; }

  /** The variable the vendor's own SDKs read the key from; {@code null} = no key by default. */
  public String defaultKeyEnv() { return defaultKeyEnv; }

  public boolean predefined() {
    return ordinal() <= OLLAMA.ordinal();
  }

  public String envPrefix() {
    return providerName.toUpperCase(Locale.ROOT).replace('-', '_');
  }
}
