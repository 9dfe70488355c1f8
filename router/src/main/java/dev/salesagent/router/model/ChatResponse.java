package dev.salesagent.router.model;

import java.util.ArrayList;
import java.util.List;

/**
 * One provider's complete answer, normalised.
 *
 * @param text          visible answer text, {@code ""} when there is none (never reasoning)
 * @param reasoning     reasoning/thinking text kept apart, {@code null} when none
 * @param reasoningSignature the provider's signature over that reasoning (Anthropic: it must come back unchanged with
 *                      the thinking in a tool loop), {@code null} when none
 * @param toolCalls     the calls the model asked for, in the provider's order (parallel calls keep it), never null
 * @param nativeFinishReason the provider's own stop value, for logs
 * @param latencyMs     from sending the request to the last byte
 * @param timeToFirstTokenMs from sending to the first content byte; {@code null} for non-streaming calls
 */
public record ChatResponse(
    String id,
    String provider,
    String model,
    String text,
    String reasoning,
    List<ToolCall> toolCalls,
    FinishReason finishReason,
    String nativeFinishReason,
    Usage usage,
    long latencyMs,
    Long timeToFirstTokenMs,
    String reasoningSignature) {

  public ChatResponse {
    text = text == null ? "" : text;
    toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    usage = usage == null ? Usage.UNKNOWN : usage;
  }

  public ChatResponse(String id, String provider, String model, String text, String reasoning, List<ToolCall> toolCalls,
      FinishReason finishReason, String nativeFinishReason, Usage usage, long latencyMs, Long timeToFirstTokenMs) {
    this(id, provider, model, text, reasoning, toolCalls, finishReason, nativeFinishReason, usage, latencyMs,
        timeToFirstTokenMs, null);
  }

  /**
   * The answer as the assistant turn of the next request (tool loops): text and tool calls; reasoning is left out
   * (providers that want it back need its signature, which only their own dialect carries).
   */
  public Message toMessage() {
    if (toolCalls.isEmpty()) return Message.assistant(text);
    List<ContentPart> parts = new ArrayList<>(toolCalls.size() + 1);
    if (!text.isEmpty()) parts.add(new ContentPart.Text(text));
    parts.addAll(toolCalls);
    return Message.of(Role.ASSISTANT, parts);
  }
}
