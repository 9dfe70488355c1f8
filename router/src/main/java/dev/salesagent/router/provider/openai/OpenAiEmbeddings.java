package dev.salesagent.router.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.salesagent.router.embedding.EmbeddingRequest;
import dev.salesagent.router.model.Usage;
import dev.salesagent.router.wire.EmbeddingAnswer;
import dev.salesagent.router.wire.Vectors;
import dev.salesagent.router.wire.WireJson;
import io.vertx.core.buffer.Buffer;
import java.util.Arrays;

/**
 * OpenAI's embeddings wire format ({@code POST {base}/embeddings}): {@code {"model","input":[…],"encoding_format":
 * "float","dimensions"?}} → {@code {"data":[{"index","embedding":[…]}],"usage":{"prompt_tokens"}}}. Floats are asked
 * for (every compatible server speaks them; base64 is optional there) and a base64 answer is read too.
 */
final class OpenAiEmbeddings {
  private OpenAiEmbeddings() {}

  static Buffer body(String model, EmbeddingRequest request) {
    ObjectNode b = WireJson.object();
    b.put("model", model);
    ArrayNode in = b.putArray("input");
    for (String s : request.inputs()) in.add(s);
    b.put("encoding_format", "float");
    if (request.dimensions() != null) b.put("dimensions", request.dimensions());
    return WireJson.toBuffer(b);
  }

  static EmbeddingAnswer parse(byte[] body) {
    JsonNode root = WireJson.parse(body, 0, body.length);
    JsonNode data = root == null ? null : root.get("data");
    if (data == null || !data.isArray()) return EmbeddingAnswer.malformed("no data array in the embeddings answer");
    float[][] byIndex = new float[data.size()][];
    for (int i = 0; i < data.size(); i++) {
      JsonNode item = data.get(i);
      JsonNode idx = item.get("index");
      int at = idx != null && idx.canConvertToInt() ? idx.intValue() : i;
      if (at < 0 || at >= byIndex.length || byIndex[at] != null) return EmbeddingAnswer.malformed("embedding index " + at + " out of place");
      float[] v = vector(item.get("embedding"));
      if (v == null) return EmbeddingAnswer.malformed("embedding " + at + " is neither a number array nor base64 float32");
      byIndex[at] = v;
    }
    JsonNode usage = root.get("usage");
    Integer prompt = usage == null ? null : WireJson.integer(usage, "prompt_tokens");
    // embeddings produce no output tokens: a known 0, so the attempt is charged its input exactly
    return EmbeddingAnswer.of(Arrays.asList(byIndex), prompt == null ? Usage.UNKNOWN : new Usage(prompt, 0, null));
  }

  private static float[] vector(JsonNode e) {
    if (e == null) return null;
    if (e.isTextual()) return Vectors.fromBase64(e.textValue());
    if (!e.isArray()) return null;
    float[] v = new float[e.size()];
    for (int i = 0; i < v.length; i++) {
      JsonNode n = e.get(i);
      if (!n.isNumber()) return null;
      v[i] = n.floatValue();
    }
    return v;
  }

}
