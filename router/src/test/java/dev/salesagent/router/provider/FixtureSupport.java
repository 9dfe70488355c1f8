package dev.salesagent.router.provider;

import com.fasterxml.jackson.databind.JsonNode;
import dev.salesagent.router.model.StreamEvent;
import dev.salesagent.router.model.ToolCall;
import dev.salesagent.router.model.Usage;
import dev.salesagent.router.provider.anthropic.AnthropicCodec;
import dev.salesagent.router.provider.anthropic.AnthropicStreamParser;
import dev.salesagent.router.provider.ollama.OllamaCodec;
import dev.salesagent.router.provider.ollama.OllamaStreamParser;
import dev.salesagent.router.provider.openai.OpenAiCodec;
import dev.salesagent.router.provider.openai.OpenAiStreamParser;
import dev.salesagent.router.provider.registry.Providers;
import dev.salesagent.router.wire.ChatAccumulator;
import dev.salesagent.router.wire.ErrorMapper;
import dev.salesagent.router.wire.WireJson;
import dev.salesagent.router.wire.StreamParser;
import dev.salesagent.router.wire.WireFailure;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;

/** Drives the protocol parsers from fixture bytes, without a network. */
public final class FixtureSupport {
  private FixtureSupport() {}

  /** Fixed "now" for HTTP-date parsing. */
  /** What every built-in provider's errors mean, as the adapters see it. */
  public static final ErrorMapper ERRORS = new ErrorMapper(Providers.BUILT_IN.errors());

  public static final Instant NOW = Instant.parse("2026-11-23T14:02:11Z");

  /** The shared fixtures folder ({@code shared.fixtures} property, else /work/shared/fixtures). */
  public static Path sharedDir() {
    String p = System.getProperty("shared.fixtures");
    if (p != null && Files.isDirectory(Path.of(p))) return Path.of(p);
    return Path.of("/work/shared/fixtures");
  }

  /** Our own fixtures under src/test/resources/fixtures. */
  public static Path localDir() {
    try {
      return Path.of(FixtureSupport.class.getResource("/fixtures/expected.json").toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  public static JsonNode expected(Path dir) throws IOException {
    return WireJson.MAPPER.readTree(Files.readAllBytes(dir.resolve("expected.json"))).get("fixtures");
  }

  /** What a parse produced; equal outcomes mean identical observable behaviour (events included). */
  public record Outcome(
      String text, String reasoning, List<ToolCall> toolCalls, String nativeFinish, String stop, Usage usage,
      boolean complete, WireFailure failure, String model, List<StreamEvent> events, List<String> tags) {}

  public static boolean isStream(String name) {
    return name.endsWith(".sse") || name.endsWith(".ndjson");
  }

  public static StreamParser streamParser(String name, String jsonTool, List<StreamEvent> sink) {
    if (name.startsWith("anthropic")) return new AnthropicStreamParser(sink::add, jsonTool, ERRORS);
    if (name.startsWith("ollama")) return new OllamaStreamParser(sink::add, ERRORS);
    return new OpenAiStreamParser(sink::add, true, ERRORS);
  }

  /**
   * Parses a fixture.
   *
   * @param chunks for streams: maps the remaining byte count to the next read's size; {@code null} = one read
   */
  public static Outcome parse(String name, byte[] bytes, String jsonTool, IntUnaryOperator chunks) {
    if (name.endsWith(".http")) return parseHttp(bytes);
    if (name.equals("ollama.tags.json")) {
      return new Outcome(null, null, List.of(), null, null, Usage.UNKNOWN, true, null, null, List.of(),
          OllamaCodec.parseTags(bytes, 0, bytes.length));
    }
    List<StreamEvent> events = new ArrayList<>();
    ChatAccumulator acc;
    if (isStream(name)) {
      StreamParser p = streamParser(name, jsonTool, events);
      if (chunks == null) {
        p.feed(Buffer.buffer(bytes));
      } else {
        int off = 0;
        while (off < bytes.length) {
          int n = Math.max(1, Math.min(bytes.length - off, chunks.applyAsInt(bytes.length - off)));
          // copy, so a parser that kept a reference to the array would be caught
          byte[] chunk = new byte[n];
          System.arraycopy(bytes, off, chunk, 0, n);
          p.feed(Buffer.buffer(chunk));
          off += n;
        }
      }
      p.end();
      acc = p.accumulator();
    } else if (name.startsWith("anthropic")) {
      acc = AnthropicCodec.parseResponse(bytes, 0, bytes.length, jsonTool, ERRORS);
    } else if (name.startsWith("ollama")) {
      acc = OllamaCodec.parseResponse(bytes, 0, bytes.length, ERRORS);
    } else {
      acc = OpenAiCodec.parseResponse(bytes, 0, bytes.length, ERRORS);
    }
    WireFailure f = acc.failure();
    String stop;
    if (f == null) stop = acc.finishReason() == null ? null : acc.finishReason().wire();
    else stop = WireFailure.STREAM_TRUNCATED.equals(f.providerErrorType()) ? "incomplete" : "error";
    return new Outcome(acc.text(), acc.reasoning(), acc.toolCalls(), acc.nativeFinish(), stop, acc.usage(),
        acc.isComplete(), f, acc.model(), List.copyOf(events), null);
  }

  static Outcome parseHttp(byte[] bytes) {
    String all = new String(bytes, StandardCharsets.UTF_8);
    int split = all.indexOf("\r\n\r\n");
    String head = all.substring(0, split);
    String body = all.substring(split + 4);
    String[] lines = head.split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (int i = 1; i < lines.length; i++) {
      int c = lines[i].indexOf(':');
      headers.add(lines[i].substring(0, c).trim(), lines[i].substring(c + 1).trim());
    }
    WireFailure f = ERRORS.fromHttp(status, headers, body, NOW);
    return new Outcome(null, null, List.of(), null, "error", Usage.UNKNOWN, false, f, null, List.of(), null);
  }
}
