package dev.salesagent.server.responses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.salesagent.router.model.ChatResponse;
import dev.salesagent.router.model.StreamEvent;
import dev.salesagent.router.routing.RoutedResponse;
import dev.salesagent.server.chat.ClientBoundSse;
import dev.salesagent.server.http.ApiError;
import dev.salesagent.server.http.ClientExchange;
import dev.salesagent.server.http.JsonOut;
import dev.salesagent.server.http.Responses;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes a routed stream as the Responses API's events, each {@code event: <type>} with a {@code sequence_number}
 * counting from 0: {@code response.created}, {@code response.in_progress}; per output item
 * {@code response.output_item.added}, then for text {@code response.content_part.added},
 * {@code response.output_text.delta}…, {@code response.output_text.done}, {@code response.content_part.done}, and for
 * a call {@code response.function_call_arguments.delta}…, {@code response.function_call_arguments.done}; then
 * {@code response.output_item.done}; finally {@code response.completed} (or {@code response.incomplete} when the token
 * limit or a content filter cut the answer) with the whole response, usage and our {@code sales_agent} extension.
 * Items are sequential, as OpenAI sends them: a new item closes the one before. There is no {@code [DONE]}.
 *
 * <p>An error after the first byte is an {@code error} event ({@code code}, {@code message}) followed by
 * {@code response.failed}; before it, a plain JSON error with its status. Reasoning text is not forwarded (the client
 * asked for no reasoning items, which OpenAI would encrypt).
 */
final class ResponsesSse extends ClientBoundSse {
  private final String id;
  private final long createdAt;
  private final ObjectNode echo;
  private final String requestedModel;
  private final OutputItems items = new OutputItems();
  /** Upstream tool-call index → its output item. */
  private final Map<Integer, OutputItems.Call> calls = new HashMap<>(4);
  private OutputItems.Item open;
  private String model;
  private int seq;
  private boolean started;

  ResponsesSse(ClientExchange x, String id, long createdAt, ObjectNode echo, String requestedModel) {
    super(x);
    this.id = id;
    this.createdAt = createdAt;
    this.echo = echo;
    this.requestedModel = requestedModel;
  }

  @Override
  protected void begin(String provider, String model) {
    if (started) return;
    started = true;
    this.model = model;
    if (resp.closed()) return;
    sseHead(provider);
    ResponseObject.Snapshot s = snapshot("in_progress", null, null, null);
    Buffer b = Buffer.buffer(1024);
    event(b, "response.created", g -> snapshotField(g, s));
    event(b, "response.in_progress", g -> snapshotField(g, s));
    out.write(b);
  }

  private ResponseObject.Snapshot snapshot(String status, ChatResponse c, ApiError error, RoutedResponse r) {
    return new ResponseObject.Snapshot(id, createdAt, model, status, echo, items, c == null ? null : c.usage(), error,
        c == null ? null : ResponseObject.incompleteReason(c), r);
  }

  private static void snapshotField(com.fasterxml.jackson.core.JsonGenerator g, ResponseObject.Snapshot s)
      throws IOException {
    g.writeFieldName("response");
    ResponseObject.write(g, s);
  }

  /** Appends {@code event: type} and its data: {@code type}, the fields {@code body} writes, {@code sequence_number}. */
  private void event(Buffer b, String type, JsonOut.Writer body) {
    int n = seq++;
    b.appendString("event: ").appendString(type).appendString("\ndata: ");
    b.appendBytes(JsonOut.bytes(g -> {
      g.writeStartObject();
      g.writeStringField("type", type);
      body.write(g);
      g.writeNumberField("sequence_number", n);
      g.writeEndObject();
    }));
    b.appendString("\n\n");
  }

  private int indexOf(OutputItems.Item item) {
    return items.items.indexOf(item);
  }

  @Override
  public void onEvent(StreamEvent event) {
    if (!started) begin(null, requestedModel);
    if (resp.closed()) return;
    Buffer b = Buffer.buffer(256);
    if (event instanceof StreamEvent.TextDelta t) {
      OutputItems.Text text = open instanceof OutputItems.Text tx ? tx : openText(b);
      text.text.append(t.text());
      int at = indexOf(text);
      event(b, "response.output_text.delta", g -> {
        g.writeStringField("item_id", text.id);
        g.writeNumberField("output_index", at);
        g.writeNumberField("content_index", 0);
        g.writeStringField("delta", t.text());
        g.writeArrayFieldStart("logprobs");
        g.writeEndArray();
      });
    } else if (event instanceof StreamEvent.ToolCallDelta d) {
      OutputItems.Call call = calls.get(d.index());
      if (call == null) call = openCall(b, d);
      String piece = d.argumentsFragment();
      if (piece != null && !piece.isEmpty()) {
        call.arguments.append(piece);
        OutputItems.Call c = call;
        int at = indexOf(c);
        event(b, "response.function_call_arguments.delta", g -> {
          g.writeStringField("item_id", c.id);
          g.writeNumberField("output_index", at);
          g.writeStringField("delta", piece);
        });
      }
    } else {
      return; // reasoning: see the class comment
    }
    out.write(b);
  }

