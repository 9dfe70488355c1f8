package dev.salesagent.server.openai;

import dev.salesagent.router.model.ChatResponse;
import dev.salesagent.router.model.StreamEvent;
import dev.salesagent.router.routing.RoutedResponse;
import dev.salesagent.server.chat.ClientBoundSse;
import dev.salesagent.server.http.ApiError;
import dev.salesagent.server.http.ClientExchange;
import dev.salesagent.server.http.JsonOut;
import dev.salesagent.server.http.Responses;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * Writes a routed stream as OpenAI {@code chat.completion.chunk} events. Each chunk is a pre-built byte prefix
 * (id, created, model) + the delta + a fixed suffix, so a content event costs one JSON string escape and one buffer.
 *
 * <p>Order: a role chunk, content chunks, a finish chunk (with our {@code sales_agent} extension), then — when
 * {@code stream_options.include_usage} — a {@code choices: []} usage chunk with {@code cost_usd}, then
 * {@code data: [DONE]}. An error after the first byte is one final {@code data: {"error":{…}}} event and the stream
 * closes without {@code [DONE]}: the OpenAI SDKs raise an API error on an {@code error} payload, and a missing
 * {@code [DONE]} tells any other client the answer is incomplete. Before the first byte, errors are plain JSON
 * responses with their status.
 */
final class OpenAiSse extends ClientBoundSse {
  private static final byte[] ROLE = "{\"role\":\"assistant\",\"content\":\"\"}".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CONTENT_OPEN = "{\"content\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] REASONING_OPEN = "{\"reasoning_content\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] STRING_CLOSE = "\"}".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

  private final boolean includeUsage;
  private final String id;
  private final long created;
  private final String requestedModel;
  private byte[] prefix;
  private String streamModel;
  private byte[] suffix;
  private boolean started;

  OpenAiSse(ClientExchange x, String id, long created, boolean includeUsage, String requestedModel) {
    super(x);
    this.id = id;
    this.created = created;
    this.includeUsage = includeUsage;
    this.requestedModel = requestedModel;
  }

  @Override
  protected void begin(String provider, String model) {
    if (started) return;
    started = true;
    streamModel = model;
    prefix = ("data: {\"id\":\"" + id + "\",\"object\":\"chat.completion.chunk\",\"created\":" + created + ",\"model\":\""
        + new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(model))
        + "\",\"system_fingerprint\":null,\"choices\":[{\"index\":0,\"delta\":").getBytes(StandardCharsets.UTF_8);
    suffix = (",\"logprobs\":null,\"finish_reason\":null}]" + (includeUsage ? ",\"usage\":null" : "") + "}\n\n")
        .getBytes(StandardCharsets.US_ASCII);
    if (resp.closed()) return;
    sseHead(provider);
    Buffer b = Buffer.buffer(prefix.length + ROLE.length + suffix.length);
    b.appendBytes(prefix).appendBytes(ROLE).appendBytes(suffix);
    write(b);
  }

  @Override
  public void onEvent(StreamEvent event) {
    if (!started) begin(null, requestedModel);
    if (resp.closed()) return;
    Buffer b;
    if (event instanceof StreamEvent.TextDelta t) {
      b = Buffer.buffer(prefix.length + t.text().length() + 64);
      b.appendBytes(prefix).appendBytes(CONTENT_OPEN);
      JsonOut.appendEscaped(b, t.text());
      b.appendBytes(STRING_CLOSE).appendBytes(suffix);
    } else if (event instanceof StreamEvent.ReasoningDelta r) {
      b = Buffer.buffer(prefix.length + r.text().length() + 64);
      b.appendBytes(prefix).appendBytes(REASONING_OPEN);
      JsonOut.appendEscaped(b, r.text());
      b.appendBytes(STRING_CLOSE).appendBytes(suffix);
    } else if (event instanceof StreamEvent.ToolCallDelta d) {
      b = Buffer.buffer(prefix.length + 128);
      b.appendBytes(prefix);
      b.appendBuffer(JsonOut.buffer(g -> {
        g.writeStartObject();
        g.writeArrayFieldStart("tool_calls");
        g.writeStartObject();
        g.writeNumberField("index", d.index());
        if (d.id() != null) {
          g.writeStringField("id", d.id());
          g.writeStringField("type", "function");
        }
        g.writeObjectFieldStart("function");
        if (d.name() != null) g.writeStringField("name", d.name());
        g.writeStringField("arguments", d.argumentsFragment() == null ? "" : d.argumentsFragment());
        g.writeEndObject();
        g.writeEndObject();
        g.writeEndArray();
        g.writeEndObject();
      }));
      b.appendBytes(suffix);
    } else {
      return;
    }
    write(b);
  }

  private void write(Buffer b) {
    out.write(b); // coalesced per event-loop task; pauses the upstream when the client does not keep up
  }

  /** The stream ended well. */
  @Override
  public void finish(RoutedResponse r) {
    ChatResponse c = r.response();
    x.provider = c.provider();
    x.attempts = r.attempts().size();
    if (!started) begin(c.provider(), c.model());
    if (resp.closed() || resp.ended()) return;
    Buffer b = Buffer.buffer(512);
    b.appendBytes(prefix);
    b.appendString("{}" + ",\"logprobs\":null,\"finish_reason\":\""
        + (c.finishReason() == null ? "stop" : c.finishReason().wire()) + "\"}]" + (includeUsage ? ",\"usage\":null" : ""));
    b.appendString(",");
    Buffer ext = JsonOut.buffer(g -> {
      g.writeStartObject();
      OpenAiResponses.salesAgent(g, r);
      g.writeEndObject();
    });
    // ext is {"sales_agent":{…}}: splice its inside into this chunk
    b.appendBuffer(ext, 1, ext.length() - 1);
    b.appendString("\n\n");
    if (includeUsage) {
      b.appendString("data: {\"id\":\"" + id + "\",\"object\":\"chat.completion.chunk\",\"created\":" + created + ",\"model\":");
      b.appendBuffer(JsonOut.buffer(g -> g.writeString(streamModel == null ? c.model() : streamModel)));
      b.appendString(",\"system_fingerprint\":null,\"choices\":[],\"usage\":");
      b.appendBuffer(JsonOut.buffer(g -> OpenAiResponses.usage(g, c.usage(), r.costUsd())));
      b.appendString("}\n\n");
    }
    b.appendBytes(DONE);
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

  @Override
  protected Buffer errorEvents(ApiError e) {
    Buffer b = Buffer.buffer("data: ");
    b.appendBuffer(Responses.openAiError(e, x.requestId));
    b.appendString("\n\n");
    return b;
  }
}
