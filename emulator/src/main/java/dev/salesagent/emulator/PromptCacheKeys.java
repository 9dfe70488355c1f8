package dev.salesagent.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The prompt-cache breakpoints of a request ({@link PromptCache}): the hash of the prompt up to each breakpoint, with
 * its token count by the emulator's usual estimate (3 + chars/4 + 4 per message). Hashes are scoped by protocol and
 * model and ignore the {@code cache_control} markers themselves (a client moves its breakpoint as the conversation grows).
 */
final class PromptCacheKeys {
  private PromptCacheKeys() {}

  private static final class Prefix {
    long hash;
    int chars;
    int messages;

    Prefix(String protocol, String model) {
      hash = TextGenerator.hash(TextGenerator.hash(TextGenerator.SEED, protocol), model);
    }

    void add(String s, int chars) {
      hash = TextGenerator.hash(hash, s);
      this.chars += chars;
    }

    PromptCache.Breakpoint breakpoint() {
      return new PromptCache.Breakpoint(hash, 3 + (chars + 3) / 4 + 4 * messages);
    }
  }

  /** Anthropic: a breakpoint after each tool, system block or content block marked {@code cache_control} (order tools, system, messages). */
  static void anthropic(JsonNode body, IncomingChat r) {
    Prefix p = new Prefix("anthropic", r.model);
    for (JsonNode t : body.path("tools")) block(p, t, t.toString().length(), r);
    JsonNode sys = body.get("system");
    if (sys != null && sys.isTextual()) {
      p.messages++;
      p.add(sys.asText(), sys.asText().length());
    } else if (sys != null && sys.isArray()) {
      p.messages++;
      for (JsonNode b : sys) block(p, b, Protocol.text(b.get("text")).length(), r);
    }
    for (JsonNode m : body.path("messages")) {
      p.messages++;
      p.add(m.path("role").asText(""), 0);
      JsonNode c = m.get("content");
      if (c != null && c.isTextual()) p.add(c.asText(), c.asText().length());
      else if (c != null && c.isArray()) for (JsonNode b : c) block(p, b, AnthropicProtocol.blocksText(b.isObject() ? arrayOf(b) : b).length(), r);
    }
  }

  private static JsonNode arrayOf(JsonNode b) {
    return Wire.MAPPER.createArrayNode().add(b);
  }

  private static void block(Prefix p, JsonNode b, int chars, IncomingChat r) {
    JsonNode key = b;
    if (b.isObject() && b.has("cache_control")) {
      ObjectNode o = b.deepCopy();
      o.remove("cache_control");
      key = o;
    }
    p.add(key.toString(), chars);
    if (b.path("cache_control").isObject()) r.cacheBreakpoints.add(p.breakpoint());
  }

  /** OpenAI-compatible automatic caching: a breakpoint after every message (tools first). */
  static void openAi(JsonNode body, IncomingChat r) {
    Prefix p = new Prefix("openai", r.model);
    JsonNode tools = body.get("tools");
    if (tools != null && tools.isArray()) p.add(tools.toString(), tools.toString().length());
    for (JsonNode m : body.path("messages")) {
      p.messages++;
      p.add(m.toString(), OpenAiProtocol.contentText(m.get("content")).length());
      r.cacheBreakpoints.add(p.breakpoint());
    }
  }
}
