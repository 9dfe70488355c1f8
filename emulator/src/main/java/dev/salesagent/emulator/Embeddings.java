package dev.salesagent.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.http.HttpServerRequest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Embeddings: OpenAI {@code POST /openai/v1/embeddings} and Ollama {@code POST /ollama/api/embed}. A vector is a
 * deterministic unit vector of (model, text) — the same text always gives the same vector, different texts different
 * ones — whose dimension is fixed per model. Tokens per input: {@code max(1, ceil(chars/4))}. Counted in the stats;
 * faults do not apply.
 */
final class Embeddings {
  private final EmulatorStats stats;
  private final OpenAiProtocol openai;
  private final OllamaProtocol ollama;

  Embeddings(EmulatorStats stats, OpenAiProtocol openai, OllamaProtocol ollama) {
    this.stats = stats;
    this.openai = openai;
    this.ollama = ollama;
  }

  /** The dimension of a model's vectors (the real models' sizes; 768 for any other name). */
  static int dimension(String model) {
    String base = model.contains(":") ? model.substring(0, model.indexOf(':')) : model;
    if (base.contains("/")) base = base.substring(base.lastIndexOf('/') + 1);
    return switch (base) {
      case "text-embedding-3-small", "text-embedding-ada-002" -> 1536;
      case "text-embedding-3-large" -> 3072;
      case "mxbai-embed-large", "bge-large", "snowflake-arctic-embed" -> 1024;
      case "all-minilm" -> 384;
      default -> 768; // nomic-embed-text and any other name
    };
  }

  /** The unit vector of {@code text} under {@code model}, cut to {@code dims} components (renormalised). */
  static float[] vector(String model, String text, int dims) {
    SplittableRandom rnd = new SplittableRandom(TextGenerator.mix(TextGenerator.hash(TextGenerator.hash(TextGenerator.SEED, model), text)));
    double[] v = new double[dims];
    double norm = 0;
    for (int i = 0; i < dims; i++) {
      v[i] = rnd.nextGaussian();
      norm += v[i] * v[i];
    }
    norm = Math.sqrt(norm);
    float[] out = new float[dims];
    for (int i = 0; i < dims; i++) out[i] = (float) (v[i] / norm);
    return out;
  }

  static int tokens(String text) {
    return Math.max(1, (text.length() + 3) / 4);
  }

  private static void floats(StringBuilder sb, float[] v) {
    sb.append('[');
    for (int i = 0; i < v.length; i++) {
      if (i > 0) sb.append(',');
      sb.append(v[i]);
    }
    sb.append(']');
  }

