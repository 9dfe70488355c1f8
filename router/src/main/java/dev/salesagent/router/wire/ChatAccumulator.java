package dev.salesagent.router.wire;

import dev.salesagent.router.model.ChatResponse;
import dev.salesagent.router.model.FinishReason;
import dev.salesagent.router.model.StreamEvent;
import dev.salesagent.router.model.ToolCall;
import dev.salesagent.router.model.Usage;
import io.vertx.core.Handler;
import java.util.ArrayList;
import java.util.List;

/**
 * What a response has said so far, whatever the protocol: text, reasoning, tool calls, finish reason, usage, and how
 * it ended (complete, or a {@link WireFailure}). Parsers write into it; in streaming mode each fragment is also handed
 * to the event sink as it arrives. Once {@link #finished()} it ignores further input.
 */
public final class ChatAccumulator {
  private static final Handler<StreamEvent> NO_EVENTS = e -> {};

  private final Handler<StreamEvent> sink;
  private String id;
  private String model;
  private StringBuilder text;
  private StringBuilder reasoning;
  private String reasoningSignature;
  private final List<Tool> tools = new ArrayList<>(0);
  private String nativeFinish;
  private FinishReason finish;
  private Integer inputTokens;
  private Integer outputTokens;
  private Integer cachedTokens;
  private Integer cacheWriteTokens;
  private boolean usageSeen;
  private boolean contentSeen;
  private long firstContentNanos;
  private boolean complete;
  private WireFailure failure;

  private static final class Tool {
    String id;
    String name;
    final StringBuilder args = new StringBuilder();
  }

  public ChatAccumulator(Handler<StreamEvent> sink) {
    this.sink = sink == null ? NO_EVENTS : sink;
  }

  /** An accumulator that emits no events (non-streaming parses, tests). */
  public static ChatAccumulator collecting() {
    return new ChatAccumulator(null);
  }

  // ---- writes ----

  public void id(String v) { if (v != null && id == null) id = v; }

  public void model(String v) { if (v != null && model == null) model = v; }

  public void text(String s) {
    if (s == null || s.isEmpty() || finished()) return;
    if (text == null) text = new StringBuilder(256);
    text.append(s);
    content();
    sink.handle(new StreamEvent.TextDelta(s));
  }

  public void reasoning(String s) {
    if (s == null || s.isEmpty() || finished()) return;
    if (reasoning == null) reasoning = new StringBuilder(256);
    reasoning.append(s);
    content();
    sink.handle(new StreamEvent.ReasoningDelta(s));
  }

  /** The provider's signature over the reasoning (Anthropic sends it whole, just before the thinking block ends). */
  public void reasoningSignature(String s) {
    if (s == null || s.isEmpty() || finished()) return;
    reasoningSignature = reasoningSignature == null ? s : reasoningSignature + s;
    sink.handle(new StreamEvent.ReasoningSignature(s));
  }

  /** Starts (or names) tool call {@code index}; emits the first fragment with id and name. */
  public void toolStart(int index, String toolId, String name) {
    if (finished()) return;
    Tool t = tool(index);
    if (toolId != null) t.id = toolId;
    if (name != null) t.name = name;
    content();
    sink.handle(new StreamEvent.ToolCallDelta(index, toolId, name, ""));
  }

  public void toolArgs(int index, String fragment) {
    if (fragment == null || fragment.isEmpty() || finished()) return;
    tool(index).args.append(fragment);
    content();
    sink.handle(new StreamEvent.ToolCallDelta(index, null, null, fragment));
  }

  /** A whole tool call at once (non-streaming bodies, Ollama). */
  public void toolCall(int index, String toolId, String name, String argumentsJson) {
    if (finished()) return;
    Tool t = tool(index);
    t.id = toolId;
    t.name = name;
    if (argumentsJson != null) t.args.append(argumentsJson);
    content();
    sink.handle(new StreamEvent.ToolCallDelta(index, toolId, name, argumentsJson == null ? "" : argumentsJson));
  }

  public void finish(String nativeReason, FinishReason normalised) {
    if (nativeReason != null) nativeFinish = nativeReason;
    if (normalised != null) finish = normalised;
  }

  /** Records reported usage; {@code null} arguments keep what was known. */
  public void usage(Integer input, Integer output, Integer cached) {
    usage(input, output, cached, null);
  }

  /** As {@link #usage(Integer, Integer, Integer)}, with the prompt tokens written to the provider's cache. */
  public void usage(Integer input, Integer output, Integer cached, Integer cacheWrite) {
    usageSeen = true;
    if (input != null) inputTokens = input;
    if (output != null) outputTokens = output;
    if (cached != null) cachedTokens = cached;
    if (cacheWrite != null) cacheWriteTokens = cacheWrite;
  }

  /** The terminator arrived: the answer is whole. */
  public void complete() {
    if (failure == null) complete = true;
  }

  /** The answer failed; the first failure wins. */
  public void fail(WireFailure f) {
    if (!finished()) failure = f;
  }

  private void content() {
    if (!contentSeen) {
      contentSeen = true;
      firstContentNanos = System.nanoTime();
    }
  }

  private Tool tool(int index) {
    while (tools.size() <= index) tools.add(new Tool());
    return tools.get(index);
  }

  // ---- reads ----

  public boolean finished() { return complete || failure != null; }

  public boolean isComplete() { return complete; }

  public WireFailure failure() { return failure; }

  public boolean contentSeen() { return contentSeen; }

  /** {@link System#nanoTime()} of the first content fragment, 0 if none yet. */
  public long firstContentNanos() { return firstContentNanos; }

  public boolean usageSeen() { return usageSeen; }

  public String id() { return id; }

  public String model() { return model; }

  /** Visible text so far, {@code null} when none. */
  public String text() { return text == null ? null : text.toString(); }

  public String reasoning() { return reasoning == null ? null : reasoning.toString(); }

  public String reasoningSignature() { return reasoningSignature; }

  public String nativeFinish() { return nativeFinish; }

  public FinishReason finishReason() { return finish; }

  public boolean hasToolCalls() { return !tools.isEmpty(); }

  public Usage usage() {
    if (inputTokens == null && outputTokens == null && cachedTokens == null) return Usage.UNKNOWN;
    return new Usage(inputTokens, outputTokens, cachedTokens, cacheWriteTokens);
  }

  public List<ToolCall> toolCalls() {
    if (tools.isEmpty()) return List.of();
    List<ToolCall> out = new ArrayList<>(tools.size());
    for (Tool t : tools) {
      if (t.name == null && t.args.length() == 0) continue;
      String args = t.args.length() == 0 ? "{}" : t.args.toString();
      out.add(new ToolCall(t.id, t.name, args));
    }
    return out;
  }

  /**
   * The normalised answer.
   *
   * @param fallbackModel model to report when the provider echoed none
   */
  public ChatResponse toResponse(String provider, String fallbackModel, long latencyMs, Long ttftMs) {
    FinishReason fr = finish != null ? finish : (hasToolCalls() ? FinishReason.TOOL_CALLS : FinishReason.STOP);
    return new ChatResponse(id, provider, model != null ? model : fallbackModel, text(), reasoning(), toolCalls(), fr,
        nativeFinish, usage(), latencyMs, ttftMs, reasoningSignature);
  }
}
