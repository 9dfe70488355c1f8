package dev.salesagent.router.provider.anthropic;

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
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Anthropic Messages streaming: {@code message_start} (input usage incl. cache fields) → content blocks (text,
 * thinking, tool_use with {@code input_json_delta}) → {@code message_delta} (stop reason, cumulative output usage:
 * the last one wins) → {@code message_stop}, the terminator. {@code ping} and unknown events are ignored;
 * {@code event: error} fails the stream with the kind its {@code error.type} means. Thinking goes to reasoning, never
 * text, and its {@code signature_delta} to the reasoning's signature. In JSON-schema mode the forced tool's
 * {@code input_json_delta} fragments are the text. Malformed data fails the stream as {@code interrupted}
 * ({@code malformed_event}); a stream without {@code message_stop} is {@code interrupted}.
 */
public final class AnthropicStreamParser extends FramedStreamParser implements SseDecoder.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(AnthropicStreamParser.class);

  private static final byte KIND_OTHER = 0;
  private static final byte KIND_JSON_TEXT = 1;
  private static final byte KIND_TOOL = 2;

  private final SseDecoder sse = new SseDecoder(this);
  private final String jsonTool;
  private final ErrorMapper errors;
  private final JsonDocReader reader = new JsonDocReader();
  private boolean jsonMode;
  // per content-block index: what the block is, and its tool-call ordinal
  private byte[] blockKind = new byte[8];
  private int[] blockTool = new int[8];
  private int tools;

  /**
   * @param jsonTool the forced tool of a JSON-schema request, or {@code null}
   * @param errors   what an {@code event: error} means
   */
  public AnthropicStreamParser(Handler<StreamEvent> events, String jsonTool, ErrorMapper errors) {
    super(events);
    this.jsonTool = jsonTool;
    this.errors = errors;
  }

  @Override
  protected FrameDecoder decoder() {
    return sse;
  }

  @Override
  protected String endedEarly(boolean partial) {
    return partial ? "stream cut inside an event" : "stream ended before message_stop";
  }

  @Override
  public void onEvent(String event, byte[] data, int len) {
    if (acc.finished()) return;
    if (event != null && event.equals("ping")) return;
    if ("content_block_delta".equals(event)) { // the hot path: no tree
      try {
        scanDelta(data, len);
      } catch (IOException e) {
        malformed(len, event);
      }
      return;
    }
    JsonNode n = WireJson.parse(data, 0, len);
    if (n == null || !n.isObject()) {
      malformed(len, event);
      return;
    }
    String type = event != null ? event : WireJson.text(n, "type");
    if (type == null) return;
    switch (type) {
      case "message_start" -> {
        JsonNode m = WireJson.node(n, "message");
        acc.id(WireJson.text(m, "id"));
        acc.model(WireJson.text(m, "model"));
        AnthropicCodec.applyUsage(acc, WireJson.node(m, "usage"), false);
      }
      case "content_block_start" -> {
        int idx = index(n);
        JsonNode b = WireJson.node(n, "content_block");
        String bt = WireJson.text(b, "type");
        if ("text".equals(bt)) {
          acc.text(WireJson.text(b, "text"));
        } else if ("thinking".equals(bt)) {
          acc.reasoning(WireJson.text(b, "thinking"));
        } else if ("tool_use".equals(bt)) {
          String name = WireJson.text(b, "name");
          if (jsonTool != null && jsonTool.equals(name)) {
            jsonMode = true;
            setBlock(idx, KIND_JSON_TEXT, -1);
          } else {
            int t = tools++;
            setBlock(idx, KIND_TOOL, t);
            acc.toolStart(t, WireJson.text(b, "id"), name);
          }
        }
      }
      case "content_block_delta" -> {
        int idx = index(n);
        JsonNode d = WireJson.node(n, "delta");
        String dt = WireJson.text(d, "type");
        if (dt == null) return;
        switch (dt) {
          case "text_delta" -> acc.text(WireJson.text(d, "text"));
          case "thinking_delta" -> acc.reasoning(WireJson.text(d, "thinking"));
          case "signature_delta" -> acc.reasoningSignature(WireJson.text(d, "signature"));
          case "input_json_delta" -> {
            String frag = WireJson.text(d, "partial_json");
            byte k = kind(idx);
            if (k == KIND_JSON_TEXT) acc.text(frag);
            else if (k == KIND_TOOL) acc.toolArgs(blockTool[idx], frag);
          }
          default -> { } // citations, unknown
        }
      }
      case "message_delta" -> {
        AnthropicCodec.applyStop(acc, WireJson.text(WireJson.node(n, "delta"), "stop_reason"), jsonMode);
        JsonNode u = WireJson.node(n, "usage");
        if (u != null) {
          if (u.has("input_tokens")) AnthropicCodec.applyUsage(acc, u);
          else acc.usage(null, WireJson.integer(u, "output_tokens"), null);
        }
      }
      case "message_stop" -> {
        acc.complete();
        sse.close();
      }
      case "error" -> {
        acc.fail(errors.fromPayload(n));
        sse.close();
      }
      default -> { } // content_block_stop, unknown events
    }
  }

  private void malformed(int len, String event) {
    LOG.warn("malformed Anthropic SSE data event ({} bytes, event {}) dropped; failing the stream", len, event);
    acc.fail(WireFailure.of(ErrorKind.INTERRUPTED, WireFailure.MALFORMED_EVENT, "malformed stream event (not a JSON object)"));
    sse.close();
  }

  /** A {@code content_block_delta}, read with the streaming parser and applied once the whole payload parsed. */
  private void scanDelta(byte[] data, int len) throws IOException {
    int idx = 0;
    String dtype = null;
    String value = null;
    {
      JsonParser p = reader.begin(data, 0, len);
      if (p.nextToken() != JsonToken.START_OBJECT) throw new JsonParseException(p, "not a JSON object");
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String f = p.currentName();
        t = p.nextToken();
        if (f.equals("index")) {
          idx = t == JsonToken.VALUE_NUMBER_INT ? Math.max(0, p.getIntValue()) : 0;
        } else if (f.equals("delta") && t == JsonToken.START_OBJECT) {
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String g = p.currentName();
            JsonToken u = p.nextToken();
            if (g.equals("type")) {
              dtype = u == JsonToken.VALUE_STRING ? p.getText() : null;
            } else if ((g.equals("text") || g.equals("thinking") || g.equals("partial_json") || g.equals("signature"))
                && u == JsonToken.VALUE_STRING) {
              value = p.getText();
            } else {
              p.skipChildren();
            }
          }
        } else {
          p.skipChildren();
        }
      }
      if (t != JsonToken.END_OBJECT) throw new JsonParseException(p, "unterminated object");
      reader.end();
    }
    if (dtype == null) return;
    switch (dtype) {
      case "text_delta" -> acc.text(value);
      case "thinking_delta" -> acc.reasoning(value);
      case "signature_delta" -> acc.reasoningSignature(value);
      case "input_json_delta" -> {
        byte k = kind(idx);
        if (k == KIND_JSON_TEXT) acc.text(value);
        else if (k == KIND_TOOL) acc.toolArgs(blockTool[idx], value);
      }
      default -> { } // citations, unknown
    }
  }

  private static int index(JsonNode n) {
    Integer i = WireJson.integer(n, "index");
    return i == null || i < 0 ? 0 : i;
  }

  private void setBlock(int idx, byte kind, int tool) {
    if (idx >= blockKind.length) {
      int len = Math.max(idx + 1, blockKind.length * 2);
      blockKind = Arrays.copyOf(blockKind, len);
      blockTool = Arrays.copyOf(blockTool, len);
    }
    blockKind[idx] = kind;
    blockTool[idx] = tool;
  }

  private byte kind(int idx) {
    return idx < blockKind.length ? blockKind[idx] : KIND_OTHER;
  }
}
