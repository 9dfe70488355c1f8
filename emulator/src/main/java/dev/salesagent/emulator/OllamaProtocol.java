package dev.salesagent.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;

/** Ollama native {@code POST /api/chat} (NDJSON streaming by default), byte-compatible with fixtures/ollama.*. */
final class OllamaProtocol extends Protocol {
  static final String JSON = "application/json; charset=utf-8";
  static final String NDJSON = "application/x-ndjson";

  private final EmulatorOptions options;

  OllamaProtocol(EmulatorOptions options) {
    super("ollama");
    this.options = options;
  }

  @Override
  void commonHeaders(List<String[]> out) {}

  @Override
  boolean authorized(HttpServerRequest req) {
    return true;
  }

  @Override
  Reply unauthorized(HttpServerRequest req) {
    return error(401, "unauthorized");
  }

  static Reply error(int status, String message) {
    StringBuilder sb = new StringBuilder(80).append("{\"error\":");
    Wire.q(sb, message).append('}');
    return Reply.json(status, sb.toString(), JSON);
  }

  @Override
  Reply badRequest(String message) {
    return error(400, message);
  }

  @Override
  Reply notFoundPath(String method, String path) {
    return error(404, "404 page not found");
  }

  @Override
  IncomingChat parse(JsonNode body) throws BadRequest {
    IncomingChat r = new IncomingChat(name);
    JsonNode model = body.get("model");
    if (model == null || !model.isTextual() || model.asText().isEmpty()) throw new BadRequest("model is required");
    r.model = model.asText();
    JsonNode msgs = body.path("messages");
    if (!msgs.isMissingNode() && !msgs.isNull() && !msgs.isArray()) throw new BadRequest("invalid message format");
    // Ollama has no call ids: a call is known by its function name, a tool message by its tool_name (else its position)
    List<ToolPairing.Turn> turns = new ArrayList<>();
    int i = 0;
    for (JsonNode m : msgs) {
      String role = m.path("role").asText("");
      String content = text(m.get("content"));
      if (m.path("images").isArray() && !m.get("images").isEmpty()) content = withImages(content, m.get("images"), r);
      switch (role) {
        case "system" -> r.addSystem(content);
        case "user" -> {
          r.messages.add(new IncomingChat.Msg("user", content));
          turns.add(new ToolPairing.Turn(i, false, List.of()));
        }
        case "tool" -> {
          r.messages.add(new IncomingChat.Msg("user", content));
          ToolPairing.Turn prev = turns.isEmpty() ? null : turns.get(turns.size() - 1);
          if (prev == null || prev.assistant() || prev.ids().isEmpty()) {
            ToolPairing.Turn calls = prev != null && prev.assistant() ? prev : null;
            turns.add(prev = new ToolPairing.Turn(i, false, new ArrayList<>(2)));
            prev.ids().add(toolName(m, calls, 0));
          } else {
            ToolPairing.Turn calls = turns.size() > 1 ? turns.get(turns.size() - 2) : null;
            prev.ids().add(toolName(m, calls, prev.ids().size()));
          }
        }
        case "assistant" -> {
          String t = content;
          if (t.isEmpty() && m.has("tool_calls")) t = m.get("tool_calls").toString();
          r.messages.add(new IncomingChat.Msg("assistant", t));
          List<String> names = new ArrayList<>(1);
          for (JsonNode c : m.path("tool_calls")) names.add(c.path("function").path("name").asText(""));
          turns.add(new ToolPairing.Turn(i, true, names));
        }
        default -> throw new BadRequest("invalid role: " + role);
      }
      i++;
    }
    JsonNode tools = body.get("tools");
    if (tools != null && tools.isArray()) {
      for (JsonNode t : tools) {
        JsonNode f = t.path("function");
        if (f.path("name").isTextual()) r.tools.add(new IncomingChat.Tool(f.get("name").asText(), f.path("parameters")));
      }
      if (!tools.isEmpty()) r.extraPromptChars += tools.toString().length();
    }
    ToolPairing.Problem problem = ToolPairing.check(turns, !r.tools.isEmpty());
    if (problem != null) {
      throw new BadRequest(switch (problem.kind()) {
        case NO_TOOLS -> "tool messages require tools in the request";
        case UNKNOWN_RESULT -> "tool result for \"" + problem.id() + "\" answers no tool call of the previous assistant message";
        case MISSING_RESULT -> "tool call \"" + problem.id() + "\" of message " + problem.index() + " has no tool result";
      });
    }
    if (msgs.size() > 0 && "tool".equals(msgs.get(msgs.size() - 1).path("role").asText())) {
      r.lastTurnToolResults = true;
      int from = msgs.size() - 1;
      while (from > 0 && "tool".equals(msgs.get(from - 1).path("role").asText())) from--;
      for (int k = from; k < msgs.size(); k++) r.toolResults.add(text(msgs.get(k).get("content")));
    }
    r.splitPrefill();
    JsonNode s = body.get("stream");
    r.stream = s == null || s.isNull() || s.asBoolean(true);
    r.addStops(body.path("options").get("stop"));
    JsonNode think = body.get("think");
    r.reasoning = think != null && (think.asBoolean(false) || (think.isTextual() && !think.asText().equals("false") && !think.asText().isEmpty()));
    JsonNode np = body.path("options").path("num_predict");
    if (np.canConvertToInt() && np.asInt() >= 0) r.maxTokens = np.asInt();
    JsonNode fmt = body.get("format");
    if (fmt != null && fmt.isTextual() && fmt.asText().equals("json")) {
      r.mode = IncomingChat.Mode.JSON_OBJECT;
    } else if (fmt != null && fmt.isObject()) {
      r.mode = IncomingChat.Mode.JSON_SCHEMA;
      r.schema = fmt;
      r.extraPromptChars += fmt.toString().length();
    }
    r.decideTools();
    return r;
  }

