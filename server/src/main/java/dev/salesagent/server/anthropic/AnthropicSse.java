package dev.salesagent.server.anthropic;

import dev.salesagent.router.model.ChatResponse;
import dev.salesagent.router.model.StreamEvent;
import dev.salesagent.router.routing.RoutedResponse;
import dev.salesagent.server.chat.ClientBoundSse;
import dev.salesagent.server.http.ApiError;
import dev.salesagent.server.http.ClientExchange;
import dev.salesagent.server.http.JsonOut;
import dev.salesagent.server.http.Money;
import dev.salesagent.server.http.Responses;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes a routed stream in Anthropic's event sequence: {@code message_start}, then per content block
 * {@code content_block_start} / {@code content_block_delta}… / {@code content_block_stop} (a {@code ping} after the
 * first block start, as Anthropic does), then {@code message_delta} (stop reason and the usage — input tokens are only
 * known at the end when another provider served the request, so {@code message_start} carries 0 and
 * {@code message_delta} the reported counts, which the SDKs take as final) and {@code message_stop}. Reasoning is
 * forwarded only to a client that asked for thinking: a {@code thinking} block of {@code thinking_delta}s and, when the
 * provider signed it, a {@code signature_delta} before its {@code content_block_stop}. A stream that fails over in the
 * middle of its thinking leaves that block unsigned and the next attempt's thinking in a block of its own (a later
 * turn sends the signed one back; the unsigned one is not sent to Anthropic). An error after the first byte is an
 * {@code event: error} with Anthropic's error body, and nothing after it.
 */
final class AnthropicSse extends ClientBoundSse {
  private static final byte[] TEXT_DELTA_HEAD =
      "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] TEXT_DELTA_MID = ",\"delta\":{\"type\":\"text_delta\",\"text\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] THINKING_DELTA_MID = ",\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SIGNATURE_DELTA_MID = ",\"delta\":{\"type\":\"signature_delta\",\"signature\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] JSON_DELTA_MID = ",\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DELTA_TAIL = "\"}}\n\n".getBytes(StandardCharsets.US_ASCII);

  private final String id;
  private final String requestedModel;
  /** The client asked for thinking: reasoning goes out as thinking blocks. */
  private final boolean thinking;
  private boolean started;
  private int nextBlock;
  /** Index of the open content block, -1 when none. */
  private int openBlock = -1;
  private boolean openIsText;
  private boolean openIsThinking;
  private final Map<Integer, Integer> toolBlocks = new HashMap<>();

  AnthropicSse(ClientExchange x, String id, String requestedModel, boolean thinking) {
    super(x);
    this.id = id;
    this.requestedModel = requestedModel;
    this.thinking = thinking;
  }

  @Override
  protected void begin(String provider, String model) {
    if (started) return;
    started = true;
    if (resp.closed()) return;
    sseHead(provider);
    Buffer b = Buffer.buffer(256);
    b.appendString("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"").appendString(id)
        .appendString("\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"");
    JsonOut.appendEscaped(b, model);
    b.appendString("\",\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":0,"
        + "\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":0}}}\n\n");
    write(b);
  }

  private void openText() {
    if (openBlock >= 0 && openIsText) return;
    startBlock("{\"type\":\"text\",\"text\":\"\"}");
    openIsText = true;
  }

  private void openThinking() {
    if (openBlock >= 0 && openIsThinking) return;
    startBlock("{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}");
    openIsThinking = true;
  }

  /** Closes the open block and starts the next with {@code contentBlock} (a {@code ping} after the first, as Anthropic does). */
  private void startBlock(String contentBlock) {
    closeBlock();
    openBlock = nextBlock++;
    Buffer b = Buffer.buffer(180);
    b.appendString("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":" + openBlock
        + ",\"content_block\":" + contentBlock + "}\n\n");
    if (openBlock == 0) b.appendString("event: ping\ndata: {\"type\": \"ping\"}\n\n");
    write(b);
  }

  private void delta(byte[] mid, String value) {
    Buffer b = Buffer.buffer(TEXT_DELTA_HEAD.length + value.length() + 64);
    b.appendBytes(TEXT_DELTA_HEAD).appendString(Integer.toString(openBlock)).appendBytes(mid);
    JsonOut.appendEscaped(b, value);
    b.appendBytes(DELTA_TAIL);
    write(b);
  }

