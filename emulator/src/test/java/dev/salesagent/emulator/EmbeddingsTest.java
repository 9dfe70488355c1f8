package dev.salesagent.emulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** OpenAI {@code /openai/v1/embeddings} and Ollama {@code /ollama/api/embed} over loopback HTTP. */
class EmbeddingsTest extends EmulatorTestBase {

  private static JsonNode openAi(ObjectNode body, int status) throws Exception {
    RawHttp.Result r = RawHttp.post(emu.port(), "/openai/v1/embeddings", openAiHeaders(), body.toString(), 5000);
    assertEquals(status, r.status, r.toString());
    return json(r.body);
  }

  private static float[] floats(JsonNode arr) {
    float[] f = new float[arr.size()];
    for (int i = 0; i < f.length; i++) f[i] = (float) arr.get(i).asDouble();
    return f;
  }

  private static void assertUnit(float[] v) {
    double n = 0;
    for (float x : v) n += (double) x * x;
    assertEquals(1.0, Math.sqrt(n), 1e-5);
  }

  @Test
  void openAiFloatVectorsAreDeterministicUnitVectors() throws Exception {
    ObjectNode b = M.createObjectNode().put("model", "text-embedding-3-small").put("encoding_format", "float");
    b.putArray("input").add("the quick brown fox").add("a different text").add("the quick brown fox");
    JsonNode r = openAi(b, 200);
    assertEquals("list", r.path("object").asText());
    assertEquals("text-embedding-3-small", r.path("model").asText());
    assertEquals(3, r.path("data").size());
    float[][] v = new float[3][];
    for (int i = 0; i < 3; i++) {
      JsonNode d = r.path("data").get(i);
      assertEquals("embedding", d.path("object").asText());
      assertEquals(i, d.path("index").asInt());
      v[i] = floats(d.path("embedding"));
      assertEquals(1536, v[i].length);
      assertUnit(v[i]);
    }
    assertArrayEquals(v[0], v[2]);
    assertFalse(java.util.Arrays.equals(v[0], v[1]));
    int tokens = r.path("usage").path("prompt_tokens").asInt();
    assertEquals(Embeddings.tokens("the quick brown fox") * 2 + Embeddings.tokens("a different text"), tokens);
    assertEquals(tokens, r.path("usage").path("total_tokens").asInt());
    // a second request: the same vector again
    JsonNode again = openAi(M.createObjectNode().put("model", "text-embedding-3-small").put("input", "the quick brown fox"), 200);
    assertArrayEquals(v[0], floats(again.path("data").get(0).path("embedding")));
  }

  @Test
  void openAiBase64IsTheLittleEndianFloat32OfTheSameVector() throws Exception {
    ObjectNode b = M.createObjectNode().put("model", "nomic-embed-text").put("input", "hello world");
    float[] plain = floats(openAi(b, 200).path("data").get(0).path("embedding"));
    JsonNode r = openAi(b.put("encoding_format", "base64"), 200);
    byte[] bytes = Base64.getDecoder().decode(r.path("data").get(0).path("embedding").asText());
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    float[] decoded = new float[bytes.length / 4];
    for (int i = 0; i < decoded.length; i++) decoded[i] = buf.getFloat();
    assertEquals(768, decoded.length);
    assertArrayEquals(plain, decoded);
  }

  @Test
  void openAiDimensionsAndErrors() throws Exception {
    JsonNode r = openAi(M.createObjectNode().put("model", "text-embedding-3-large").put("input", "x").put("dimensions", 256), 200);
    float[] v = floats(r.path("data").get(0).path("embedding"));
    assertEquals(256, v.length);
    assertUnit(v);
    JsonNode e = openAi(M.createObjectNode().put("model", "text-embedding-3-small").put("input", ""), 400);
    assertEquals("invalid_request_error", e.path("error").path("type").asText());
    assertEquals("input", e.path("error").path("param").asText());
    openAi(M.createObjectNode().put("input", "x"), 400);
    openAi(M.createObjectNode().put("model", "m").put("input", "x").put("encoding_format", "hex"), 400);
    RawHttp.Result noKey = RawHttp.post(emu.port(), "/openai/v1/embeddings", Map.of(), "{\"model\":\"m\",\"input\":\"x\"}", 5000);
    assertEquals(401, noKey.status);
  }

  @Test
  void ollamaEmbedReturnsOneUnitVectorPerInput() throws Exception {
    ObjectNode b = M.createObjectNode().put("model", "nomic-embed-text");
    b.putArray("input").add("why is the sky blue?").add("why is the grass green?");
    RawHttp.Result res = RawHttp.post(emu.port(), "/ollama/api/embed", Map.of(), b.toString(), 5000);
    assertEquals(200, res.status, res.toString());
    JsonNode r = json(res.body);
    assertEquals("nomic-embed-text", r.path("model").asText());
    assertEquals(2, r.path("embeddings").size());
    float[] a = floats(r.path("embeddings").get(0));
    assertEquals(768, a.length);
    assertUnit(a);
    assertFalse(java.util.Arrays.equals(a, floats(r.path("embeddings").get(1))));
    assertEquals(Embeddings.tokens("why is the sky blue?") + Embeddings.tokens("why is the grass green?"), r.path("prompt_eval_count").asInt());
    assertTrue(r.path("total_duration").asLong() > 0);
    // same text, same model: the same vector as through the OpenAI-compatible endpoint
    JsonNode single = json(RawHttp.post(emu.port(), "/ollama/api/embed", Map.of(), "{\"model\":\"nomic-embed-text\",\"input\":\"why is the sky blue?\"}", 5000).body);
    assertArrayEquals(a, floats(single.path("embeddings").get(0)));
    JsonNode viaOpenAi = openAi(M.createObjectNode().put("model", "nomic-embed-text").put("input", "why is the sky blue?"), 200);
    assertArrayEquals(a, floats(viaOpenAi.path("data").get(0).path("embedding")));
    RawHttp.Result noModel = RawHttp.post(emu.port(), "/ollama/api/embed", Map.of(), "{\"input\":\"x\"}", 5000);
    assertEquals(400, noModel.status);
    assertEquals("model is required", json(noModel.body).path("error").asText());
    assertEquals(2, emu.stats().requests("ollama", "nomic-embed-text"));
  }
}
