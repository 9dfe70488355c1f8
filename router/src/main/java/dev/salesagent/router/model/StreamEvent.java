package dev.salesagent.router.model;

/** Content as it arrives from a streaming call. The end of a stream is not an event: see {@code ChatStream#result()}. */
public sealed interface StreamEvent {
  /** A fragment of the visible answer. */
  record TextDelta(String text) implements StreamEvent {}

  /** A fragment of reasoning/thinking text, never part of the answer. */
  record ReasoningDelta(String text) implements StreamEvent {}

  /**
   * The provider's signature over the reasoning streamed so far (Anthropic's {@code signature_delta}). Empty: that
   * reasoning ends unsigned — its attempt failed before the provider signed it, and the next attempt's reasoning is new
   * (the router says so before a continuation).
   */
  record ReasoningSignature(String signature) implements StreamEvent {}

  /** A fragment of a tool call: {@code id} and {@code name} on the first fragment of {@code index}, then argument pieces. */
  record ToolCallDelta(int index, String id, String name, String argumentsFragment) implements StreamEvent {}
}
