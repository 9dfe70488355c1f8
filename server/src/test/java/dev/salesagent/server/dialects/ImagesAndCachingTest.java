package dev.salesagent.server.dialects;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.salesagent.router.wire.WireJson;
import dev.salesagent.server.GatewayHarness;
import dev.salesagent.server.GatewayOptions;
import dev.salesagent.server.dialects.Conversation.Answer;
import dev.salesagent.server.dialects.Conversation.Options;
import dev.salesagent.server.dialects.Conversation.User;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Images and prompt-cache usage through every inbound dialect: an image reaches a model with vision (the emulators
 * acknowledge it as {@code [image <type> <bytes> bytes]}), an image for a model without vision is a 400 naming the
 * capability, and cached prompt tokens reach the client in its own dialect's fields whichever provider reported them.
 */
class ImagesAndCachingTest {
  /** A 1×1 PNG, 68 bytes. */
  static final String PNG = "data:image/png;base64,"
      + "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAAC0lEQVR4nGNgAAIAAAUAAXpeqz8AAAAASUVORK5CYII=";
  static GatewayHarness h;

  @BeforeAll
  static void up() {
    // vision stated here, not taken from the defaults: Claude and (for this test) the local model see images, Cerebras
    // does not
    h = new GatewayHarness("""
        providers:
          anthropic: {models: {claude-haiku-4-5: {capabilities: [json, tools, continuation, vision]}}}
          ollama: {models: {llama3.2: {capabilities: [json, tools, continuation, vision]}}}
          cerebras: {models: {gpt-oss-120b: {capabilities: [json, tools]}}}
        """, GatewayOptions.defaults().withPort(0).withEventLoops(2));
  }

  @AfterAll
  static void down() {
    h.close();
  }