  /** A tool message's tool_name, else the name of the call at its position in the preceding assistant turn. */
  private static String toolName(JsonNode m, ToolPairing.Turn calls, int position) {
    if (m.path("tool_name").isTextual()) return m.get("tool_name").asText();
    if (calls != null && calls.assistant() && position < calls.ids().size()) return calls.ids().get(position);
    return "";
  }

  /** Ollama's bare base64 {@code images}: acknowledged after the message text (the media type is sniffed). */
  private static String withImages(String content, JsonNode images, IncomingChat r) throws BadRequest {
    StringBuilder sb = new StringBuilder(content);
    for (JsonNode im : images) {
      String ack;
      try {
        ack = ImageInputs.base64(null, im.asText(""));
      } catch (IllegalArgumentException e) {
        throw new BadRequest("illegal base64 data in images");
      }
      r.images.add(ack);
      if (sb.length() > 0) sb.append('\n');
      sb.append(ack);
    }
    return sb.toString();
  }

  private void doneTail(StringBuilder sb, IncomingChat r, Answer a) {
    long promptNs = Math.max(options.firstTokenDelayMs() * 1_000_000L, a.inputTokens * 250_000L);
    long evalNs = Math.max(options.interTokenDelayMs() * 1_000_000L, 10_000_000L) * Math.max(1, a.outputTokens());
    long loadNs = 21_000_000L;
    sb.append("\"done_reason\":\"").append(a.finish == Answer.Finish.LENGTH ? "length" : "stop").append("\",\"done\":true,\"total_duration\":")
        .append(loadNs + promptNs + evalNs + 1_250_000L).append(",\"load_duration\":").append(loadNs)
        .append(",\"prompt_eval_count\":").append(a.inputTokens).append(",\"prompt_eval_duration\":").append(promptNs)
        .append(",\"eval_count\":").append(a.outputTokens()).append(",\"eval_duration\":").append(evalNs).append("}\n");
  }

  @Override
  Reply ok(IncomingChat r, Answer a) {
    StringBuilder sb = new StringBuilder(400 + a.text.length()).append("{\"model\":");
    Wire.q(sb, r.model).append(",\"created_at\":\"").append(Wire.nowNanos()).append("\",\"message\":{\"role\":\"assistant\",\"content\":");
    Wire.q(sb, a.tool ? "" : a.text);
    if (a.tool) toolCalls(sb, a);
    if (a.hasReasoning()) {
      sb.append(",\"thinking\":");
      Wire.q(sb, a.reasoning);
    }
    sb.append("},");
    doneTail(sb, r, a);
    return Reply.json(200, sb.toString(), JSON);
  }

  /** {@code ,"tool_calls":[{"function":{"name":…,"arguments":{…}}}]}: object arguments, no ids (as Ollama sends them). */
  private static void toolCalls(StringBuilder sb, Answer a) {
    sb.append(",\"tool_calls\":[");
    for (int k = 0; k < a.calls.size(); k++) {
      Answer.Call c = a.calls.get(k);
      if (k > 0) sb.append(',');
      sb.append("{\"function\":{\"name\":");
      Wire.q(sb, c.name()).append(",\"arguments\":").append(a.finish == Answer.Finish.LENGTH ? "{}" : c.arguments()).append("}}");
    }
    sb.append(']');
  }

