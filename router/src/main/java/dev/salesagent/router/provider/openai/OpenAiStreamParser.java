package dev.salesagent.router.provider.openai;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.salesagent.router.error.ErrorKind;
import dev.salesagent.router.model.StreamEvent;
import dev.salesagent.router.wire.ChatAccumulator;
import dev.salesagent.router.wire.ErrorMapper;
import dev.salesagent.router.wire.FrameDecoder;
import dev.salesagent.router.wire.FramedStreamParser;
import dev.salesagent.router.wire.WireJson;
import dev.salesagent.router.wire.JsonDocReader;
import dev.salesagent.router.wire.SseDecoder;
import dev.salesagent.router.wire.WireFailure;
import io.vertx.core.Handler;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OpenAI-style streaming: data-only SSE of {@code chat.completion.chunk} objects ending with {@code data: [DONE]}.
 *
 * <ul>
 *   <li>{@code delta.content} → text; {@code delta.reasoning_content} (DeepSeek) and {@code delta.reasoning}
 *       (Cerebras, Ollama /v1) → reasoning; {@code delta.tool_calls} fragments → tool-call deltas;</li>
 *   <li>usage may ride any chunk; the last non-null one wins;</li>
 *   <li>a payload with an {@code error} key, a Cerebras flat error, or an {@code event: error} fails the stream with
 *       the mapped kind; DeepSeek's {@code insufficient_system_resource} finish fails it as {@code upstream_error};</li>
 *   <li><b>malformed data</b> (not JSON): never forwarded; the stream fails as {@code interrupted} with
 *       providerErrorType {@code malformed_event} (a corrupt stream is treated like a cut one, so the router may
 *       retry, fall back or continue it);</li>
 *   <li><b>no [DONE]</b>: a stream that closes after a finish_reason chunk (and, when usage was requested, after a
 *       usage chunk) is complete ("properly closed"); one that closes before that is {@code interrupted}.</li>
 * </ul>
 */
