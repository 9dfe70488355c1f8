package dev.salesagent.server.openai;

import dev.salesagent.router.embedding.EmbeddingResponse;
import dev.salesagent.router.model.Usage;
import dev.salesagent.router.routing.RoutedEmbeddings;
import dev.salesagent.router.wire.Vectors;
import dev.salesagent.server.http.JsonOut;
import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * A routed embeddings answer in OpenAI's shape: {@code {"object":"list","data":[{"object":"embedding","index",
 * "embedding"}],"model","usage":{"prompt_tokens","total_tokens"}}}; each embedding a float array, or with
 * {@code base64} the float32 values little-endian in base64 (the OpenAI Node SDK's default). Usage the provider did
 * not report is {@code null}.
 */
public final class EmbeddingsResponses {
  private EmbeddingsResponses() {}

  public static Buffer list(RoutedEmbeddings r, boolean base64) {
    EmbeddingResponse e = r.response();
    List<float[]> vectors = e.vectors();
    Usage u = e.usage();
    return JsonOut.buffer(g -> {
      g.writeStartObject();
      g.writeStringField("object", "list");
      g.writeArrayFieldStart("data");
      for (int i = 0; i < vectors.size(); i++) {
        g.writeStartObject();
        g.writeStringField("object", "embedding");
        g.writeNumberField("index", i);
        if (base64) {
          g.writeStringField("embedding", Vectors.base64(vectors.get(i)));
        } else {
          float[] v = vectors.get(i);
          g.writeFieldName("embedding");
          g.writeStartArray(v, v.length);
          for (float f : v) g.writeNumber(f);
          g.writeEndArray();
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeStringField("model", e.model());
      g.writeObjectFieldStart("usage");
      if (u.inputTokens() == null) {
        g.writeNullField("prompt_tokens");
        g.writeNullField("total_tokens");
      } else {
        g.writeNumberField("prompt_tokens", u.inputTokens());
        g.writeNumberField("total_tokens", u.inputTokens());
      }
      g.writeEndObject();
      g.writeEndObject();
    });
  }
}