  private void closeBlock() {
    if (openBlock < 0) return;
    write(Buffer.buffer("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":" + openBlock + "}\n\n"));
    openBlock = -1;
    openIsText = false;
    openIsThinking = false;
  }

  @Override
  public void onEvent(StreamEvent event) {
    if (!started) begin(null, requestedModel);
    if (resp.closed()) return;
    if (event instanceof StreamEvent.TextDelta t) {
      openText();
      delta(TEXT_DELTA_MID, t.text());
    } else if (event instanceof StreamEvent.ReasoningDelta r) {
      if (!thinking || r.text() == null || r.text().isEmpty()) return;
      openThinking();
      delta(THINKING_DELTA_MID, r.text());
    } else if (event instanceof StreamEvent.ReasoningSignature sig) {
      // the signature closes the thinking it signs; one without an open thinking block has nothing to sign; an empty
      // one (the router's, before a continuation) ends the thinking unsigned: the next attempt's starts a new block
      if (!thinking || !openIsThinking || sig.signature() == null) return;
      if (sig.signature().isEmpty()) closeBlock();
      else delta(SIGNATURE_DELTA_MID, sig.signature());
    } else if (event instanceof StreamEvent.ToolCallDelta d) {
      Integer block = toolBlocks.get(d.index());
      if (block == null) {
        closeBlock();
        block = nextBlock++;
        toolBlocks.put(d.index(), block);
        openBlock = block;
        int idx = block;
        Buffer b = Buffer.buffer(160);
        b.appendString("event: content_block_start\ndata: ");
        b.appendBuffer(JsonOut.buffer(g -> {
          g.writeStartObject();
          g.writeStringField("type", "content_block_start");
          g.writeNumberField("index", idx);
          g.writeObjectFieldStart("content_block");
          g.writeStringField("type", "tool_use");
          g.writeStringField("id", d.id() == null ? "toolu_" + idx : d.id());
          g.writeStringField("name", d.name() == null ? "" : d.name());
          g.writeObjectFieldStart("input");
          g.writeEndObject();
          g.writeEndObject();
          g.writeEndObject();
        }));
        b.appendString("\n\n");
        if (idx == 0) b.appendString("event: ping\ndata: {\"type\": \"ping\"}\n\n");
        write(b);
      }
      if (d.argumentsFragment() != null && !d.argumentsFragment().isEmpty()) {
        Buffer b = Buffer.buffer(TEXT_DELTA_HEAD.length + d.argumentsFragment().length() + 64);
        b.appendBytes(TEXT_DELTA_HEAD).appendString(Integer.toString(block)).appendBytes(JSON_DELTA_MID);
        JsonOut.appendEscaped(b, d.argumentsFragment());
        b.appendBytes(DELTA_TAIL);
        write(b);
      }
    }
  }

  private void write(Buffer b) {
    out.write(b); // coalesced per event-loop task; pauses the upstream when the client does not keep up
  }

  @Override
  public void finish(RoutedResponse r) {
    ChatResponse c = r.response();
    x.provider = c.provider();
    x.attempts = r.attempts().size();
    if (!started) begin(c.provider(), c.model());
    if (resp.closed() || resp.ended()) return;
    if (nextBlock == 0 || (openIsThinking && c.text().isEmpty() && c.toolCalls().isEmpty())) openText();
    closeBlock();
    Buffer b = Buffer.buffer(384);
    b.appendString("event: message_delta\ndata: ");
    b.appendBuffer(JsonOut.buffer(g -> {
      g.writeStartObject();
      g.writeStringField("type", "message_delta");
      g.writeObjectFieldStart("delta");
      g.writeStringField("stop_reason", AnthropicResponses.stopReason(c));
      g.writeNullField("stop_sequence");
      g.writeEndObject();
      g.writeFieldName("usage");
      AnthropicResponses.usage(g, c.usage(), true);
      g.writeObjectFieldStart("sales_agent");
      g.writeStringField("provider", c.provider());
      g.writeStringField("task", r.task());
      g.writeNumberField("cost_usd", Money.usdNumber(r.costUsd()));
      Responses.attempts(g, r.attempts());
      g.writeEndObject();
      g.writeEndObject();
    }));
    b.appendString("\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
    out.end(b);
  }

  @Override
  protected boolean started() {
    return started;
  }

  @Override
  protected void errorResponse(ApiError e) {
    Responses.sendAnthropicError(resp, e, x.requestId);
  }

  @Override
  protected Buffer errorEvents(ApiError e) {
    Buffer b = Buffer.buffer("event: error\ndata: ");
    b.appendBuffer(Responses.anthropicError(e, x.requestId));
    b.appendString("\n\n");
    return b;
  }
}
