package dev.salesagent.router.execution;

import static dev.salesagent.router.execution.EmulatorHarness.await;
import static dev.salesagent.router.execution.EmulatorHarness.awaitFailure;
import static org.junit.jupiter.api.Assertions.*;

import dev.salesagent.emulator.EmulatorOptions;
import dev.salesagent.router.RouterRuntime;
import dev.salesagent.router.embedding.EmbeddingRequest;
import dev.salesagent.router.error.ErrorKind;
import dev.salesagent.router.error.LlmException;
import dev.salesagent.router.model.ChatRequest;
import dev.salesagent.router.routing.EmbeddingRouteRequest;
import dev.salesagent.router.routing.RouteHints;
import dev.salesagent.router.routing.RouteRequest;
import dev.salesagent.router.routing.RoutedEmbeddings;
import dev.salesagent.router.routing.UsageRecord;
import dev.salesagent.router.strategy.RoutePlan;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Embeddings routed like chat over loopback against the emulators: the predefined task {@code embedding} (Ollama's
 * {@code /api/embed}), an OpenAI-compatible provider's {@code /embeddings}, fallback from a target that cannot be
 * reached, {@code dimensions}, usage and cost in the ledger, and the caller's mistakes refused with what to write.
 */
class RouterEmbeddingsTest {
  /** An OpenAI-compatible provider with a priced embedding model, and one on a port where nothing listens. */
  static String providers(String openAiBase) {
    return """
        providers:
          oai:
            kind: openai-compatible
            base_url: %s
            api_key_env: OAI_TEST_KEY
            models:
              text-embedding-3-small: {context_window: 8191, input_usd_per_mtok: 0.02, output_usd_per_mtok: 0, capabilities: [embedding]}
          dead:
            kind: openai-compatible
            base_url: http://127.0.0.1:1/v1
            models:
              text-embedding-3-small: {context_window: 8191, input_usd_per_mtok: 0.02, output_usd_per_mtok: 0, capabilities: [embedding]}
        tasks:
          vectors:
            chain: [dead/text-embedding-3-small, ollama/nomic-embed-text]
        """.formatted(openAiBase);
  }

  EmulatorHarness h;

  @AfterEach
  void tearDown() {
    if (h != null) h.close();
  }

  RouterRuntime start() {
    h = new EmulatorHarness(EmulatorOptions.defaults());
    h.envOverrides.put("OAI_TEST_KEY", "test-key-oai");
    return h.start(providers(h.emulator.openAiBaseUrl()), null);
  }

  static EmbeddingRouteRequest request(String model, List<String> inputs, Integer dimensions) {
    return new EmbeddingRouteRequest(UUID.randomUUID().toString(), new EmbeddingRequest(inputs, dimensions), null, null,
        null, model, "key-1");
  }

  static double norm(float[] v) {
    double s = 0;
    for (float f : v) s += (double) f * f;
    return Math.sqrt(s);
  }

  @Test
  void theEmbeddingTaskGoesToOllamaAndIsRecorded() {
    RouterRuntime rt = start();
    RoutedEmbeddings r = await(rt.router().embed(request(null, List.of("alpha beta", "gamma"), null)));
    assertEquals("embedding", r.task());
    assertEquals("ollama", r.response().provider());
    assertEquals("nomic-embed-text", r.response().model());
    assertEquals(2, r.response().vectors().size());
    for (float[] v : r.response().vectors()) {
      assertEquals(768, v.length, "nomic-embed-text has 768 dimensions");
      assertEquals(1.0, norm(v), 1e-4, "unit vectors");
    }
    assertFalse(Arrays.equals(r.response().vectors().get(0), r.response().vectors().get(1)), "different texts, different vectors");
    RoutedEmbeddings again = await(rt.router().embed(request("task:embedding", List.of("gamma"), null)));
    assertArrayEquals(r.response().vectors().get(1), again.response().vectors().get(0), "same text, same vector");
    assertEquals(2, h.emulator.stats().requests("ollama", "nomic-embed-text"), "one upstream call per request");

    UsageRecord row = h.usage.get(0);
    assertEquals("embedding", row.task());
    assertEquals("ollama", row.provider());
    assertEquals("key-1", row.apiKeyId());
    assertEquals("ok", row.outcome());
    assertEquals(Integer.valueOf(3 + 2), row.inputTokens(), "the emulator's count: ceil(chars/4) per input");
    assertEquals(Integer.valueOf(0), row.outputTokens());
    assertFalse(row.usageEstimated());
    assertEquals(0.0, row.costUsd(), "local models cost nothing");
  }

