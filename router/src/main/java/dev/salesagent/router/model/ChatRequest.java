package dev.salesagent.router.model;

import java.util.List;
import java.util.Objects;

/**
 * A provider-neutral chat request: what to ask, not where to send it.
 *
 * @param maxTokens   upper bound of output tokens, {@code null} = the adapter's default (Anthropic requires one: 1024)
 * @param temperature {@code null} = the provider's default
 * @param stop        stop sequences, never null
 * @param tools       functions the model may call, never null
 */
public record ChatRequest(
    List<Message> messages,
    Integer maxTokens,
    Double temperature,
    List<String> stop,
    ResponseFormat responseFormat,
    List<ToolSpec> tools) {

  public ChatRequest {
    Objects.requireNonNull(messages, "messages");
    messages = List.copyOf(messages);
    stop = stop == null ? List.of() : List.copyOf(stop);
    tools = tools == null ? List.of() : List.copyOf(tools);
    responseFormat = responseFormat == null ? ResponseFormat.TEXT : responseFormat;
    if (maxTokens != null && maxTokens < 1) {
      throw new IllegalArgumentException("max_tokens must be at least 1, got " + maxTokens);
    }
  }

  public static ChatRequest of(List<Message> messages) {
    return new ChatRequest(messages, null, null, List.of(), ResponseFormat.TEXT, List.of());
  }

  public static ChatRequest user(String prompt) {
    return of(List.of(Message.user(prompt)));
  }

  public ChatRequest withMessages(List<Message> newMessages) {
    return new ChatRequest(newMessages, maxTokens, temperature, stop, responseFormat, tools);
  }

  public ChatRequest withMaxTokens(Integer n) {
    return new ChatRequest(messages, n, temperature, stop, responseFormat, tools);
  }

  public ChatRequest withResponseFormat(ResponseFormat f) {
    return new ChatRequest(messages, maxTokens, temperature, stop, f, tools);
  }

  /** The system text, all system messages joined by a blank line, or {@code null}. */
  public String systemText() {
    StringBuilder sb = null;
    for (Message m : messages) {
      if (m.role() == Role.SYSTEM) {
        if (sb == null) sb = new StringBuilder(); else sb.append("\n\n");
        sb.append(m.content());
      }
    }
    return sb == null ? null : sb.toString();
  }
}