  @Override
  Frames frames(IncomingChat r, Answer a) {
    StringBuilder p = new StringBuilder(64).append("{\"model\":");
    Wire.q(p, r.model).append(",\"created_at\":\"");
    String prefix = p.toString();
    List<Buffer> pieces = new ArrayList<>(a.pieces.size() + a.reasoningPieces.size());
    for (String s : a.reasoningPieces) {
      StringBuilder sb = new StringBuilder(prefix.length() + s.length() + 110).append(prefix).append(Wire.nowNanos())
          .append("\",\"message\":{\"role\":\"assistant\",\"content\":\"\",\"thinking\":");
      Wire.q(sb, s).append("},\"done\":false}\n");
      pieces.add(Wire.buf(sb));
    }
    if (a.tool) { // Ollama sends tool calls whole, in one chunk
      StringBuilder sb = new StringBuilder(prefix.length() + a.text.length() + 200).append(prefix).append(Wire.nowNanos())
          .append("\",\"message\":{\"role\":\"assistant\",\"content\":\"\"");
      toolCalls(sb, a);
      pieces.add(Wire.buf(sb.append("},\"done\":false}\n")));
    }
    for (String s : a.tool ? List.<String>of() : a.pieces) {
      StringBuilder sb = new StringBuilder(prefix.length() + s.length() + 100).append(prefix).append(Wire.nowNanos())
          .append("\",\"message\":{\"role\":\"assistant\",\"content\":");
      Wire.q(sb, s).append("},\"done\":false}\n");
      pieces.add(Wire.buf(sb));
    }
    StringBuilder t = new StringBuilder(300).append(prefix).append(Wire.nowNanos()).append("\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},");
    doneTail(t, r, a);
    return new Frames(Buffer.buffer(), pieces, Wire.buf(t));
  }

  @Override
  String streamContentType() {
    return NDJSON;
  }

  private static final Buffer MALFORMED = Wire.buf("{not json\n");
  private static final Buffer STREAM_ERROR = Wire.buf("{\"error\":\"an error was encountered while running the model\"}\n");

  @Override
  Buffer malformedFrame() {
    return MALFORMED;
  }

  @Override
  Buffer streamErrorFrame() {
    return STREAM_ERROR;
  }

  @Override
  Reply faultReply(Fault f, IncomingChat r, int retryAfter) {
    String model = r == null ? "" : r.model;
    return switch (f) {
      case RATE_LIMIT -> error(429, "too many requests, please retry later").header("retry-after", Integer.toString(retryAfter));
      case OVERLOADED -> error(503, "server busy, please try again.  maximum pending requests exceeded");
      case SERVER_ERROR -> error(500, "llama runner process has terminated: exit status 2");
      case STREAM_ERROR -> error(500, "an error was encountered while running the model");
      case UNAUTHORIZED -> error(401, "unauthorized");
      case NOT_FOUND -> error(404, "model \"" + model + "\" not found, try pulling it first");
      case BAD_REQUEST -> error(400, "invalid message format");
      case CONTEXT_LENGTH -> error(400, "the input length exceeds the context length");
      case CONTENT_FILTERED -> error(400, "content blocked by safety policy");
      default -> throw new IllegalArgumentException("not an HTTP fault: " + f);
    };
  }

  static final String TAGS = "{\"models\":["
      + tag("llama3.2:latest", "2026-10-02T09:14:27.51942131Z", 2019393189L, "a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72", "llama", "3.2B", "Q4_K_M") + ","
      + tag("qwen3:8b", "2026-11-20T18:40:03.220184935Z", 5225388164L, "500a1f067a9f782620b40bee6f7b0c89e17ae61f686b92c24933e4ca4b2b8b41", "qwen3", "8.2B", "Q4_K_M") + ","
      + tag("nomic-embed-text:latest", "2026-08-11T07:03:55.904712568Z", 274302450L, "0a109f422b47e3a30ba2b10eca18548e944e8a23073ee3f3e947efcf3c45e59f", "nomic-bert", "137M", "F16")
      + "]}";

  private static String tag(String name, String modified, long size, String digest, String family, String params, String quant) {
    return "{\"name\":\"" + name + "\",\"model\":\"" + name + "\",\"modified_at\":\"" + modified + "\",\"size\":" + size
        + ",\"digest\":\"" + digest + "\",\"details\":{\"parent_model\":\"\",\"format\":\"gguf\",\"family\":\"" + family
        + "\",\"families\":[\"" + family + "\"],\"parameter_size\":\"" + params + "\",\"quantization_level\":\"" + quant + "\"}}";
  }
}
