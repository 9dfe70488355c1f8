package dev.salesagent.router.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.salesagent.router.model.ToolCall;
import dev.salesagent.router.wire.WireJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every transcript in shared/fixtures and in our own test fixtures, checked against its expected.json entry. */
class FixtureParsingTest {

  @TestFactory
  Stream<DynamicTest> sharedFixtures() throws Exception {
    return tests(FixtureSupport.sharedDir());
  }

  @TestFactory
  Stream<DynamicTest> localFixtures() throws Exception {
    return tests(FixtureSupport.localDir());
  }

  @Test
  void everySharedTranscriptHasAnExpectation() throws Exception {
    Path dir = FixtureSupport.sharedDir();
    JsonNode exp = FixtureSupport.expected(dir);
    try (Stream<Path> files = Files.list(dir)) {
      List<String> names = files.map(p -> p.getFileName().toString())
          .filter(n -> !n.equals("expected.json") && !n.equals("README.md")).toList();
      assertThat(names).isNotEmpty();
      for (String n : names) assertThat(exp.has(n)).as("expectation for " + n).isTrue();
    }
  }

  private static Stream<DynamicTest> tests(Path dir) throws Exception {
    JsonNode exp = FixtureSupport.expected(dir);
    List<DynamicTest> out = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = exp.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      out.add(DynamicTest.dynamicTest(e.getKey(), () -> check(dir, e.getKey(), e.getValue())));
    }
    return out.stream();
  }

  static void check(Path dir, String name, JsonNode x) throws Exception {
    byte[] bytes = Files.readAllBytes(dir.resolve(name));
    String jsonTool = WireJson.text(x, "json_tool");
    FixtureSupport.Outcome o = FixtureSupport.parse(name, bytes, jsonTool, null);
    String as = name + ": ";
    if (x.has("text")) assertThat(o.text()).as(as + "text").isEqualTo(WireJson.text(x, "text"));
    if (x.has("reasoning")) assertThat(o.reasoning()).as(as + "reasoning").isEqualTo(WireJson.text(x, "reasoning"));
    if (x.has("stop") && !name.equals("ollama.tags.json")) assertThat(o.stop()).as(as + "stop").isEqualTo(WireJson.text(x, "stop"));
    if (x.has("stop_native") && o.failure() == null) {
      assertThat(o.nativeFinish()).as(as + "stop_native").isEqualTo(WireJson.text(x, "stop_native"));
    }
    if (x.has("input_tokens")) assertThat(o.usage().inputTokens()).as(as + "input").isEqualTo(WireJson.integer(x, "input_tokens"));
    if (x.has("cached_input_tokens")) {
      assertThat(o.usage().cachedInputTokens()).as(as + "cached").isEqualTo(WireJson.integer(x, "cached_input_tokens"));
    }
    if (x.has("cache_creation_input_tokens")) {
      assertThat(o.usage().cacheCreationInputTokens()).as(as + "cache creation")
          .isEqualTo(WireJson.integer(x, "cache_creation_input_tokens"));
    }
    if (x.has("output_tokens")) assertThat(o.usage().outputTokens()).as(as + "output").isEqualTo(WireJson.integer(x, "output_tokens"));
    if (x.has("complete")) assertThat(o.complete()).as(as + "complete").isEqualTo(x.get("complete").asBoolean());
    if (x.has("model") && o.failure() == null && !name.endsWith(".http")) {
      assertThat(o.model()).as(as + "model").isEqualTo(WireJson.text(x, "model"));
    }
    JsonNode tc = x.get("tool_calls");
    if (tc != null && !tc.isNull()) {
      assertThat(o.toolCalls()).as(as + "tool calls").hasSize(tc.size());
      for (int i = 0; i < tc.size(); i++) {
        ToolCall t = o.toolCalls().get(i);
        String id = WireJson.text(tc.get(i), "id");
        if ("<synthesised>".equals(id)) {
          // Ollama sends no ids: the adapter makes unique ones every provider accepts
          assertThat(t.id()).as(as + "synthesised id").matches("call_[a-z0-9]+_" + i);
          if (i > 0) assertThat(t.id()).isNotEqualTo(o.toolCalls().get(0).id());
        } else {
          assertThat(t.id()).isEqualTo(id);
        }
        assertThat(t.name()).isEqualTo(WireJson.text(tc.get(i), "name"));
        assertThat(WireJson.parse(t.argumentsJson())).as(as + "arguments").isEqualTo(tc.get(i).get("arguments"));
      }
    } else if (tc != null) {
      assertThat(o.toolCalls()).as(as + "no tool calls").isEmpty();
    }
    String error = WireJson.text(x, "error");
    if (x.has("error")) {
      if (error == null) {
        assertThat(o.failure()).as(as + "no failure").isNull();
      } else {
        assertThat(o.failure()).as(as + "failure").isNotNull();
        assertThat(o.failure().providerErrorType()).as(as + "error").isEqualTo(error);
      }
    }
    JsonNode retryable = x.get("retryable");
    if (retryable != null && !retryable.isNull()) {
      assertThat(o.failure().kind().retryable()).as(as + "retryable").isEqualTo(retryable.asBoolean());
    }
    JsonNode status = x.get("http_status");
    if (status != null && !status.isNull()) assertThat(o.failure().httpStatus()).as(as + "status").isEqualTo(status.asInt());
    if (x.has("retry_after_s") && name.endsWith(".http")) {
      JsonNode ra = x.get("retry_after_s");
      if (ra.isNull()) assertThat(o.failure().retryAfter()).as(as + "retry-after").isNull();
      else assertThat(o.failure().retryAfter().toMillis() / 1000.0).as(as + "retry-after").isEqualTo(ra.asDouble());
    }
    if (name.endsWith(".http")) {
      assertThat(o.failure().rateLimitHeaders()).as(as + "rate-limit headers")
          .allSatisfy((k, v) -> assertThat(k).matches("(anthropic-ratelimit-|anthropic-priority-|x-ratelimit-|retry-after|x-should-retry).*"));
      if (new String(bytes).contains("\r\nretry-after:")) assertThat(o.failure().rateLimitHeaders()).containsKey("retry-after");
    }
    if (x.has("kind")) assertThat(o.failure().kind().wire()).as(as + "kind").isEqualTo(WireJson.text(x, "kind"));
    if (x.has("context_length")) {
      assertThat(o.failure().contextLengthExceeded()).as(as + "context length").isEqualTo(x.get("context_length").asBoolean());
    }
    if (name.equals("ollama.tags.json")) {
      assertThat(o.tags()).containsExactly("llama3.2:latest", "qwen3:8b", "nomic-embed-text:latest");
    }
    if (o.failure() == null && FixtureSupport.isStream(name)) {
      // the events carry exactly the text and reasoning of the result
      StringBuilder t = new StringBuilder();
      StringBuilder r = new StringBuilder();
      for (var ev : o.events()) {
        if (ev instanceof dev.salesagent.router.model.StreamEvent.TextDelta d) t.append(d.text());
        if (ev instanceof dev.salesagent.router.model.StreamEvent.ReasoningDelta d) r.append(d.text());
      }
      assertThat(t.toString()).isEqualTo(o.text() == null ? "" : o.text());
      assertThat(r.toString()).isEqualTo(o.reasoning() == null ? "" : o.reasoning());
    }
  }
}
