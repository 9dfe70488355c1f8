package dev.salesagent.router.provider.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import dev.salesagent.router.error.ErrorKind;
import dev.salesagent.router.model.StreamEvent;
import dev.salesagent.router.wire.ChatAccumulator;
import dev.salesagent.router.wire.Json;
import dev.salesagent.router.wire.NdjsonDecoder;
import dev.salesagent.router.wire.StreamParser;
import dev.salesagent.router.wire.WireFailure;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
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
public final class OllamaStreamParser implements StreamParser, NdjsonDecoder.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(OllamaStreamParser.class);

  private final ChatAccumulator acc;
  private final NdjsonDecoder nd = new NdjsonDecoder(this);
  private int tools;

  public OllamaStreamParser(Handler<StreamEvent> events) {
    this.acc = new ChatAccumulator(events);
  }

  @Override
  public void feed(Buffer chunk) {
    if (!acc.finished()) nd.feed(chunk);
  }

  @Override
  public void feed(byte[] bytes, int off, int len) {
    if (!acc.finished()) nd.feed(bytes, off, len);
  }

  @Override
  public void end() {
    boolean partial = nd.end();
    if (acc.finished()) return;
    acc.fail(WireFailure.truncated(partial ? "stream cut inside a line" : "stream ended before done:true"));
  }

  @Override
  public ChatAccumulator accumulator() {
    return acc;
  }

  @Override
  public void onLine(byte[] buf, int off, int len) {
    if (acc.finished()) return;
    JsonNode n = Json.parse(buf, off, len);
    if (n == null || !n.isObject()) {
      LOG.warn("malformed NDJSON line ({} bytes) dropped; failing the stream", len);
      acc.fail(WireFailure.of(ErrorKind.INTERRUPTED, WireFailure.MALFORMED_EVENT, "malformed stream line (not a JSON object)"));
      nd.close();
      return;
    }
    tools = OllamaCodec.apply(acc, n, tools);
    if (acc.finished()) nd.close();
  }
}
