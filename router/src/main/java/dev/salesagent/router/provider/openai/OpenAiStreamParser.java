package dev.salesagent.router.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.salesagent.router.error.ErrorKind;
import dev.salesagent.router.model.StreamEvent;
import dev.salesagent.router.wire.ChatAccumulator;
import dev.salesagent.router.wire.HttpErrorMapper;
import dev.salesagent.router.wire.Json;
import dev.salesagent.router.wire.SseDecoder;
import dev.salesagent.router.wire.StreamParser;
import dev.salesagent.router.wire.WireFailure;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
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
public final class OpenAiStreamParser implements StreamParser, SseDecoder.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(OpenAiStreamParser.class);

  private final ChatAccumulator acc;
  private final SseDecoder sse = new SseDecoder(this);
  private final boolean usageRequested;

  public OpenAiStreamParser(Handler<StreamEvent> events, boolean usageRequested) {
    this.acc = new ChatAccumulator(events);
    this.usageRequested = usageRequested;
  }

  @Override
  public void feed(Buffer chunk) {
    if (!acc.finished()) sse.feed(chunk);
  }

  @Override
  public void feed(byte[] bytes, int off, int len) {
    if (!acc.finished()) sse.feed(bytes, off, len);
  }

  @Override
  public void end() {
    boolean partial = sse.end();
    if (acc.finished()) return;
    if (acc.nativeFinish() != null && (!usageRequested || acc.usageSeen())) {
      acc.complete(); // properly closed without [DONE]
      return;
    }
    acc.fail(WireFailure.truncated(partial ? "stream cut inside an event" : "stream ended before [DONE]"));
  }

  @Override
  public ChatAccumulator accumulator() {
    return acc;
  }

  @Override
  public void onEvent(String event, byte[] data, int len) {
    if (acc.finished()) return;
    if (len == 6 && data[0] == '[' && data[1] == 'D' && data[2] == 'O' && data[3] == 'N' && data[4] == 'E' && data[5] == ']') {
      acc.complete();
      sse.close();
      return;
    }
    JsonNode n = Json.parse(data, 0, len);
    if (n == null || !n.isObject()) {
      LOG.warn("malformed SSE data event ({} bytes) dropped; failing the stream", len);
      acc.fail(WireFailure.of(ErrorKind.INTERRUPTED, WireFailure.MALFORMED_EVENT, "malformed stream event (not a JSON object)"));
      sse.close();
      return;
    }
    if ("error".equals(event) || OpenAiCodec.isError(n)) {
      acc.fail(HttpErrorMapper.fromPayload(n));
      sse.close();
      return;
    }
    acc.id(Json.text(n, "id"));
    acc.model(Json.text(n, "model"));
    OpenAiCodec.applyUsage(acc, n.get("usage"));
    JsonNode choices = n.get("choices");
    if (choices == null || !choices.isArray()) return;
    for (JsonNode c : choices) {
      JsonNode idx = c.get("index");
      if (idx != null && idx.isNumber() && idx.intValue() != 0) continue; // n=1 only
      JsonNode d = c.get("delta");
      if (d != null && d.isObject()) {
        acc.reasoning(Json.text(d, "reasoning_content"));
        acc.reasoning(Json.text(d, "reasoning"));
        acc.text(Json.text(d, "content"));
        JsonNode tcs = d.get("tool_calls");
        if (tcs != null && tcs.isArray()) {
          for (JsonNode tc : tcs) {
            Integer ti = Json.integer(tc, "index");
            int i = ti == null ? 0 : ti;
            String id = Json.text(tc, "id");
            JsonNode fn = Json.node(tc, "function");
            String name = Json.text(fn, "name");
            if (id != null || name != null) acc.toolStart(i, id, name);
            acc.toolArgs(i, Json.text(fn, "arguments"));
          }
        }
      }
      OpenAiCodec.applyFinish(acc, Json.text(c, "finish_reason"));
    }
    if (acc.failure() != null) sse.close();
  }
}