  static Stream<Arguments> imageCells() {
    List<Arguments> out = new ArrayList<>();
    for (Dialect d : Dialect.ALL) {
      for (String model : List.of("anthropic/claude-haiku-4-5", "ollama/llama3.2")) {
        for (boolean stream : new boolean[] {false, true}) out.add(Arguments.of(d, model, stream));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} to {1}, stream={2}")
  @MethodSource("imageCells")
  void anImageReachesAModelWithVision(Dialect d, String model, boolean stream) {
    Answer a = d.send(h, Conversation.of(new User("What is in this picture?", PNG)), List.of(),
        new Options(model, stream, "auto", 256));
    assertThat(a.ok()).as(a.body()).isTrue();
    assertThat(a.text()).startsWith("[image image/png 68 bytes]");
  }

  static Stream<Dialect> dialects() {
    return Dialect.ALL.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dialects")
  void anImageForAModelWithoutVisionIsA400NamingTheCapability(Dialect d) {
    long before = h.emulator.stats().requests("openai", "gpt-oss-120b");
    Answer a = d.send(h, Conversation.of(new User("What is in this picture?", PNG)), List.of(),
        new Options("cerebras/gpt-oss-120b", false, "auto", 256));
    assertThat(a.status()).isEqualTo(400);
    assertThat(a.error()).contains("vision");
    assertThat(h.emulator.stats().requests("openai", "gpt-oss-120b")).isEqualTo(before);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dialects")
  void aBrokenInlineImageIsA400(Dialect d) {
    Answer a = d.send(h, Conversation.of(new User("What is this?", "data:image/png;base64,@@not-base64@@")), List.of(),
        new Options("anthropic/claude-haiku-4-5", false, "auto", 256));
    assertThat(a.status()).isEqualTo(400);
    assertThat(a.error()).contains("base64");
  }

  /** A prompt of well over 1,024 tokens, unique to the call site so runs do not share cache entries. */
  static String longText() {
    String word = UUID.randomUUID() + " ";
    return ("Background for the account review, " + word).repeat(220);
  }

  static Stream<Arguments> cacheCells() {
    List<Arguments> out = new ArrayList<>();
    for (Dialect d : Dialect.ALL) {
      for (boolean stream : new boolean[] {false, true}) out.add(Arguments.of(d, stream));
    }
    return out.stream();
  }

  /** DeepSeek caches on its own and reports {@code prompt_cache_hit_tokens}: every dialect shows it in its words. */
  @ParameterizedTest(name = "{0}, stream={1}")
  @MethodSource("cacheCells")
  void cachedTokensFromDeepSeekReachEveryDialect(Dialect d, boolean stream) {
    List<Conversation.Turn> conv = Conversation.of(new User(longText()));
    Options o = new Options("deepseek/deepseek-flash", stream, "auto", 64);
    Answer first = d.send(h, conv, List.of(), o);
    assertThat(first.ok()).as(first.body()).isTrue();
    assertThat(first.cachedTokens()).isZero();
    Answer second = d.send(h, conv, List.of(), o);
    assertThat(second.ok()).as(second.body()).isTrue();
    assertThat(second.cachedTokens()).isGreaterThanOrEqualTo(1024).isLessThanOrEqualTo(second.inputTokens());
    assertThat(second.inputTokens()).isEqualTo(first.inputTokens());
  }

  /** An Anthropic client's {@code cache_control} reaches Claude; reads and writes come back apart. */
  @ParameterizedTest(name = "stream={0}")
  @MethodSource("streams")
  void anthropicCacheControlWritesThenReads(boolean stream) {
    String body = "{\"model\":\"anthropic/claude-haiku-4-5\",\"max_tokens\":64,\"stream\":" + stream + ","
        + "\"system\":[{\"type\":\"text\",\"text\":" + WireJson.MAPPER.getNodeFactory().textNode(longText())
        + ",\"cache_control\":{\"type\":\"ephemeral\"}}],\"messages\":[{\"role\":\"user\",\"content\":\"Summarise.\"}]}";
    JsonNode first = anthropicUsage(h.post("/v1/messages", GatewayHarness.ADMIN_KEY, body), stream);
    assertThat(first.path("cache_creation_input_tokens").asInt()).isGreaterThanOrEqualTo(1024);
    assertThat(first.path("cache_read_input_tokens").asInt()).isZero();
    JsonNode second = anthropicUsage(h.post("/v1/messages", GatewayHarness.ADMIN_KEY, body), stream);
    assertThat(second.path("cache_read_input_tokens").asInt()).isEqualTo(first.path("cache_creation_input_tokens").asInt());
    assertThat(second.path("cache_creation_input_tokens").asInt()).isZero();
    assertThat(second.path("input_tokens").asInt()).isEqualTo(first.path("input_tokens").asInt());
  }

  /** An OpenAI client marking a system part with {@code cache_control} (LiteLLM's spelling) gets Claude's cache reads. */
  @ParameterizedTest(name = "stream={0}")
  @MethodSource("streams")
  void openAiClientServedByClaudeSeesCachedTokens(boolean stream) {
    String body = "{\"model\":\"anthropic/claude-haiku-4-5\",\"max_completion_tokens\":64,\"stream\":" + stream
        + (stream ? ",\"stream_options\":{\"include_usage\":true}" : "") + ",\"messages\":[{\"role\":\"system\",\"content\":"
        + "[{\"type\":\"text\",\"text\":" + WireJson.MAPPER.getNodeFactory().textNode(longText())
        + ",\"cache_control\":{\"type\":\"ephemeral\"}}]},{\"role\":\"user\",\"content\":\"Summarise.\"}]}";
    Dialect d = Dialect.ALL.get(0);
    Answer first = d.read(h.post("/v1/chat/completions", GatewayHarness.ADMIN_KEY, body), stream);
    assertThat(first.ok()).as(first.body()).isTrue();
    Answer second = d.read(h.post("/v1/chat/completions", GatewayHarness.ADMIN_KEY, body), stream);
    assertThat(second.cachedTokens()).isGreaterThanOrEqualTo(1024);
    assertThat(second.inputTokens()).isEqualTo(first.inputTokens());
  }

  static Stream<Boolean> streams() {
    return Stream.of(false, true);
  }

  private static JsonNode anthropicUsage(HttpResponse<String> r, boolean stream) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    if (!stream) return WireJson.parse(r.body()).path("usage");
    JsonNode usage = null;
    for (String d : GatewayHarness.sseData(r.body())) {
      JsonNode n = WireJson.parse(d);
      if ("message_delta".equals(n.path("type").asText())) usage = n.path("usage");
    }
    assertThat(usage).as(r.body()).isNotNull();
    return usage;
  }
}