public final class OpenAiStreamParser extends FramedStreamParser implements SseDecoder.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(OpenAiStreamParser.class);

  private final SseDecoder sse = new SseDecoder(this);
  private final boolean usageRequested;
  private final ErrorMapper errors;
  private final JsonDocReader reader = new JsonDocReader();

  public OpenAiStreamParser(Handler<StreamEvent> events, boolean usageRequested, ErrorMapper errors) {
    super(events);
    this.errors = errors;
    this.usageRequested = usageRequested;
  }

  @Override
  protected FrameDecoder decoder() {
    return sse;
  }

  @Override
  protected String endedEarly(boolean partial) {
    if (acc.nativeFinish() != null && (!usageRequested || acc.usageSeen())) {
      acc.complete(); // properly closed without [DONE]
      return null;
    }
    return partial ? "stream cut inside an event" : "stream ended before [DONE]";
  }

  @Override
  public void onEvent(String event, byte[] data, int len) {
    if (acc.finished()) return;
    if (len == 6 && data[0] == '[' && data[1] == 'D' && data[2] == 'O' && data[3] == 'N' && data[4] == 'E' && data[5] == ']') {
      acc.complete();
      sse.close();
      return;
    }
    if (!"error".equals(event)) {
      try {
        if (scan(data, len)) {
          if (acc.failure() != null) sse.close();
          return;
        }
      } catch (IOException e) {
        malformed(len);
        return;
      }
    }
    // the rare shapes (usage object, tool calls, error payloads, Cerebras flat errors): with the tree
    JsonNode n = WireJson.parse(data, 0, len);
    if (n == null || !n.isObject()) {
      malformed(len);
      return;
    }
    applyTree(n, event);
  }

  private void applyTree(JsonNode n, String event) {
    if ("error".equals(event) || OpenAiCodec.isError(n)) {
      acc.fail(errors.fromPayload(n));
      sse.close();
      return;
    }
    acc.id(WireJson.text(n, "id"));
    acc.model(WireJson.text(n, "model"));
    OpenAiCodec.applyUsage(acc, n.get("usage"));
    JsonNode choices = n.get("choices");
    if (choices != null && choices.isArray()) {
      for (JsonNode c : choices) {
        JsonNode idx = c.get("index");
        if (idx != null && idx.isNumber() && idx.intValue() != 0) continue; // n=1 only
        JsonNode d = c.get("delta");
        if (d != null && d.isObject()) {
          acc.reasoning(WireJson.text(d, "reasoning_content"));
          acc.reasoning(WireJson.text(d, "reasoning"));
          acc.text(WireJson.text(d, "content"));
          applyToolCalls(WireJson.node(d, "tool_calls"));
        }
        OpenAiCodec.applyFinish(acc, WireJson.text(c, "finish_reason"));
      }
    }
    if (acc.failure() != null) sse.close();
  }

  private void applyToolCalls(JsonNode toolCalls) {
    if (toolCalls == null || !toolCalls.isArray()) return;
    for (JsonNode tc : toolCalls) {
      Integer ti = WireJson.integer(tc, "index");
      int i = ti == null ? 0 : ti;
      String tid = WireJson.text(tc, "id");
      JsonNode fn = WireJson.node(tc, "function");
      String name = WireJson.text(fn, "name");
      if (tid != null || name != null) acc.toolStart(i, tid, name);
      acc.toolArgs(i, WireJson.text(fn, "arguments"));
    }
  }

  private void malformed(int len) {
    LOG.warn("malformed SSE data event ({} bytes) dropped; failing the stream", len);
    acc.fail(WireFailure.of(ErrorKind.INTERRUPTED, WireFailure.MALFORMED_EVENT, "malformed stream event (not a JSON object)"));
    sse.close();
  }

  /**
   * Reads one ordinary chunk with the reused streaming parser (no tree) and applies it only once the whole payload
   * parsed, so a malformed event contributes nothing. Returns {@code false} for the rare shapes left to the tree.
   */
  private boolean scan(byte[] data, int len) throws IOException {
    {
      JsonParser p = reader.begin(data, 0, len);
      if (p.nextToken() != JsonToken.START_OBJECT) throw new JsonParseException(p, "not a JSON object");
      String id = null;
      String model = null;
      boolean sawChoices = false;
      boolean sawType = false;
      boolean sawMessage = false;
      String content = null;
      String reasoningContent = null;
      String reasoning = null;
      String finish = null;
      boolean tool = false;
      toolIndex = 0;
      toolId = toolName = toolArgs = null;
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String f = p.currentName();
        t = p.nextToken();
        switch (f) {
          case "id" -> {
            if (t == JsonToken.VALUE_STRING && acc.id() == null) id = p.getText();
          }
          case "model" -> {
            if (t == JsonToken.VALUE_STRING && acc.model() == null) model = p.getText();
          }
          case "usage" -> {
            if (t == JsonToken.START_OBJECT) return false;
            p.skipChildren();
          }
          case "error" -> {
            if (t != JsonToken.VALUE_NULL) return false;
          }
          case "type" -> {
            sawType = true;
            p.skipChildren();
          }
          case "message" -> {
            sawMessage = true;
            p.skipChildren();
          }
          case "choices" -> {
            sawChoices = true;
            if (t != JsonToken.START_ARRAY) {
              p.skipChildren();
              break;
            }
            while (p.nextToken() == JsonToken.START_OBJECT) {
              int index = 0;
              String cContent = null;
              String cReasoningContent = null;
              String cReasoning = null;
              String cFinish = null;
              boolean cTool = false;
              while (p.nextToken() == JsonToken.FIELD_NAME) {
                String g = p.currentName();
                JsonToken u = p.nextToken();
                switch (g) {
                  case "index" -> index = u == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : 0;
                  case "finish_reason" -> cFinish = u == JsonToken.VALUE_STRING ? p.getText() : null;
                  case "delta" -> {
                    if (u != JsonToken.START_OBJECT) {
                      p.skipChildren();
                      break;
                    }
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                      String h = p.currentName();
                      JsonToken v = p.nextToken();
                      switch (h) {
                        case "content" -> cContent = v == JsonToken.VALUE_STRING ? p.getText() : null;
                        case "reasoning_content" -> cReasoningContent = v == JsonToken.VALUE_STRING ? p.getText() : null;
                        case "reasoning" -> cReasoning = v == JsonToken.VALUE_STRING ? p.getText() : null;
                        case "tool_calls" -> {
                          if (v == JsonToken.START_ARRAY) {
                            if (!scanToolCall(p)) return false;
                            cTool = true;
                          } else {
                            p.skipChildren();
                          }
                        }
                        default -> p.skipChildren();
                      }
                    }
                  }
                  default -> p.skipChildren();
                }
              }
              if (index == 0) { // n=1 only
                content = cContent;
                reasoningContent = cReasoningContent;
                reasoning = cReasoning;
                finish = cFinish;
                tool = cTool;
              }
            }
          }
          default -> p.skipChildren();
        }
      }
      if (t != JsonToken.END_OBJECT) throw new JsonParseException(p, "unterminated object");
      if (!sawChoices && sawType && sawMessage) return false; // Cerebras flat error
      reader.end();
      acc.id(id);
      acc.model(model);
      acc.reasoning(reasoningContent);
      acc.reasoning(reasoning);
      acc.text(content);
      if (tool) {
        if (toolId != null || toolName != null) acc.toolStart(toolIndex, toolId, toolName);
        acc.toolArgs(toolIndex, toolArgs);
      }
      OpenAiCodec.applyFinish(acc, finish);
      return true;
    }
  }

  // the one tool-call fragment of the chunk being scanned (applied only once the whole chunk parsed)
  private int toolIndex;
  private String toolId;
  private String toolName;
  private String toolArgs;

  /**
   * A {@code tool_calls} array of one fragment — {@code index}, optional {@code id}/{@code type}, {@code function}
   * with optional {@code name} and {@code arguments} strings — the shape of every chunk of a streamed tool call. Other
   * shapes (several fragments in one chunk, a field of an unexpected type) return {@code false}: the tree reads them.
   */
  private boolean scanToolCall(JsonParser p) throws IOException {
    if (p.nextToken() != JsonToken.START_OBJECT) return false;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String f = p.currentName();
      JsonToken v = p.nextToken();
      switch (f) {
        case "index" -> {
          if (v != JsonToken.VALUE_NUMBER_INT) return false;
          toolIndex = p.getIntValue();
        }
        case "id" -> {
          if (v == JsonToken.VALUE_STRING) toolId = p.getText(); else if (v != JsonToken.VALUE_NULL) return false;
        }
        case "function" -> {
          if (v != JsonToken.START_OBJECT) return false;
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String g = p.currentName();
            JsonToken w = p.nextToken();
            if (g.equals("name") || g.equals("arguments")) {
              if (w == JsonToken.VALUE_NULL) continue;
              if (w != JsonToken.VALUE_STRING) return false;
              if (g.equals("name")) toolName = p.getText(); else toolArgs = p.getText();
            } else {
              p.skipChildren();
            }
          }
        }
        default -> p.skipChildren();
      }
    }
    return p.nextToken() == JsonToken.END_ARRAY; // exactly one fragment
  }
}
