package dev.salesagent.router.provider.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.salesagent.router.model.FinishReason;
import dev.salesagent.router.wire.ChatAccumulator;
import dev.salesagent.router.wire.WireJson;
import java.io.IOException;

/**
 * The common case of a non-streaming Chat Completions answer — an object with {@code choices}, a first choice with a
 * text {@code message}, usage — read token by token instead of through a Jackson tree: every plain answer passes
 * here, and the tree was most of the work and allocation of reading one.
 *
 * <p>It reads only that shape. Anything else — an error payload (a top-level {@code error}, or Cerebras' flat
 * {@code message} and {@code type}), no choices, tool calls, a number that is not a plain int, a field of an
 * unexpected type, JSON that does not parse — makes {@link #read} return {@code null}, and the caller reads the body
 * as a tree, which has the last word on every such case. Field semantics match the tree reading: text fields that
 * are not strings count as absent, the last of duplicate keys wins, trailing bytes after the object are ignored.
 */
final class OpenAiAnswerReader {
  private OpenAiAnswerReader() {}

  /** The fields of a plain answer. */
  private static final class Answer {
    String id;
    String model;
    boolean usage;
    Integer promptTokens;
    Integer completionTokens;
    Integer cachedTokens;
    Integer cacheHitTokens;
    boolean choice;
    boolean message;
    String reasoningContent;
    String reasoning;
    String content;
    String finishReason;
  }

  /** Thrown to leave the fast path: the tree reading takes the body. */
  private static final class NotPlain extends Exception {
    static final NotPlain INSTANCE = new NotPlain();

    private NotPlain() {
      super(null, null, false, false);
    }
  }

  /** The accumulator of a plain answer, or {@code null} when the body is anything else. */
  static ChatAccumulator read(byte[] body, int off, int len) {
    Answer a = new Answer();
    try (JsonParser p = WireJson.parser(body, off, len)) {
      if (p.nextToken() != JsonToken.START_OBJECT) return null;
      root(p, a);
    } catch (NotPlain | IOException | RuntimeException e) {
      return null;
    }
    if (!a.choice) return null;
    ChatAccumulator acc = ChatAccumulator.collecting();
    acc.id(a.id);
    acc.model(a.model);
    if (a.usage) acc.usage(a.promptTokens, a.completionTokens, a.cachedTokens != null ? a.cachedTokens : a.cacheHitTokens);
    if (a.message) {
      acc.reasoning(a.reasoningContent);
      acc.reasoning(a.reasoning);
      acc.text(a.content);
    }
    OpenAiCodec.applyFinish(acc, a.finishReason);
    if (acc.finishReason() == null && acc.failure() == null) acc.finish(null, FinishReason.STOP);
    acc.complete();
    return acc;
  }

  private static void root(JsonParser p, Answer a) throws IOException, NotPlain {
    String f;
    while ((f = p.nextFieldName()) != null) {
      JsonToken t = p.nextToken();
      switch (f) {
        case "id" -> a.id = text(p, t);
        case "model" -> a.model = text(p, t);
        case "usage" -> usage(p, t, a);
        case "choices" -> choices(p, t, a);
        case "error", "message", "type" -> throw NotPlain.INSTANCE; // maybe an error payload
        default -> p.skipChildren();
      }
    }
  }

  private static void usage(JsonParser p, JsonToken t, Answer a) throws IOException, NotPlain {
    a.usage = false;
    a.promptTokens = a.completionTokens = a.cachedTokens = a.cacheHitTokens = null;
    if (t != JsonToken.START_OBJECT) {
      p.skipChildren(); // null or not an object: nothing reported
      return;
    }
    a.usage = true;
    String f;
    while ((f = p.nextFieldName()) != null) {
      JsonToken v = p.nextToken();
      switch (f) {
        case "prompt_tokens" -> a.promptTokens = integer(p, v);
        case "completion_tokens" -> a.completionTokens = integer(p, v);
        case "prompt_cache_hit_tokens" -> a.cacheHitTokens = integer(p, v);
        case "prompt_tokens_details" -> {
          a.cachedTokens = null;
          if (v != JsonToken.START_OBJECT) {
            p.skipChildren();
            continue;
          }
          String g;
          while ((g = p.nextFieldName()) != null) {
            JsonToken w = p.nextToken();
            if (g.equals("cached_tokens")) a.cachedTokens = integer(p, w);
            else p.skipChildren();
          }
        }
        default -> p.skipChildren();
      }
    }
  }

  private static void choices(JsonParser p, JsonToken t, Answer a) throws IOException, NotPlain {
    if (t != JsonToken.START_ARRAY) throw NotPlain.INSTANCE;
    a.choice = a.message = false;
    a.reasoningContent = a.reasoning = a.content = a.finishReason = null;
    JsonToken e = p.nextToken();
    if (e == JsonToken.END_ARRAY) throw NotPlain.INSTANCE; // no choices: the tree reading reports it
    if (e != JsonToken.START_OBJECT) throw NotPlain.INSTANCE;
    a.choice = true;
    String f;
    while ((f = p.nextFieldName()) != null) {
      JsonToken v = p.nextToken();
      switch (f) {
        case "message" -> message(p, v, a);
        case "finish_reason" -> a.finishReason = text(p, v);
        default -> p.skipChildren();
      }
    }
    for (JsonToken next = p.nextToken(); next != JsonToken.END_ARRAY; next = p.nextToken()) {
      if (next == null) throw NotPlain.INSTANCE; // cut short (the parser normally says so itself)
      p.skipChildren(); // the other choices are not read
    }
  }

  private static void message(JsonParser p, JsonToken t, Answer a) throws IOException, NotPlain {
    a.message = false;
    a.reasoningContent = a.reasoning = a.content = null;
    if (t == JsonToken.VALUE_NULL) return;
    if (t != JsonToken.START_OBJECT) throw NotPlain.INSTANCE;
    a.message = true;
    String f;
    while ((f = p.nextFieldName()) != null) {
      JsonToken v = p.nextToken();
      switch (f) {
        case "content" -> a.content = text(p, v);
        case "reasoning_content" -> a.reasoningContent = text(p, v);
        case "reasoning" -> a.reasoning = text(p, v);
        case "tool_calls" -> {
          if (v == JsonToken.VALUE_NULL) continue;
          if (v != JsonToken.START_ARRAY || p.nextToken() != JsonToken.END_ARRAY) throw NotPlain.INSTANCE;
        }
        default -> p.skipChildren();
      }
    }
  }

  /** A string value's text; any other value counts as absent (and is skipped). */
  private static String text(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_STRING) return p.getText();
    p.skipChildren();
    return null;
  }

  /** A plain int; null for JSON null; anything else (a fraction, a huge number, a string) leaves the fast path. */
  private static Integer integer(JsonParser p, JsonToken t) throws IOException, NotPlain {
    if (t == JsonToken.VALUE_NULL) return null;
    if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) return p.getIntValue();
    throw NotPlain.INSTANCE;
  }
}
