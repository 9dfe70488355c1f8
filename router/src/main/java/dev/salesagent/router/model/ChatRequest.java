package dev.salesagent.router.model;

import java.util.List;
import java.util.Objects;

/**
 * A provider-neutral chat request: what to ask, not where to send it.
 *
 * @param maxTokens         upper bound of output tokens, {@code null} = the adapter's default (Anthropic requires one: 1024)
 * @param temperature       {@code null} = the provider's default
 * @param stop              stop sequences, never null
 * @param tools             functions the model may call, never null
 * @param toolChoice        whether/which tool must be called; never null ({@link ToolChoice#AUTO} by default), only
 *                          sent when {@code tools} is not empty
 * @param parallelToolCalls {@code false} = at most one call per answer; {@code null} = the provider's default (allowed)
 * @param thinking          reasoning the caller asked for, {@code null} = none asked (providers that think by default
 *                          are told not to where they can be)
 */
public record ChatRequest(
    List<Message> messages,
    Integer maxTokens,
    Double temperature,
    List<String> stop,
    ResponseFormat responseFormat,
    List<ToolSpec> tools,
    ToolChoice toolChoice,
    Boolean parallelToolCalls,
    Thinking thinking) {

  public ChatRequest {
    Objects.requireNonNull(messages, "messages");
    messages = List.copyOf(messages);
    stop = stop == null ? List.of() : List.copyOf(stop);
    tools = tools == null ? List.of() : List.copyOf(tools);
    responseFormat = responseFormat == null ? ResponseFormat.TEXT : responseFormat;
    toolChoice = toolChoice == null ? ToolChoice.AUTO : toolChoice;
    if (maxTokens != null && maxTokens < 1) {
      throw new IllegalArgumentException("max_tokens must be at least 1, got " + maxTokens);
    }
    if (toolChoice instanceof ToolChoice.Named n && tools.stream().noneMatch(t -> t.name().equals(n.name()))) {
      throw new IllegalArgumentException("tool_choice names '" + n.name() + "', which is not among the offered tools");
    }
  }

  public ChatRequest(List<Message> messages, Integer maxTokens, Double temperature, List<String> stop,
      ResponseFormat responseFormat, List<ToolSpec> tools, ToolChoice toolChoice, Boolean parallelToolCalls) {
    this(messages, maxTokens, temperature, stop, responseFormat, tools, toolChoice, parallelToolCalls, null);
  }

  public ChatRequest(List<Message> messages, Integer maxTokens, Double temperature, List<String> stop,
      ResponseFormat responseFormat, List<ToolSpec> tools) {
    this(messages, maxTokens, temperature, stop, responseFormat, tools, ToolChoice.AUTO, null);
  }

  public static ChatRequest of(List<Message> messages) {
    return new ChatRequest(messages, null, null, List.of(), ResponseFormat.TEXT, List.of());
  }

  public static ChatRequest user(String prompt) {
    return of(List.of(Message.user(prompt)));
  }

  public ChatRequest withMessages(List<Message> newMessages) {
    return new ChatRequest(newMessages, maxTokens, temperature, stop, responseFormat, tools, toolChoice, parallelToolCalls,
        thinking);
  }

  public ChatRequest withMaxTokens(Integer n) {
    return new ChatRequest(messages, n, temperature, stop, responseFormat, tools, toolChoice, parallelToolCalls, thinking);
  }

  public ChatRequest withResponseFormat(ResponseFormat f) {
    return new ChatRequest(messages, maxTokens, temperature, stop, f, tools, toolChoice, parallelToolCalls, thinking);
  }

  public ChatRequest withTools(List<ToolSpec> newTools, ToolChoice choice) {
    return new ChatRequest(messages, maxTokens, temperature, stop, responseFormat, newTools, choice, parallelToolCalls,
        thinking);
  }

  public ChatRequest withParallelToolCalls(Boolean parallel) {
    return new ChatRequest(messages, maxTokens, temperature, stop, responseFormat, tools, toolChoice, parallel, thinking);
  }

  public ChatRequest withThinking(Thinking t) {
    return new ChatRequest(messages, maxTokens, temperature, stop, responseFormat, tools, toolChoice, parallelToolCalls, t);
  }

  /** Some message carries an image (the request needs a model with vision). */
  public boolean hasImages() {
    for (int i = 0; i < messages.size(); i++) if (messages.get(i).hasImages()) return true;
    return false;
  }

  /** The request offers tools, or its history holds tool calls or results (the request needs a model with tools). */
  public boolean usesTools() {
    if (!tools.isEmpty()) return true;
    for (int i = 0; i < messages.size(); i++) {
      Message m = messages.get(i);
      if (m.role() == Role.TOOL) return true;
      if (m.role() == Role.ASSISTANT && !m.isPlainText() && !m.toolCalls().isEmpty()) return true;
    }
    return false;
  }

  /** Some message holds structured parts (the fast plain-text encoders do not apply). */
  public boolean hasParts() {
    for (int i = 0; i < messages.size(); i++) if (!messages.get(i).isPlainText()) return true;
    return false;
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