  /** Little-endian float32 bytes in base64, as OpenAI's {@code encoding_format: base64}. */
  static String base64(float[] v) {
    ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : v) b.putFloat(f);
    return Base64.getEncoder().encodeToString(b.array());
  }

  void handleOpenAi(HttpServerRequest req) {
    req.body().onSuccess(b -> {
      JsonNode json = ChatHandler.readJson(b);
      stats.record(openai.name, json != null ? json.path("model").asText("") : "");
      if (!openai.authorized(req)) {
        Replies.send(req, openai, openai.unauthorized(req));
        return;
      }
      try {
        Replies.send(req, openai, Protocol.Reply.json(200, openAiBody(json), OpenAiProtocol.JSON));
      } catch (Protocol.BadRequest e) {
        Replies.send(req, openai, openai.badRequest(e));
      }
    });
  }

  private static String openAiBody(JsonNode json) throws Protocol.BadRequest {
    if (json == null || !json.isObject()) throw new Protocol.BadRequest("We could not parse the JSON body of your request.");
    String model = json.path("model").asText("");
    if (model.isEmpty()) throw new Protocol.BadRequest("you must provide a model parameter", "model");
    List<String> inputs = openAiInputs(json.get("input"));
    String format = json.path("encoding_format").asText("float");
    if (!format.equals("float") && !format.equals("base64")) {
      throw new Protocol.BadRequest("Invalid value: '" + format + "'. Supported values are: 'float' and 'base64'.", "encoding_format");
    }
    int dims = dimension(model);
    if (json.has("dimensions")) {
      JsonNode d = json.get("dimensions");
      if (!d.canConvertToInt() || d.asInt() < 1 || d.asInt() > dims) {
        throw new Protocol.BadRequest("Invalid 'dimensions': must be between 1 and " + dims + " for " + model + ".", "dimensions");
      }
      dims = d.asInt();
    }
    StringBuilder sb = new StringBuilder(64 + inputs.size() * dims * 12).append("{\"object\":\"list\",\"data\":[");
    int tokens = 0;
    for (int i = 0; i < inputs.size(); i++) {
      float[] v = vector(model, inputs.get(i), dims);
      tokens += tokens(inputs.get(i));
      if (i > 0) sb.append(',');
      sb.append("{\"object\":\"embedding\",\"index\":").append(i).append(",\"embedding\":");
      if (format.equals("base64")) Wire.q(sb, base64(v));
      else floats(sb, v);
      sb.append('}');
    }
    sb.append("],\"model\":");
    Wire.q(sb, model).append(",\"usage\":{\"prompt_tokens\":").append(tokens).append(",\"total_tokens\":").append(tokens).append("}}");
    return sb.toString();
  }

  /** A string, an array of strings, an array of token ids or an array of token-id arrays (ids are joined as text). */
  private static List<String> openAiInputs(JsonNode in) throws Protocol.BadRequest {
    List<String> out = new ArrayList<>();
    if (in != null && in.isTextual()) {
      out.add(in.asText());
    } else if (in != null && in.isArray() && !in.isEmpty() && in.get(0).isNumber()) {
      out.add(in.toString());
    } else if (in != null && in.isArray()) {
      for (JsonNode x : in) {
        if (x.isTextual()) out.add(x.asText());
        else if (x.isArray()) out.add(x.toString());
        else throw new Protocol.BadRequest("'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.", "input");
      }
    }
    if (out.isEmpty()) throw new Protocol.BadRequest("'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.", "input");
    for (String s : out) {
      if (s.isEmpty()) throw new Protocol.BadRequest("'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.", "input");
    }
    return out;
  }

  void handleOllama(HttpServerRequest req) {
    req.body().onSuccess(b -> {
      JsonNode json = ChatHandler.readJson(b);
      if (json == null || !json.isObject()) {
        Replies.send(req, ollama, ollama.badRequest("invalid character in JSON body"));
        return;
      }
      String model = json.path("model").asText("");
      stats.record(ollama.name, model);
      if (model.isEmpty()) {
        Replies.send(req, ollama, ollama.badRequest("model is required"));
        return;
      }
      JsonNode in = json.get("input");
      List<String> inputs = new ArrayList<>();
      if (in != null && in.isTextual()) inputs.add(in.asText());
      else if (in != null && in.isArray()) for (JsonNode x : in) inputs.add(x.asText(""));
      int dims = dimension(model);
      if (json.path("dimensions").canConvertToInt() && json.get("dimensions").asInt() >= 1) dims = Math.min(dims, json.get("dimensions").asInt());
      StringBuilder sb = new StringBuilder(64 + inputs.size() * dims * 12).append("{\"model\":");
      Wire.q(sb, model).append(",\"embeddings\":[");
      int tokens = 0;
      for (int i = 0; i < inputs.size(); i++) {
        if (i > 0) sb.append(',');
        floats(sb, vector(model, inputs.get(i), dims));
        tokens += tokens(inputs.get(i));
      }
      long promptNs = 250_000L * tokens;
      sb.append("],\"total_duration\":").append(21_000_000L + promptNs).append(",\"load_duration\":21000000,\"prompt_eval_count\":")
          .append(tokens).append('}');
      Replies.send(req, ollama, Protocol.Reply.json(200, sb.toString(), OllamaProtocol.JSON));
    });
  }
}
