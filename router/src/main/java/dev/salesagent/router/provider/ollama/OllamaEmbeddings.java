package dev.salesagent.router.provider.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.salesagent.router.embedding.EmbeddingRequest;
import dev.salesagent.router.model.Usage;
import dev.salesagent.router.wire.EmbeddingAnswer;
import dev.salesagent.router.wire.ErrorMapper;
import dev.salesagent.router.wire.WireJson;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Ollama's embeddings ({@code POST {base}/api/embed}): {@code {"model","input":[…],"dimensions"?}} →
 * {@code {"embeddings":[[…]],"prompt_eval_count":N}}. ({@code /api/embeddings} is Ollama's older, one-text endpoint.)
 */
final class OllamaEmbeddings {
  private OllamaEmbeddings() {}

  static Buffer body(String model, EmbeddingRequest request) {
    ObjectNode b = WireJson.object();
    b.put("model", model);
    ArrayNode in = b.putArray("input");
    for (String s : request.inputs()) in.add(s);
    if (request.dimensions() != null) b.put("dimensions", request.dimensions());
    return WireJson.toBuffer(b);
  }

  static EmbeddingAnswer parse(byte[] body, ErrorMapper errors) {
    JsonNode root = WireJson.parse(body, 0, body.length);
    if (root != null && root.hasNonNull("error")) return EmbeddingAnswer.failed(errors.fromPayload(root));
    JsonNode all = root == null ? null : root.get("embeddings");
    if (all == null || !all.isArray()) return EmbeddingAnswer.malformed("no embeddings array in the answer");
    List<float[]> vectors = new ArrayList<>(all.size());
    for (JsonNode e : all) {
      if (!e.isArray()) return EmbeddingAnswer.malformed("an embedding is not a number array");
      float[] v = new float[e.size()];
      for (int i = 0; i < v.length; i++) {
        JsonNode n = e.get(i);
        if (!n.isNumber()) return EmbeddingAnswer.malformed("an embedding is not a number array");
        v[i] = n.floatValue();
      }
      vectors.add(v);
    }
    Integer prompt = WireJson.integer(root, "prompt_eval_count");
    return EmbeddingAnswer.of(vectors, prompt == null ? Usage.UNKNOWN : new Usage(prompt, 0, null));
  }
}