  @Test
  void anOpenAiCompatibleProviderIsPricedAndHonoursDimensions() {
    RouterRuntime rt = start();
    RoutedEmbeddings r = await(rt.router().embed(request("oai/text-embedding-3-small", List.of("one two three four"), 64)));
    assertEquals("oai", r.response().provider());
    assertEquals(64, r.response().vectors().get(0).length);
    assertEquals(1.0, norm(r.response().vectors().get(0)), 1e-4);
    UsageRecord row = h.usage.get(h.usage.size() - 1);
    assertEquals(Integer.valueOf(5), row.inputTokens());
    assertEquals(5 * 0.02 / 1_000_000, row.costUsd(), 1e-15);
    assertEquals(row.costUsd(), r.costUsd(), 1e-15);
  }

  @Test
  void dimensionsAnUpstreamIgnoresAreCutAndRenormalised() {
    RouterRuntime rt = start();
    RoutedEmbeddings full = await(rt.router().embed(request(null, List.of("matryoshka"), null)));
    RoutedEmbeddings cut = await(rt.router().embed(request(null, List.of("matryoshka"), 128)));
    float[] f = full.response().vectors().get(0);
    float[] c = cut.response().vectors().get(0);
    assertEquals(128, c.length);
    assertEquals(1.0, norm(c), 1e-4);
    double scale = norm(Arrays.copyOf(f, 128));
    assertEquals(f[5] / scale, c[5], 1e-5, "the first components, scaled back to unit length");
  }

  @Test
  void aTargetThatCannotBeReachedFallsBackToTheNext() {
    RouterRuntime rt = start();
    RoutedEmbeddings r = await(rt.router().embed(request("task:vectors", List.of("fallback please"), null)));
    assertEquals("ollama", r.response().provider());
    assertEquals("unavailable", r.attempts().get(0).outcome());
    assertEquals("dead", r.attempts().get(0).provider());
    assertTrue(r.attempts().get(r.attempts().size() - 1).ok());
    assertEquals(r.attempts().size(), h.usage.size(), "a ledger row per attempt");
    assertEquals("unavailable", h.usage.get(0).outcome());
    assertEquals(0.0, h.usage.get(0).costUsd(), "a provider that never got the request costs nothing");
  }

  @Test
  void aChatModelOrChatTaskIsRefusedWithWhatToWrite() {
    RouterRuntime rt = start();
    LlmException e = (LlmException) awaitFailure(rt.router().embed(request("ollama/llama3.2", List.of("x"), null)));
    assertEquals(ErrorKind.INVALID_REQUEST, e.kind());
    assertTrue(e.getMessage().contains("not an embedding model") && e.getMessage().contains("task:embedding")
        && e.getMessage().contains("ollama/nomic-embed-text"), e.getMessage());
    LlmException t = (LlmException) awaitFailure(rt.router().embed(request("task:content", List.of("x"), null)));
    assertEquals(ErrorKind.INVALID_REQUEST, t.kind());
    assertTrue(t.getMessage().contains("task 'content' has no embedding model"), t.getMessage());
    assertTrue(h.usage.isEmpty(), "nothing was called");
  }

  @Test
  void chatPlansNeverHoldEmbeddingModels() {
    RouterRuntime rt = start();
    // the cheapest targets are the free embedding models: the cost strategy must still pass them over
    RouteRequest chat = new RouteRequest("r1", ChatRequest.user("hello"), "parsing", "cost", null, null, RouteHints.NONE, null);
    RoutePlan plan = rt.unifiedRouter().plan(chat);
    for (int i = 0; i < plan.size(); i++) {
      assertFalse(plan.get(i).spec().has(dev.salesagent.router.provider.Capability.EMBEDDING), plan.get(i).toString());
    }
    assertTrue(plan.size() > 0);
  }
}
