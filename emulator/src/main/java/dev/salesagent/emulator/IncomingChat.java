package dev.salesagent.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** A chat request normalised across the three wire protocols. */
final class IncomingChat {
  enum Mode { TEXT, JSON_OBJECT, JSON_SCHEMA, TOOL }

  record Msg(String role, String text) {}

  /** A tool offered by the request: its name and the JSON schema of its arguments. */
  record Tool(String name, JsonNode schema) {}

  final String protocol;
  String model = "";
  boolean stream;
  Integer maxTokens;
  boolean includeUsage;
  final StringBuilder system = new StringBuilder();
  final List<Msg> messages = new ArrayList<>();
  /** Text of a trailing assistant message (prefill) to continue, or null. */
  String prefill;
  /** The trailing assistant message carried DeepSeek's {@code "prefix": true} (only accepted on the beta path). */
  boolean prefixMode;
  Mode mode = Mode.TEXT;
  JsonNode schema;
  String toolName;
  /** Reasoning requested (Anthropic thinking, DeepSeek thinking / reasoning_effort, Ollama think). */
  boolean reasoning;
  /** OpenAI-compatible reasoning delta field: "reasoning_content" (DeepSeek) or "reasoning" (Cerebras, Ollama /v1). */
  String reasoningField = "reasoning_content";

  /** Stop sequences (Anthropic stop_sequences, OpenAI stop, Ollama options.stop). */
  final List<String> stops = new ArrayList<>();

  void addStops(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) return;
    if (n.isTextual()) {
      if (!n.asText().isEmpty()) stops.add(n.asText());
    } else if (n.isArray()) {
      for (JsonNode s : n) if (s.isTextual() && !s.asText().isEmpty()) stops.add(s.asText());
    }
  }

  /** Offered tools, in request order. */
  final List<Tool> tools = new ArrayList<>();
  /** Tool choice {@code none} (a text answer even when tools are offered). */
  boolean toolChoiceNone;
  /** The last turn holds tool results (answered with text quoting them). */
  boolean lastTurnToolResults;
  /** The contents of the last turn's tool results, in order. */
  final List<String> toolResults = new ArrayList<>();
  /** The tools to call, decided by {@link #decideTools()}; empty for a text (or JSON) answer. */
  List<Tool> calls = List.of();
  /** Acknowledgements of the image inputs ({@code [image <media type> <bytes> bytes]}), in order. */
  final List<String> images = new ArrayList<>();
  /** Prompt-cache breakpoints (Anthropic cache_control blocks; OpenAI-compatible message boundaries). */
  final List<PromptCache.Breakpoint> cacheBreakpoints = new ArrayList<>();
  /** The cache's answer for this request (set when it is answered, not when parsed). */
  PromptCache.Use cache = PromptCache.Use.NONE;

  /** Extra prompt characters (tool definitions, schemas) that count as input tokens. */
  int extraPromptChars;

  IncomingChat(String protocol) {
    this.protocol = protocol;
  }

  void addSystem(String text) {
    if (text == null || text.isEmpty()) return;
    if (system.length() > 0) system.append('\n');
    system.append(text);
  }

  /** Moves a trailing assistant message into {@link #prefill}. */
  void splitPrefill() {
    if (!messages.isEmpty() && messages.get(messages.size() - 1).role().equals("assistant")) {
      prefill = messages.remove(messages.size() - 1).text();
    }
  }

  /**
   * The contract's tool decision: tools offered, choice not {@code none}, last turn the user's (not tool results) ⇒ a
   * forced tool ({@link #toolName}) alone, else every offered tool named in the last user text (order of first
   * occurrence), else the first offered tool.
   */
  void decideTools() {
    if (tools.isEmpty() || toolChoiceNone || lastTurnToolResults) {
      if (mode == Mode.TOOL) mode = Mode.TEXT; // a forced choice answering tool results: text quoting them
      return;
    }
    if (mode == Mode.TOOL) {
      for (Tool t : tools) if (t.name().equals(toolName)) calls = List.of(t);
      return;
    }
    calls = ToolCalls.named(tools, lastUserText());
    if (calls.isEmpty()) calls = List.of(tools.get(0));
    mode = Mode.TOOL;
    toolName = calls.get(0).name();
    schema = calls.get(0).schema();
  }

  String lastUserText() {
    for (int i = messages.size() - 1; i >= 0; i--) if (messages.get(i).role().equals("user")) return messages.get(i).text();
    return "";
  }

  String allPromptText() {
    StringBuilder sb = new StringBuilder(system);
    for (Msg m : messages) sb.append('\n').append(m.text());
    return sb.toString();
  }

  /** Hash of the conversation (system + messages, not the prefill, model or protocol): same prompt ⇒ same answer everywhere. */
  long conversationHash() {
    long h = TextGenerator.hash(TextGenerator.SEED, "system");
    h = TextGenerator.hash(h, system.toString());
    for (Msg m : messages) {
      h = TextGenerator.hash(h, m.role());
      h = TextGenerator.hash(h, m.text());
    }
    return h;
  }

  int inputTokens() {
    int n = 3;
    if (system.length() > 0) n += ceil4(system.length()) + 4;
    for (Msg m : messages) n += ceil4(m.text().length()) + 4;
    if (prefill != null) n += ceil4(prefill.length()) + 4;
    n += ceil4(extraPromptChars);
    return n;
  }

  private static int ceil4(int chars) {
    return (chars + 3) / 4;
  }
}
