package dev.salesagent.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** The deterministic answer to a {@link IncomingChat}: the pieces to emit and how the answer ends. */
final class Answer {
  enum Finish { STOP, LENGTH, TOOL }

  final List<String> pieces;
  final String text;
  final Finish finish;
  final int inputTokens;
  final boolean tool;
  /** The stop sequence that ended the answer, or null. */
  final String stopSequence;
  /** Reasoning pieces streamed before the answer (empty unless requested). */
  final List<String> reasoningPieces;
  final String reasoning;
  /** The tool calls (one per called tool, in order); empty for a text or JSON answer. */
  final List<Call> calls;
  /** Prompt-cache tokens read / written (both within {@link #inputTokens}). */
  final int cacheRead;
  final int cacheCreated;

  /** One tool call: the tool's name, its JSON arguments and their streamed fragments (each one output token). */
  record Call(String name, String arguments, List<String> pieces) {}

  private Answer(List<String> pieces, Finish finish, int inputTokens, boolean tool, String stopSequence, List<String> reasoningPieces,
                 List<Call> calls, PromptCache.Use cache) {
    this.calls = calls;
    this.cacheRead = Math.min(cache.read(), inputTokens);
    this.cacheCreated = Math.min(cache.created(), inputTokens - cacheRead);
    this.reasoningPieces = reasoningPieces;
    this.reasoning = String.join("", reasoningPieces);
    this.pieces = pieces;
    this.text = String.join("", pieces);
    this.finish = finish;
    this.inputTokens = inputTokens;
    this.tool = tool;
    this.stopSequence = stopSequence;
  }

  /** Output tokens: answer pieces plus reasoning pieces (providers count reasoning as output). */
  int outputTokens() {
    return pieces.size() + reasoningPieces.size();
  }

  boolean hasReasoning() {
    return !reasoningPieces.isEmpty();
  }

  /** The full (uncut, un-prefilled) answer text for a request. */
  static String fullText(IncomingChat r) {
    long h = r.conversationHash();
    return switch (r.mode) {
      case TEXT -> lead(r) + TextGenerator.prose(h);
      case JSON_OBJECT -> Wire.compact(SchemaInstanceGenerator.smallObject(h, r.lastUserText()));
      case TOOL -> ToolCalls.arguments(r.calls.isEmpty() ? new IncomingChat.Tool(r.toolName, r.schema) : r.calls.get(0), h,
          r.lastUserText(), r.allPromptText());
      case JSON_SCHEMA -> {
        JsonNode inst = SchemaInstanceGenerator.generate(r.schema, h, r.lastUserText(), r.allPromptText());
        yield Wire.compact(inst);
      }
    };
  }

  /** Image acknowledgements and tool results quoted verbatim, before the prose ("" for plain conversations). */
  private static String lead(IncomingChat r) {
    if (r.images.isEmpty() && r.toolResults.isEmpty()) return "";
    StringBuilder sb = new StringBuilder();
    for (String i : r.images) sb.append(i).append(' ');
    for (String t : r.toolResults) sb.append("Tool result: ").append(t).append('\n');
    return sb.toString();
  }

  static Answer of(IncomingChat r) {
    if (r.calls.size() > 1) return parallel(r);
    String full = fullText(r);
    String rest = full;
    boolean tool = r.mode == IncomingChat.Mode.TOOL;
    if (!tool && r.prefill != null && !r.prefill.isEmpty() && full.startsWith(r.prefill)) {
      rest = full.substring(r.prefill.length());
    }
    String matched = null;
    if (!tool && !r.stops.isEmpty()) {
      int at = -1;
      for (String s : r.stops) {
        int i = rest.indexOf(s);
        if (i >= 0 && (at < 0 || i < at)) {
          at = i;
          matched = s;
        }
      }
      if (at >= 0) rest = rest.substring(0, at);
    }
    List<String> pieces = TextGenerator.pieces(rest);
    Finish finish = tool ? Finish.TOOL : Finish.STOP;
    if (r.maxTokens != null && r.maxTokens >= 0 && pieces.size() > r.maxTokens) {
      pieces = pieces.subList(0, r.maxTokens);
      finish = Finish.LENGTH;
      matched = null;
    }
    List<String> reasoning = r.reasoning ? TextGenerator.pieces(TextGenerator.reasoning(r.conversationHash(), r.lastUserText())) : List.of();
    pieces = List.copyOf(pieces);
    List<Call> calls = tool ? List.of(new Call(r.toolName, String.join("", pieces), pieces)) : List.of();
    return new Answer(pieces, finish, r.inputTokens(), tool, matched, reasoning, calls, r.cache);
  }

  /** Parallel tool calls: each call's arguments whole (max_tokens and stop sequences do not cut them). */
  private static Answer parallel(IncomingChat r) {
    long h = r.conversationHash();
    List<Call> calls = new ArrayList<>(r.calls.size());
    List<String> all = new ArrayList<>();
    for (int k = 0; k < r.calls.size(); k++) {
      IncomingChat.Tool t = r.calls.get(k);
      String args = ToolCalls.arguments(t, ToolCalls.seed(h, k, t.name()), r.lastUserText(), r.allPromptText());
      List<String> pieces = List.copyOf(TextGenerator.pieces(args));
      calls.add(new Call(t.name(), args, pieces));
      all.addAll(pieces);
    }
    List<String> reasoning = r.reasoning ? TextGenerator.pieces(TextGenerator.reasoning(h, r.lastUserText())) : List.of();
    return new Answer(List.copyOf(all), Finish.TOOL, r.inputTokens(), true, null, reasoning, List.copyOf(calls), r.cache);
  }
}
