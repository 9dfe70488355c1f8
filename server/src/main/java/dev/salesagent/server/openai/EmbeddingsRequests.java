package dev.salesagent.server.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.salesagent.router.embedding.EmbeddingRequest;
import dev.salesagent.router.routing.EmbeddingRouteRequest;
import dev.salesagent.server.chat.ModelCatalog;
import dev.salesagent.server.http.ApiException;
import java.util.ArrayList;
import java.util.List;

/**
 * An OpenAI embeddings body ({@code model}, {@code input} a string or strings, {@code encoding_format}
 * {@code float|base64}, {@code dimensions}, {@code user}) checked and turned into the router's request. Every refusal
 * is a 400 naming the field and what to write.
 */
public final class EmbeddingsRequests {
  /** OpenAI's own limit on inputs per request. */
  static final int MAX_INPUTS = 2048;
  /** A ceiling far above every embedding model's, so a typo cannot ask for a huge vector. */
  static final int MAX_DIMENSIONS = 65_536;

  /** A parsed request: the router's, and whether the answer is wanted as base64. */
  public record Parsed(String requestedModel, ModelCatalog.Resolved route, EmbeddingRequest embedding, boolean base64) {

    public EmbeddingRouteRequest toRouteRequest(String requestId, String strategy, String apiKeyId) {
      return new EmbeddingRouteRequest(requestId, embedding, route.task(), strategy, route.provider(), route.model(), apiKeyId);
    }
  }

  private EmbeddingsRequests() {}

  /** @throws ApiException 400 for a body to refuse, 404 for an unknown model */
  public static Parsed parse(JsonNode root, ModelCatalog catalog) {
    if (!root.isObject()) throw ApiException.invalid(null, "the body must be a JSON object with model and input");
    JsonNode m = root.get("model");
    if (m == null || !m.isTextual() || m.textValue().isBlank()) {
      throw ApiException.invalid("model", "model is required: use task:embedding, an embedding model such as "
          + "ollama/nomic-embed-text, or auto (= task:embedding)");
    }
    List<String> inputs = inputs(root.get("input"));
    boolean base64 = false;
    JsonNode ef = root.get("encoding_format");
    if (ef != null && !ef.isNull()) {
      if (!ef.isTextual() || !(ef.textValue().equals("float") || ef.textValue().equals("base64"))) {
        throw ApiException.invalid("encoding_format", "encoding_format must be \"float\" or \"base64\"");
      }
      base64 = ef.textValue().equals("base64");
    }
    Integer dimensions = null;
    JsonNode d = root.get("dimensions");
    if (d != null && !d.isNull()) {
      if (!d.canConvertToInt() || !d.isIntegralNumber() || d.intValue() < 1 || d.intValue() > MAX_DIMENSIONS) {
        throw ApiException.invalid("dimensions", "dimensions must be a whole number from 1 to the model's vector length");
      }
      dimensions = d.intValue();
    }
    JsonNode user = root.get("user");
    if (user != null && !user.isNull() && !user.isTextual()) throw ApiException.invalid("user", "user must be a string");
    ModelCatalog.Resolved route = catalog.resolve(m.textValue());
    return new Parsed(m.textValue(), route, new EmbeddingRequest(inputs, dimensions), base64);
  }

  private static List<String> inputs(JsonNode in) {
    String what = "input must be a non-empty string or an array of non-empty strings";
    if (in == null || in.isNull()) throw ApiException.invalid("input", "input is required: " + what);
    if (in.isTextual()) {
      if (in.textValue().isEmpty()) throw ApiException.invalid("input", "input must not be empty: " + what);
      return List.of(in.textValue());
    }
    if (!in.isArray()) throw ApiException.invalid("input", what);
    if (in.isEmpty()) throw ApiException.invalid("input", "input must hold at least one string: " + what);
    if (in.size() > MAX_INPUTS) throw ApiException.invalid("input", "input holds " + in.size() + " items: at most " + MAX_INPUTS + " per request");
    List<String> out = new ArrayList<>(in.size());
    for (int i = 0; i < in.size(); i++) {
      JsonNode s = in.get(i);
      if (s.isNumber() || s.isArray()) {
        throw ApiException.invalid("input", "input as token ids is not supported here (the upstream may be Ollama, which "
            + "takes text): send the text itself");
      }
      if (!s.isTextual()) throw ApiException.invalid("input[" + i + "]", "input[" + i + "] must be a string");
      if (s.textValue().isEmpty()) throw ApiException.invalid("input[" + i + "]", "input[" + i + "] must not be empty");
      out.add(s.textValue());
    }
    return out;
  }
}
