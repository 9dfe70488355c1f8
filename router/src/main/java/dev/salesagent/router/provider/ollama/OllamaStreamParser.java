package dev.salesagent.router.provider.ollama;

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
import dev.salesagent.router.wire.NdjsonDecoder;
import dev.salesagent.router.wire.WireFailure;
import io.vertx.core.Handler;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ollama native streaming: one JSON object per line; {@code message.content} → text, {@code message.thinking} →
 * reasoning; the {@code done:true} line is the terminator and carries usage ({@code prompt_eval_count},
 * {@code eval_count}; cached input is not reported) and {@code done_reason} ({@code stop}/{@code length}; missing →
 * {@code interrupted}, anything else → {@code upstream_error}). An {@code {"error": ...}} line fails the stream
 * (kind mapped from the message, {@code upstream_error} by default). A malformed line fails it as
 * {@code interrupted} ({@code malformed_event}); a body ending before {@code done:true} is {@code interrupted}.
 */
public final class OllamaStreamParser extends FramedStreamParser implements NdjsonDecoder.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(OllamaStreamParser.class);

  private final NdjsonDecoder nd = new NdjsonDecoder(this);
  private int tools;
  private final JsonDocReader reader = new JsonDocReader();
  private final ErrorMapper errors;

  private final OllamaCodec.Calls calls;

  public OllamaStreamParser(Handler<StreamEvent> events, ErrorMapper errors) {
    this(events, errors, OllamaCodec.Calls.NO_TOOLS);
  }

  /** @param calls the answer's call-id prefix and call limit (from its request's tool choice) */
  OllamaStreamParser(Handler<StreamEvent> events, ErrorMapper errors, OllamaCodec.Calls calls) {
    super(events);
    this.errors = errors;
    this.calls = calls;
  }

  @Override
  protected FrameDecoder decoder() {
    return nd;
  }

  @Override
  protected String endedEarly(boolean partial) {
    return partial ? "stream cut inside a line" : "stream ended before done:true";
  }

  @Override
  public void onLine(byte[] buf, int off, int len) {
    if (acc.finished()) return;
    try {
      if (scan(buf, off, len)) {
        if (acc.finished()) nd.close();
        return;
      }
    } catch (IOException e) {
      malformed(len);
      return;
    }
    JsonNode n = WireJson.parse(buf, off, len); // error lines and tool calls: the rare path, with the tree
    if (n == null || !n.isObject()) {
      malformed(len);
      return;
    }
    tools = OllamaCodec.apply(acc, n, tools, errors, calls);
    if (acc.finished()) nd.close();
  }

  /**
   * Reads one ordinary line with the reused streaming parser, building no tree, and applies it only once the whole
   * line parsed. Returns {@code false} for an {@code error} line or tool calls (left to the tree path).
   */
  private boolean scan(byte[] buf, int off, int len) throws IOException {
    {
      JsonParser p = reader.begin(buf, off, len);
      if (p.nextToken() != JsonToken.START_OBJECT) throw new JsonParseException(p, "not a JSON object");
      String model = null;
      String thinking = null;
      String content = null;
      String doneReason = null;
      boolean done = false;
      Integer promptEval = null;
      Integer eval = null;
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String f = p.currentName();
        t = p.nextToken();
        switch (f) {
          case "model" -> {
            if (t == JsonToken.VALUE_STRING && acc.model() == null) model = p.getText();
          }
          case "message" -> {
            if (t != JsonToken.START_OBJECT) {
              p.skipChildren();
              break;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String g = p.currentName();
              JsonToken u = p.nextToken();
              switch (g) {
                case "content" -> content = u == JsonToken.VALUE_STRING ? p.getText() : null;
                case "thinking" -> thinking = u == JsonToken.VALUE_STRING ? p.getText() : null;
                case "tool_calls" -> {
                  if (u == JsonToken.START_ARRAY) return false;
                  p.skipChildren();
                }
                default -> p.skipChildren();
              }
            }
          }
          case "done" -> done = t == JsonToken.VALUE_TRUE;
          case "done_reason" -> doneReason = t == JsonToken.VALUE_STRING ? p.getText() : null;
          case "prompt_eval_count" -> promptEval = t == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : null;
          case "eval_count" -> eval = t == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : null;
          case "error" -> {
            if (t != JsonToken.VALUE_NULL) return false;
          }
          default -> p.skipChildren();
        }
      }
      if (t != JsonToken.END_OBJECT) throw new JsonParseException(p, "unterminated object");
      reader.end();
      tools = OllamaCodec.applyParts(acc, null, model, thinking, content, null, done, doneReason, promptEval, eval, tools, calls);
      return true;
    }
  }

  private void malformed(int len) {
    LOG.warn("malformed NDJSON line ({} bytes) dropped; failing the stream", len);
    acc.fail(WireFailure.of(ErrorKind.INTERRUPTED, WireFailure.MALFORMED_EVENT, "malformed stream line (not a JSON object)"));
    nd.close();
  }
}
