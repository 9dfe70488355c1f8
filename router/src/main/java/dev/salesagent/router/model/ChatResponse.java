package dev.salesagent.router.model;

import java.util.List;

/**
 * One provider's complete answer, normalised.
 *
 * @param text          visible answer text, {@code ""} when there is none (never reasoning)
 * @param reasoning     reasoning/thinking text kept apart, {@code null} when none
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
    Long timeToFirstTokenMs) {

  public ChatResponse {
    text = text == null ? "" : text;
    toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    usage = usage == null ? Usage.UNKNOWN : usage;
  }
}
