package dev.salesagent.server.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.salesagent.router.wire.Vectors;
import dev.salesagent.router.wire.WireJson;
import dev.salesagent.server.GatewayHarness;
import dev.salesagent.server.GatewayOptions;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/embeddings} over loopback against the emulators: floats and base64 (the same vectors), arrays in
 * order, fallback from a target nothing listens on, the caller's mistakes as 400s that say what to fix, and
 * {@code GET /v1/models} listing the task and the model.
 */
class EmbeddingsApiTest {
  static final String YAML = """
      providers:
        dead:
          kind: openai-compatible
          base_url: http://127.0.0.1:1/v1
          models:
            text-embedding-3-small: {context_window: 8191, input_usd_per_mtok: 0.02, output_usd_per_mtok: 0, capabilities: [embedding]}
      tasks:
        vectors:
          chain: [dead/text-embedding-3-small, ollama/nomic-embed-text]
      """;
  static GatewayHarness h;

  @BeforeAll
  static void up() {
    h = new GatewayHarness(YAML, GatewayOptions.defaults().withPort(0).withEventLoops(2));
  }

  @AfterAll
  static void down() {
    h.close();
  }

  static HttpResponse<String> embed(String body) {
    return h.post("/v1/embeddings", GatewayHarness.ADMIN_KEY, body);
  }

  static List<float[]> floats(JsonNode data) {
    List<float[]> out = new ArrayList<>();
    for (JsonNode d : data) {
      JsonNode e = d.get("embedding");
      float[] v = new float[e.size()];
      for (int i = 0; i < v.length; i++) v[i] = e.get(i).floatValue();
      out.add(v);
    }
    return out;
  }