  private OutputItems.Text openText(Buffer b) {
    close(b);
    OutputItems.Text text = new OutputItems.Text();
    items.items.add(text);
    open = text;
    int at = indexOf(text);
    event(b, "response.output_item.added", g -> {
      g.writeNumberField("output_index", at);
      g.writeFieldName("item");
      text.write(g);
    });
    event(b, "response.content_part.added", g -> {
      g.writeStringField("item_id", text.id);
      g.writeNumberField("output_index", at);
      g.writeNumberField("content_index", 0);
      g.writeFieldName("part");
      OutputItems.Text.part(g, "");
    });
    return text;
  }

  private OutputItems.Call openCall(Buffer b, StreamEvent.ToolCallDelta d) {
    close(b);
    OutputItems.Call call = new OutputItems.Call(d.id(), d.name() == null ? "" : d.name());
    calls.put(d.index(), call);
    items.items.add(call);
    open = call;
    int at = indexOf(call);
    event(b, "response.output_item.added", g -> {
      g.writeNumberField("output_index", at);
      g.writeFieldName("item");
      call.write(g);
    });
    return call;
  }

  /** Closes the open item: its {@code …done} events, then {@code output_item.done}. */
  private void close(Buffer b) {
    OutputItems.Item item = open;
    if (item == null) return;
    open = null;
    item.done = true;
    int at = indexOf(item);
    if (item instanceof OutputItems.Text text) {
      event(b, "response.output_text.done", g -> {
        g.writeStringField("item_id", text.id);
        g.writeNumberField("output_index", at);
        g.writeNumberField("content_index", 0);
        g.writeStringField("text", text.text.toString());
        g.writeArrayFieldStart("logprobs");
        g.writeEndArray();
      });
      event(b, "response.content_part.done", g -> {
        g.writeStringField("item_id", text.id);
        g.writeNumberField("output_index", at);
        g.writeNumberField("content_index", 0);
        g.writeFieldName("part");
        OutputItems.Text.part(g, text.text);
      });
    } else if (item instanceof OutputItems.Call call) {
      if (call.arguments.length() == 0) { // a call without arguments still has an object: deltas and done agree on it
        call.arguments.append("{}");
        event(b, "response.function_call_arguments.delta", g -> {
          g.writeStringField("item_id", call.id);
          g.writeNumberField("output_index", at);
          g.writeStringField("delta", "{}");
        });
      }
      event(b, "response.function_call_arguments.done", g -> {
        g.writeStringField("item_id", call.id);
        g.writeNumberField("output_index", at);
        g.writeStringField("name", call.name);
        g.writeStringField("arguments", call.argumentsText());
      });
    }
    event(b, "response.output_item.done", g -> {
      g.writeNumberField("output_index", at);
      g.writeFieldName("item");
      item.write(g);
    });
  }

  @Override
  public void finish(RoutedResponse r) {
    ChatResponse c = r.response();
    x.provider = c.provider();
    x.attempts = r.attempts().size();
    if (!started) begin(c.provider(), c.model());
    if (resp.closed() || resp.ended()) return;
    Buffer b = Buffer.buffer(1024);
    if (items.items.isEmpty()) openText(b); // an answer with nothing in it is still one (empty) message
    close(b);
    ResponseObject.Snapshot s = snapshot(ResponseObject.status(c), c, null, r);
    event(b, "completed".equals(s.status()) ? "response.completed" : "response.incomplete", g -> snapshotField(g, s));
    out.end(b);
  }

  @Override
  protected boolean started() {
    return started;
  }

  @Override
  protected void errorResponse(ApiError e) {
    Responses.sendOpenAiError(resp, e, x.requestId);
  }

  /** An {@code error} event, then {@code response.failed}; the open item stays in_progress there: it was not finished. */
  @Override
  protected Buffer errorEvents(ApiError e) {
    Buffer b = Buffer.buffer(1024);
    event(b, "error", g -> {
      g.writeStringField("code", e.code());
      g.writeStringField("message", e.message());
      g.writeNullField("param");
    });
    ResponseObject.Snapshot s = snapshot("failed", null, e, null);
    event(b, "response.failed", g -> snapshotField(g, s));
    return b;
  }
}
