package dev.salesagent.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** The deterministic answer to a {@link ChatRequest}: the pieces to emit and how the answer ends. */
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

  private Answer(List<String> pieces, Finish finish, int inputTokens, boolean tool, String stopSequence, List<String> reasoningPieces) {
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
  static String fullText(ChatRequest r) {
    long h = r.conversationHash();
    return switch (r.mode) {
      case TEXT -> TextGenerator.prose(h);
      case JSON_OBJECT -> Wire.compact(SchemaInstanceGenerator.smallObject(h, r.lastUserText()));
      case JSON_SCHEMA, TOOL -> {
        JsonNode inst = SchemaInstanceGenerator.generate(r.schema, h, r.lastUserText(), r.allPromptText());
        yield Wire.compact(inst);
      }
    };
  }

  static Answer of(ChatRequest r) {
    String full = fullText(r);
    String rest = full;
    boolean tool = r.mode == ChatRequest.Mode.TOOL;
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
    return new Answer(List.copyOf(pieces), finish, r.inputTokens(), tool, matched, reasoning);
  }
}