  @Test
  void floatsForAnArrayInOrder() {
    HttpResponse<String> r = embed("{\"model\":\"task:embedding\",\"input\":[\"first text\",\"second\"]}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode root = WireJson.parse(r.body());
    assertThat(root.get("object").asText()).isEqualTo("list");
    assertThat(root.get("model").asText()).isEqualTo("nomic-embed-text");
    JsonNode data = root.get("data");
    assertThat(data).hasSize(2);
    assertThat(data.get(0).get("index").asInt()).isZero();
    assertThat(data.get(1).get("index").asInt()).isEqualTo(1);
    assertThat(data.get(0).get("object").asText()).isEqualTo("embedding");
    assertThat(data.get(0).get("embedding")).hasSize(768);
    assertThat(root.get("usage").get("prompt_tokens").asInt()).isEqualTo(3 + 2);
    assertThat(root.get("usage").get("total_tokens").asInt()).isEqualTo(5);
    assertThat(r.headers().firstValue("x-sales-agent-provider")).hasValue("ollama");
    assertThat(r.headers().firstValue("x-sales-agent-task")).hasValue("embedding");
    assertThat(r.headers().firstValue("x-sales-agent-attempts")).hasValue("1");
    // the same text alone gives the same vector at index 0
    JsonNode alone = WireJson.parse(embed("{\"model\":\"auto\",\"input\":\"second\"}").body());
    assertThat(floats(alone.get("data")).get(0)).containsExactly(floats(data).get(1));
  }

  @Test
  void base64IsLittleEndianFloat32OfTheSameVectors() {
    JsonNode asFloats = WireJson.parse(embed("{\"model\":\"ollama/nomic-embed-text\",\"input\":[\"base64 please\"]}").body());
    HttpResponse<String> r = embed("{\"model\":\"ollama/nomic-embed-text\",\"input\":[\"base64 please\"],\"encoding_format\":\"base64\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode e = WireJson.parse(r.body()).get("data").get(0).get("embedding");
    assertThat(e.isTextual()).isTrue();
    float[] decoded = Vectors.fromBase64(e.asText());
    assertThat(decoded).containsExactly(floats(asFloats.get("data")).get(0));
    // decoded by hand too: the first float's four bytes, least significant first
    byte[] raw = java.util.Base64.getDecoder().decode(e.asText());
    float first = java.nio.ByteBuffer.wrap(raw).order(java.nio.ByteOrder.LITTLE_ENDIAN).getFloat(0);
    assertThat(first).isEqualTo(decoded[0]);
  }

  @Test
  void dimensionsShortenTheVectors() {
    HttpResponse<String> r = embed("{\"model\":\"nomic-embed-text\",\"input\":\"short\",\"dimensions\":256}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(WireJson.parse(r.body()).get("data").get(0).get("embedding")).hasSize(256);
  }

  @Test
  void aFailingFirstTargetFallsBack() {
    HttpResponse<String> r = embed("{\"model\":\"task:vectors\",\"input\":\"fall over\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-sales-agent-provider")).hasValue("ollama");
    assertThat(r.headers().firstValue("x-sales-agent-attempt-list").orElseThrow())
        .startsWith("dead/text-embedding-3-small=unavailable").endsWith("ollama/nomic-embed-text=ok");
  }

  @Test
  void badInputsAre400sThatSayWhatToFix() {
    assertBad("{\"model\":\"task:embedding\"}", "input", "input is required");
    assertBad("{\"model\":\"task:embedding\",\"input\":[]}", "input", "at least one string");
    assertBad("{\"model\":\"task:embedding\",\"input\":[\"ok\",\"\"]}", "input[1]", "must not be empty");
    assertBad("{\"model\":\"task:embedding\",\"input\":[1,2,3]}", "input", "send the text itself");
    assertBad("{\"model\":\"task:embedding\",\"input\":\"x\",\"encoding_format\":\"int8\"}", "encoding_format", "\"float\" or \"base64\"");
    assertBad("{\"model\":\"task:embedding\",\"input\":\"x\",\"dimensions\":0}", "dimensions", "whole number");
    assertBad("{\"input\":\"x\"}", "model", "task:embedding");
    HttpResponse<String> chatModel = embed("{\"model\":\"cerebras/gpt-oss-120b\",\"input\":\"x\"}");
    assertThat(chatModel.statusCode()).isEqualTo(400);
    assertThat(chatModel.body()).contains("not an embedding model").contains("task:embedding").contains("ollama/nomic-embed-text");
    HttpResponse<String> chatTask = embed("{\"model\":\"task:content\",\"input\":\"x\"}");
    assertThat(chatTask.statusCode()).isEqualTo(400);
    assertThat(chatTask.body()).contains("task 'content' has no embedding model");
    assertThat(embed("{\"model\":\"no-such-model\",\"input\":\"x\"}").statusCode()).isEqualTo(404);
    assertThat(h.post("/v1/embeddings", null, "{\"model\":\"auto\",\"input\":\"x\"}").statusCode()).isEqualTo(401);
    assertThat(h.get("/v1/embeddings", GatewayHarness.ADMIN_KEY).statusCode()).isEqualTo(405);
  }

  static void assertBad(String body, String param, String says) {
    HttpResponse<String> r = embed(body);
    assertThat(r.statusCode()).as(body).isEqualTo(400);
    JsonNode err = WireJson.parse(r.body()).get("error");
    assertThat(err.get("message").asText()).as(body).contains(says);
    assertThat(err.get("param").asText()).as(body).isEqualTo(param);
  }

  @Test
  void modelsListTheTaskAndTheModel() {
    HttpResponse<String> r = h.get("/v1/models", GatewayHarness.ADMIN_KEY);
    List<String> ids = new ArrayList<>();
    for (JsonNode m : WireJson.parse(r.body()).get("data")) ids.add(m.get("id").asText());
    assertThat(ids).contains("task:embedding", "ollama/nomic-embed-text");
  }

  @Test
  void chatToAnEmbeddingModelIsRefused() {
    HttpResponse<String> r = h.post("/v1/chat/completions", GatewayHarness.ADMIN_KEY,
        "{\"model\":\"ollama/nomic-embed-text\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(r.statusCode()).isBetween(400, 599);
    assertThat(r.body()).contains("embedding model");
  }
}
