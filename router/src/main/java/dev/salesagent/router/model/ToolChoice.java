package dev.salesagent.router.model;

import java.util.Objects;

/**
 * Whether and which tool the model must call. Sent only when the request offers tools. Each adapter says it in its
 * provider's words; a provider without a tool choice on the wire (Ollama) has it enforced by its adapter.
 */
public sealed interface ToolChoice {
  /** The model decides (every provider's default). */
  record Auto() implements ToolChoice {}

  /** No tool call: a text answer. */
  record None() implements ToolChoice {}

  /** At least one tool call, any tool (OpenAI {@code required}, Anthropic {@code any}). */
  record Required() implements ToolChoice {}

  /** Exactly this tool. */
  record Named(String name) implements ToolChoice {
    public Named {
      Objects.requireNonNull(name, "name");
    }
  }

  ToolChoice AUTO = new Auto();
  ToolChoice NONE = new None();
  ToolChoice REQUIRED = new Required();

  static ToolChoice named(String name) {
    return new Named(name);
  }
}
