package dev.salesagent.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.salesagent.emulator.ToolWire.P;
import dev.salesagent.emulator.ToolWire.Reply;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Image acknowledgements and prompt caching (README "Images", "Prompt caching"), per protocol × {streaming, whole}. */
class ImagesAndCachingTest extends EmulatorTestBase {
  /** A 1×1 PNG: 67 bytes. */
  static final String PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
  static final int PNG_BYTES = Base64.getDecoder().decode(PNG).length;
  static final byte[] JPEG = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0, 0, 16, 'J', 'F', 'I', 'F', 0};

  static Stream<Arguments> all() {
    List<Arguments> out = new ArrayList<>();
    for (P p : P.values()) for (boolean s : new boolean[] {false, true}) out.add(Arguments.of(p, s));
    return out.stream();
  }

  /** The user's message with a text part and two images (a PNG, then a JPEG), in each protocol's shape. */
  private static ObjectNode imageRequest(P p, boolean stream, String jpegB64) {
    ObjectNode b = ToolWire.body(p, stream, "x");
    ObjectNode user = (ObjectNode) b.get("messages").get(0);
    switch (p) {
      case ANTHROPIC -> {
        ArrayNode c = user.putArray("content");
        c.addObject().put("type", "text").put("text", "What is in these pictures?");
        c.addObject().put("type", "image").putObject("source").put("type", "base64").put("media_type", "image/png").put("data", PNG);
        c.addObject().put("type", "image").putObject("source").put("type", "base64").put("media_type", "image/jpeg").put("data", jpegB64);
      }
      case OPENAI -> {
        ArrayNode c = user.putArray("content");
        c.addObject().put("type", "text").put("text", "What is in these pictures?");
        c.addObject().put("type", "image_url").putObject("image_url").put("url", "data:image/png;base64," + PNG).put("detail", "auto");
        c.addObject().put("type", "image_url").putObject("image_url").put("url", "data:image/jpeg;base64," + jpegB64);
      }
      case OLLAMA -> {
        user.put("content", "What is in these pictures?");
        user.putArray("images").add(PNG).add(jpegB64);
      }
    }
    return b;
  }

  @ParameterizedTest
  @MethodSource("all")
  void eachImageIsAcknowledgedWithMediaTypeAndSize(P p, boolean stream) throws Exception {
    Reply r = ToolWire.roundTrip(p, imageRequest(p, stream, Base64.getEncoder().encodeToString(JPEG)), stream);
    assertEquals(200, r.status());
    String png = "[image image/png " + PNG_BYTES + " bytes]";
    String jpeg = "[image image/jpeg " + JPEG.length + " bytes]";
    assertTrue(r.text().contains(png), r.text());
    assertTrue(r.text().indexOf(jpeg) > r.text().indexOf(png), r.text());
    assertEquals(ToolWire.textFinish(p), r.finish());
  }

  @ParameterizedTest
  @MethodSource("all")
  void invalidImageDataIsABadRequest(P p, boolean stream) throws Exception {
    Reply r = ToolWire.roundTrip(p, imageRequest(p, stream, "not*base64!"), stream);
    assertEquals(400, r.status(), String.valueOf(r.error()));
  }

  /** About {@code tokens} tokens of text unique to this test run (4 chars per token). */
  private static String longText(String tag, int tokens) {
    StringBuilder sb = new StringBuilder(tag).append(' ').append(System.nanoTime()).append(' ');
    while (sb.length() < tokens * 4) sb.append("The catalogue lists every product with its price and stock level. ");
    return sb.toString();
  }

  private static ObjectNode anthropicCached(boolean stream, String system, String question) {
    ObjectNode b = anthropicBody("claude-sonnet-4-5", stream, question);
    b.putArray("system").addObject().put("type", "text").put("text", system).putObject("cache_control").put("type", "ephemeral");
    return b;
  }

  @ParameterizedTest
  @MethodSource("streams")
  void anthropicCacheControlPrefixIsWrittenThenRead(boolean stream) throws Exception {
    String system = longText("anthropic-cache", 1500);
    Reply first = ToolWire.roundTrip(P.ANTHROPIC, anthropicCached(stream, system, "Which products are cheapest?"), stream);
    JsonNode u1 = first.usage();
    int created = u1.path("cache_creation_input_tokens").asInt();
    assertTrue(created >= 1024, u1.toString());
    assertEquals(0, u1.path("cache_read_input_tokens").asInt(), u1.toString());
    Reply second = ToolWire.roundTrip(P.ANTHROPIC, anthropicCached(stream, system, "Which products are out of stock?"), stream);
    JsonNode u2 = second.usage();
    assertEquals(created, u2.path("cache_read_input_tokens").asInt(), u2.toString());
    assertEquals(0, u2.path("cache_creation_input_tokens").asInt(), u2.toString());
    assertTrue(u2.path("input_tokens").asInt() > 0 && u2.path("input_tokens").asInt() < 100, "only the uncached rest: " + u2);
    if (!stream) assertEquals(0, u2.path("cache_creation").path("ephemeral_5m_input_tokens").asInt());
    if (!stream) assertEquals(created, u1.path("cache_creation").path("ephemeral_5m_input_tokens").asInt());
  }

  @ParameterizedTest
  @MethodSource("streams")
  void anthropicShortOrUnmarkedPrefixesAreNotCached(boolean stream) throws Exception {
    String shortSystem = longText("anthropic-short", 500);
    for (int i = 0; i < 2; i++) {
      JsonNode u = ToolWire.roundTrip(P.ANTHROPIC, anthropicCached(stream, shortSystem, "q" + i), stream).usage();
      assertEquals(0, u.path("cache_creation_input_tokens").asInt() + u.path("cache_read_input_tokens").asInt(), u.toString());
    }
    String unmarked = longText("anthropic-unmarked", 1500);
    for (int i = 0; i < 2; i++) {
      ObjectNode b = anthropicBody("claude-sonnet-4-5", stream, "q" + i);
      b.put("system", unmarked);
      JsonNode u = ToolWire.roundTrip(P.ANTHROPIC, b, stream).usage();
      assertEquals(0, u.path("cache_creation_input_tokens").asInt() + u.path("cache_read_input_tokens").asInt(), u.toString());
    }
  }

  static Stream<Arguments> streams() {
    return Stream.of(Arguments.of(false), Arguments.of(true));
  }

  private static ObjectNode openAiCached(String model, boolean stream, String system, String question) {
    ObjectNode b = openAiBody(model, stream);
    if (stream) b.putObject("stream_options").put("include_usage", true);
    ArrayNode m = (ArrayNode) b.get("messages");
    m.addObject().put("role", "system").put("content", system);
    m.addObject().put("role", "user").put("content", question);
    return b;
  }

  @ParameterizedTest
  @MethodSource("streams")
  void openAiRepeatedPrefixIsReportedAsCachedTokens(boolean stream) throws Exception {
    String system = longText("openai-cache", 1500);
    JsonNode u1 = ToolWire.roundTrip(P.OPENAI, openAiCached("gpt-oss-120b", stream, system, "first question"), stream).usage();
    assertEquals(0, u1.path("prompt_tokens_details").path("cached_tokens").asInt(), u1.toString());
    assertFalse(u1.has("prompt_cache_hit_tokens"), "only DeepSeek-style models report hit/miss");
    JsonNode u2 = ToolWire.roundTrip(P.OPENAI, openAiCached("gpt-oss-120b", stream, system, "another question"), stream).usage();
    int cached = u2.path("prompt_tokens_details").path("cached_tokens").asInt();
    assertTrue(cached >= 1024 && cached < u2.path("prompt_tokens").asInt(), u2.toString());
  }

  @ParameterizedTest
  @MethodSource("streams")
  void deepSeekModelsAlsoReportHitAndMissTokens(boolean stream) throws Exception {
    String system = longText("deepseek-cache", 1500);
    JsonNode u1 = ToolWire.roundTrip(P.OPENAI, openAiCached("deepseek-flash", stream, system, "first"), stream).usage();
    assertEquals(0, u1.path("prompt_cache_hit_tokens").asInt(), u1.toString());
    assertEquals(u1.path("prompt_tokens").asInt(), u1.path("prompt_cache_miss_tokens").asInt(), u1.toString());
    JsonNode u2 = ToolWire.roundTrip(P.OPENAI, openAiCached("deepseek-flash", stream, system, "second"), stream).usage();
    int hit = u2.path("prompt_cache_hit_tokens").asInt();
    assertTrue(hit >= 1024, u2.toString());
    assertEquals(hit, u2.path("prompt_tokens_details").path("cached_tokens").asInt());
    assertEquals(u2.path("prompt_tokens").asInt(), hit + u2.path("prompt_cache_miss_tokens").asInt(), u2.toString());
  }

  @Test
  void shortOpenAiPromptsKeepTheirUsageShape() throws Exception {
    JsonNode u = ToolWire.roundTrip(P.OPENAI, openAiBody("deepseek-flash", false, "hi"), false).usage();
    assertEquals(0, u.path("prompt_tokens_details").path("cached_tokens").asInt());
    assertFalse(u.has("prompt_cache_hit_tokens"));
  }

  @Test
  void cacheEntriesExpireAfterFiveMinutesAndReadsRefreshThem() {
    AtomicLong now = new AtomicLong(1_000);
    PromptCache cache = new PromptCache(now::get);
    List<PromptCache.Breakpoint> bps = List.of(new PromptCache.Breakpoint(1, 1100), new PromptCache.Breakpoint(2, 2000));
    assertEquals(new PromptCache.Use(0, 2000), cache.use(bps));
    now.addAndGet(PromptCache.TTL_NANOS - 1);
    assertEquals(new PromptCache.Use(2000, 0), cache.use(bps)); // read, and refreshed
    now.addAndGet(PromptCache.TTL_NANOS - 1);
    assertEquals(new PromptCache.Use(2000, 0), cache.use(bps));
    now.addAndGet(PromptCache.TTL_NANOS);
    assertEquals(new PromptCache.Use(0, 2000), cache.use(bps)); // expired
    // a longer prompt sharing the first breakpoint: read up to it, write the rest
    assertEquals(new PromptCache.Use(1100, 900), cache.use(List.of(new PromptCache.Breakpoint(1, 1100), new PromptCache.Breakpoint(3, 2000))));
    assertEquals(PromptCache.Use.NONE, cache.use(List.of(new PromptCache.Breakpoint(4, 1023))));
  }
}
