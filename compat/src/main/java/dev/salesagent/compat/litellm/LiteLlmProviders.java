package dev.salesagent.compat.litellm;

import dev.salesagent.compat.Vendor;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * LiteLLM's model strings: {@code <provider>/<model>} with LiteLLM's provider prefixes, or a bare model name LiteLLM
 * recognises by itself ({@code gpt-4o}, {@code claude-…}).
 */
public final class LiteLlmProviders {
  /** A model string split: {@code vendor} is {@code null} when it is not one we can serve (see {@link #unsupported}). */
  public record Spelled(String prefix, Vendor vendor, String model) {}

  private static final Map<String, Vendor> PREFIXES = Map.ofEntries(
      Map.entry("anthropic", Vendor.ANTHROPIC),
      Map.entry("cerebras", Vendor.CEREBRAS),
      Map.entry("deepseek", Vendor.DEEPSEEK),
      Map.entry("ollama", Vendor.OLLAMA),
      Map.entry("ollama_chat", Vendor.OLLAMA),
      Map.entry("openai", Vendor.OPENAI),
      Map.entry("custom_openai", Vendor.OPENAI_COMPATIBLE),
      Map.entry("openai_like", Vendor.OPENAI_COMPATIBLE),
      Map.entry("hosted_vllm", Vendor.OPENAI_COMPATIBLE),
      Map.entry("lm_studio", Vendor.OPENAI_COMPATIBLE),
      Map.entry("llamafile", Vendor.OPENAI_COMPATIBLE),
      Map.entry("groq", Vendor.GROQ),
      Map.entry("mistral", Vendor.MISTRAL),
      Map.entry("together_ai", Vendor.TOGETHER),
      Map.entry("fireworks_ai", Vendor.FIREWORKS),
      Map.entry("openrouter", Vendor.OPENROUTER),
      Map.entry("xai", Vendor.XAI),
      Map.entry("deepinfra", Vendor.DEEPINFRA),
      Map.entry("perplexity", Vendor.PERPLEXITY));

  /** LiteLLM providers that speak another protocol (their own auth, URL scheme or body): not importable. */
  private static final Set<String> OTHER_PROTOCOLS = Set.of("azure", "azure_ai", "azure_text", "bedrock", "bedrock_converse",
      "sagemaker", "sagemaker_chat", "vertex_ai", "vertex_ai_beta", "gemini", "palm", "cohere", "cohere_chat", "huggingface",
      "replicate", "watsonx", "databricks", "cloudflare", "ai21", "ai21_chat", "nlp_cloud", "aleph_alpha", "petals",
      "voyage", "predibase", "clarifai", "triton", "nvidia_nim", "github", "friendliai", "volcengine", "dashscope",
      "moonshot", "oci", "snowflake", "anyscale", "codestral", "text-completion-codestral", "text-completion-openai");

  private LiteLlmProviders() {}

  public static Spelled split(String litellmModel) {
    String s = litellmModel.trim();
    int slash = s.indexOf('/');
    if (slash > 0) {
      String prefix = s.substring(0, slash).toLowerCase(Locale.ROOT);
      Vendor v = PREFIXES.get(prefix);
      if (v != null || OTHER_PROTOCOLS.contains(prefix)) return new Spelled(prefix, v, s.substring(slash + 1));
    }
    String lower = s.toLowerCase(Locale.ROOT);
    if (lower.startsWith("claude-")) return new Spelled("", Vendor.ANTHROPIC, s);
    if (lower.startsWith("deepseek-")) return new Spelled("", Vendor.DEEPSEEK, s);
    if (lower.startsWith("gpt-") || lower.startsWith("chatgpt-") || lower.matches("o[1-9](-.*)?")) {
      return new Spelled("", Vendor.OPENAI, s);
    }
    return new Spelled(slash > 0 ? s.substring(0, slash) : "", null, s);
  }

  /** Whether the prefix names a LiteLLM provider we know but cannot call (Azure, Bedrock, Vertex, …). */
  public static boolean unsupported(Spelled s) {
    return s.vendor() == null && OTHER_PROTOCOLS.contains(s.prefix());
  }
}
