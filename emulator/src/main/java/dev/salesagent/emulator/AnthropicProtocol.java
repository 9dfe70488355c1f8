package dev.salesagent.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;

/** Anthropic Messages API ({@code POST /v1/messages}), byte-compatible with fixtures/anthropic.*. */
final class AnthropicProtocol extends Protocol {
  static final String JSON = "application/json";
  static final String SSE = "text/event-stream; charset=utf-8";

  AnthropicProtocol() {
    super("anthropic");
  }

  private String msgId() {
    return "msg_01EMU" + Wire.pad(ids.incrementAndGet(), 17);
  }

  String requestId() {
    return "req_011CEMU" + Wire.pad(ids.incrementAndGet(), 15);
  }

  @Override
  void commonHeaders(List<String[]> out) {
    out.add(new String[] {"request-id", requestId()});
  }

  @Override
  boolean authorized(HttpServerRequest req) {
    String key = req.getHeader("x-api-key");
    String version = req.getHeader("anthropic-version");
    return key != null && !key.isBlank() && version != null && !version.isBlank();
  }

  @Override
  Reply unauthorized(HttpServerRequest req) {
    String key = req.getHeader("x-api-key");
    String msg = key == null || key.isBlank() ? "x-api-key header is required" : "anthropic-version: header is required";
    return error(401, "authentication_error", msg);
  }

  Reply error(int status, String type, String message) {
    StringBuilder sb = new StringBuilder(160).append("{\"type\":\"error\",\"error\":{\"type\":");
    Wire.q(sb, type).append(",\"message\":");
    Wire.q(sb, message).append("},\"request_id\":");
    Wire.q(sb, requestId()).append('}');
    return Reply.json(status, sb.toString(), JSON);
  }

  @Override
  Reply badRequest(String message) {
    return error(400, "invalid_request_error", message);
  }

  @Override
  Reply notFoundPath(String method, String path) {
    return error(404, "not_found_error", "Not Found");
  }

  static String blocksText(JsonNode content) {
    return blocksText(content, null);
  }

  /** The text of content blocks; image blocks become their acknowledgement, also added to {@code images} when given. */
  static String blocksText(JsonNode content, List<String> images) {
    if (content == null || content.isNull() || content.isMissingNode()) return "";
    if (content.isTextual()) return content.asText();
    if (!content.isArray()) return content.toString();
    StringBuilder sb = new StringBuilder();
    for (JsonNode b : content) {
      String t = b.path("type").asText("");
      String piece = switch (t) {
        case "text" -> text(b.get("text"));
        case "tool_use" -> Wire.compact(b.path("input"));
        case "tool_result" -> blocksText(b.get("content"), images);
        case "image" -> image(b.path("source"), images);
        case "thinking", "redacted_thinking" -> null;
        default -> b.isTextual() ? b.asText() : null;
      };
      if (piece == null) continue;
      if (sb.length() > 0) sb.append('\n');
      sb.append(piece);
    }
    return sb.toString();
  }

  private static String image(JsonNode source, List<String> images) {
    String ack = "url".equals(source.path("type").asText())
        ? ImageInputs.url(source.path("url").asText(""))
        : ImageInputs.base64(source.path("media_type").asText(""), source.path("data").asText(""));
    if (images != null) images.add(ack);
    return ack;
  }

  @Override
  IncomingChat parse(JsonNode body) throws BadRequest {
    IncomingChat r = new IncomingChat(name);
    JsonNode model = body.get("model");
    if (model == null || !model.isTextual() || model.asText().isEmpty()) throw new BadRequest("model: Field required");
    r.model = model.asText();
    JsonNode mt = body.get("max_tokens");
    if (mt == null || !mt.canConvertToInt()) throw new BadRequest("max_tokens: Field required");
    if (mt.asInt() < 1) throw new BadRequest("max_tokens: Input should be greater than or equal to 1");
    r.maxTokens = mt.asInt();
    JsonNode msgs = body.get("messages");
    if (msgs == null || !msgs.isArray()) throw new BadRequest("messages: Field required");
    if (msgs.isEmpty()) throw new BadRequest("messages: at least one message is required");
    r.stream = body.path("stream").asBoolean(false);
    r.addStops(body.get("stop_sequences"));
    String thinking = body.path("thinking").path("type").asText("");
    r.reasoning = thinking.equals("enabled") || thinking.equals("adaptive");
    JsonNode sys = body.get("system");
    if (sys != null) r.addSystem(blocksText(sys));
    List<ToolPairing.Turn> turns = new ArrayList<>(msgs.size());
    for (JsonNode m : msgs) {
      String role = m.path("role").asText("");
      if (!role.equals("user") && !role.equals("assistant")) {
        throw new BadRequest("messages: Unexpected role \"" + role + "\". Allowed roles are \"user\" or \"assistant\".");
      }
      if (role.equals("assistant")) checkThinkingBlocks(m.get("content"), "messages." + turns.size() + ".content");
      try {
        r.messages.add(new IncomingChat.Msg(role, blocksText(m.get("content"), r.images)));
      } catch (IllegalArgumentException e) {
        throw new BadRequest("messages." + turns.size() + ".content: " + e.getMessage());
      }
      turns.add(new ToolPairing.Turn(turns.size(), role.equals("assistant"), toolIds(m.get("content"), role.equals("assistant"))));
    }
    JsonNode last = msgs.get(msgs.size() - 1);
    if ("user".equals(last.path("role").asText()) && !turns.get(turns.size() - 1).ids().isEmpty()) {
      r.lastTurnToolResults = true;
      for (JsonNode b : last.path("content")) {
        if ("tool_result".equals(b.path("type").asText())) r.toolResults.add(blocksText(b.get("content")));
      }
    }
    if (!r.messages.get(0).role().equals("user") && r.messages.size() == 1) {
      // Anthropic allows a lone assistant turn only as prefill after a user turn
      throw new BadRequest("messages: first message must use the \"user\" role");
    }
    r.splitPrefill();
    if (r.prefill != null && !r.prefill.isEmpty() && Character.isWhitespace(r.prefill.charAt(r.prefill.length() - 1))) {
      // the real API refuses a prefill that ends in whitespace
      throw new BadRequest("messages: final assistant content cannot end with trailing whitespace");
    }
    JsonNode tools = body.get("tools");
    JsonNode choice = body.get("tool_choice");
    if (tools != null && tools.isArray() && !tools.isEmpty()) {
      r.extraPromptChars += tools.toString().length();
      for (JsonNode t : tools) {
        if (t.path("input_schema").isObject()) r.tools.add(new IncomingChat.Tool(t.path("name").asText(""), t.get("input_schema")));
      }
      String ct = choice == null ? "auto" : choice.path("type").asText("auto");
      r.toolChoiceNone = ct.equals("none");
      if (ct.equals("tool")) {
        String n = choice.path("name").asText("");
        JsonNode chosen = null;
        for (JsonNode t : tools) if (n.equals(t.path("name").asText())) chosen = t;
        if (chosen == null) throw new BadRequest("tool_choice: tool '" + n + "' not found in tools");
        r.mode = IncomingChat.Mode.TOOL;
        r.toolName = chosen.path("name").asText();
        r.schema = chosen.path("input_schema");
      }
    }
    ToolPairing.Problem problem = ToolPairing.check(turns, !r.tools.isEmpty());
    if (problem != null) throw new BadRequest(pairingMessage(problem));
    if (r.inputTokens() >= PromptCache.MIN_TOKENS) PromptCacheKeys.anthropic(body, r); // shorter prompts are never cached
    if (r.mode == IncomingChat.Mode.TEXT) {
      JsonNode fmt = body.path("output_config").path("format");
      if (fmt.isMissingNode()) fmt = body.path("output_format");
      if (fmt.isObject() && "json_schema".equals(fmt.path("type").asText())) {
        r.mode = IncomingChat.Mode.JSON_SCHEMA;
        r.schema = fmt.path("schema");
        r.extraPromptChars += r.schema.toString().length();
      }
    }
    r.decideTools();
    return r;
  }

  private static List<String> toolIds(JsonNode content, boolean assistant) {
    List<String> ids = new ArrayList<>(1);
    if (content == null || !content.isArray()) return ids;
    for (JsonNode b : content) {
      String t = b.path("type").asText("");
      if (assistant && t.equals("tool_use")) ids.add(b.path("id").asText(""));
      if (!assistant && t.equals("tool_result")) ids.add(b.path("tool_use_id").asText(""));
    }
    return ids;
  }

  /** The real API's wording of each tool-pairing problem. */
  private static String pairingMessage(ToolPairing.Problem p) {
    return switch (p.kind()) {
      case NO_TOOLS -> "Requests which include `tool_use` or `tool_result` blocks must define tools.";
      case UNKNOWN_RESULT -> "messages." + p.index() + ".content: unexpected `tool_use_id` found in `tool_result` blocks: " + p.id()
          + ". Each `tool_result` block must have a corresponding `tool_use` block in the previous message.";
      case MISSING_RESULT -> "messages." + p.index() + ": `tool_use` ids were found without `tool_result` blocks immediately after: " + p.id()
          + ". Each `tool_use` block must have a corresponding `tool_result` block in the next message.";
    };
  }

  private static String stopReason(Answer a) {
    return switch (a.finish) {
      case STOP -> a.stopSequence != null ? "stop_sequence" : "end_turn";
      case LENGTH -> "max_tokens";
      case TOOL -> "tool_use";
    };
  }

  private String toolId() {
    return "toolu_01EMU" + Wire.pad(ids.incrementAndGet(), 13);
  }

  /** Input tokens, cache creation and cache read: three disjoint parts of the prompt, as the real API reports them. */
  private static void inputUsage(StringBuilder sb, Answer a) {
    sb.append("\"input_tokens\":").append(a.inputTokens - a.cacheRead - a.cacheCreated)
        .append(",\"cache_creation_input_tokens\":").append(a.cacheCreated).append(",\"cache_read_input_tokens\":").append(a.cacheRead);
  }

  private static void usage(StringBuilder sb, Answer a) {
    sb.append("\"usage\":{");
    inputUsage(sb, a);
    sb.append(",\"cache_creation\":{\"ephemeral_5m_input_tokens\":").append(a.cacheCreated)
        .append(",\"ephemeral_1h_input_tokens\":0},\"output_tokens\":");
  }

  @Override
  Reply ok(IncomingChat r, Answer a) {
    StringBuilder sb = new StringBuilder(512 + a.text.length());
    sb.append("{\"id\":");
    Wire.q(sb, msgId()).append(",\"type\":\"message\",\"role\":\"assistant\",\"model\":");
    Wire.q(sb, r.model).append(",\"content\":[");
    if (a.hasReasoning()) {
      sb.append("{\"type\":\"thinking\",\"thinking\":");
      Wire.q(sb, a.reasoning).append(",\"signature\":");
      Wire.q(sb, signature(a)).append("},");
    }
    if (a.tool) {
      for (int k = 0; k < a.calls.size(); k++) {
        Answer.Call c = a.calls.get(k);
        if (k > 0) sb.append(',');
        sb.append("{\"type\":\"tool_use\",\"id\":");
        Wire.q(sb, toolId()).append(",\"name\":");
        Wire.q(sb, c.name()).append(",\"input\":");
        sb.append(a.finish == Answer.Finish.TOOL ? c.arguments() : "{}").append('}');
      }
    } else {
      sb.append("{\"type\":\"text\",\"text\":");
      Wire.q(sb, a.text).append('}');
    }
    sb.append("],\"stop_reason\":\"").append(stopReason(a)).append("\",\"stop_sequence\":");
    Wire.q(sb, a.stopSequence).append(',');
    usage(sb, a);
    sb.append(a.outputTokens()).append(",\"service_tier\":\"standard\"}}");
    return Reply.json(200, sb.toString(), JSON);
  }

  static void event(StringBuilder sb, String event, String data) {
    sb.append("event: ").append(event).append("\ndata: ").append(data).append("\n\n");
  }

  private static String signature(Answer a) {
    return signature(a.reasoning);
  }

  /** The emulator's signature over a thinking text: what it sends, and what it checks when the block comes back. */
  static String signature(String thinking) {
    return "EmuSig" + Long.toHexString(TextGenerator.hash(TextGenerator.SEED, thinking)) + "==";
  }

  /**
   * As the real API does, a {@code thinking} block sent back must carry the signature that came with it: missing →
   * "Field required", altered (or its text altered) → "Invalid `signature` in `thinking` block".
   */
  private static void checkThinkingBlocks(JsonNode content, String at) throws BadRequest {
    if (content == null || !content.isArray()) return;
    for (int i = 0; i < content.size(); i++) {
      JsonNode b = content.get(i);
      if (!"thinking".equals(b.path("type").asText(""))) continue;
      JsonNode sig = b.get("signature");
      if (sig == null || !sig.isTextual()) throw new BadRequest(at + "." + i + ".thinking.signature: Field required");
      if (!sig.asText().equals(signature(b.path("thinking").asText("")))) {
        throw new BadRequest(at + "." + i + ": Invalid `signature` in `thinking` block");
      }
    }
  }

  /** content_block_start of the answer block (text or tool_use) at {@code index}, plus the empty first json delta for tools. */
  private void answerBlockStart(StringBuilder h, String toolName, Answer a, int index, boolean withPing) {
    if (a.tool) {
      h.append("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":").append(index)
          .append(",\"content_block\":{\"type\":\"tool_use\",\"id\":");
      Wire.q(h, toolId()).append(",\"name\":");
      Wire.q(h, toolName).append(",\"input\":{}}}\n\n");
    } else {
      h.append("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":").append(index)
          .append(",\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n");
    }
    if (withPing) event(h, "ping", "{\"type\": \"ping\"}");
    if (a.tool) {
      h.append("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":").append(index)
          .append(",\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\"}}\n\n");
    }
  }

  @Override
  Frames frames(IncomingChat r, Answer a) {
    boolean thinking = a.hasReasoning();
    int bi = thinking ? 1 : 0;
    String firstTool = a.tool ? a.calls.get(0).name() : null;
    StringBuilder h = new StringBuilder(900);
    h.append("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"model\":");
    Wire.q(h, r.model).append(",\"id\":");
    Wire.q(h, msgId()).append(",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,");
    usage(h, a);
    h.append("1,\"service_tier\":\"standard\"}}}\n\n");
    String transition = "";
    List<Buffer> pieces = new ArrayList<>(a.pieces.size() + a.reasoningPieces.size());
    if (thinking) {
      event(h, "content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}}");
      event(h, "ping", "{\"type\": \"ping\"}");
      String tpre = "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":";
      for (String p : a.reasoningPieces) {
        StringBuilder sb = new StringBuilder(tpre.length() + p.length() + 8).append(tpre);
        Wire.q(sb, p).append("}}\n\n");
        pieces.add(Wire.buf(sb));
      }
      StringBuilder t = new StringBuilder(300);
      t.append("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":");
      Wire.q(t, signature(a)).append("}}\n\n");
      event(t, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
      answerBlockStart(t, firstTool, a, 1, false);
      transition = t.toString();
    } else {
      answerBlockStart(h, firstTool, a, 0, true);
    }
    // one block per tool call (a text answer: one text block); a later block's start rides on its first piece
    int blocks = a.tool ? a.calls.size() : 1;
    for (int k = 0; k < blocks; k++) {
      if (k > 0) {
        StringBuilder next = new StringBuilder(transition);
        event(next, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":" + (bi + k - 1) + "}");
        answerBlockStart(next, a.calls.get(k).name(), a, bi + k, false);
        transition = next.toString();
      }
      String pre = "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":" + (bi + k)
          + (a.tool ? ",\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":" : ",\"delta\":{\"type\":\"text_delta\",\"text\":");
      for (String p : a.tool ? a.calls.get(k).pieces() : a.pieces) {
        StringBuilder sb = new StringBuilder(transition.length() + pre.length() + p.length() + 8).append(transition).append(pre);
        transition = "";
        Wire.q(sb, p).append("}}\n\n");
        pieces.add(Wire.buf(sb));
      }
    }
    StringBuilder t = new StringBuilder(400).append(transition);
    event(t, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":" + (bi + blocks - 1) + "}");
    t.append("event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"").append(stopReason(a))
        .append("\",\"stop_sequence\":").append(Wire.q(a.stopSequence)).append("},\"usage\":{");
    inputUsage(t, a);
    t.append(",\"output_tokens\":").append(a.outputTokens()).append("}}\n\n");
    event(t, "message_stop", "{\"type\":\"message_stop\"}");
    return new Frames(Wire.buf(h), pieces, Wire.buf(t));
  }

  @Override
  String streamContentType() {
    return SSE;
  }

  private static final Buffer MALFORMED = Wire.buf("event: content_block_delta\ndata: {not json\n\n");
  private static final Buffer STREAM_ERROR =
      Wire.buf("event: error\ndata: {\"type\": \"error\", \"error\": {\"type\": \"overloaded_error\", \"message\": \"Overloaded\"}}\n\n");

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
    return switch (f) {
      case RATE_LIMIT -> {
        long now = System.currentTimeMillis();
        String reset = Wire.rfc3339(now + retryAfter * 1000L);
        yield error(429, "rate_limit_error",
                "This request would exceed the rate limit for your organization (00000000-0000-4000-8000-00000000e1a0) of 50,000 input tokens per minute. "
                    + "For details, refer to: https://docs.claude.com/en/api/rate-limits. You can see the response headers for current usage. "
                    + "Please reduce the prompt length or the maximum tokens requested, or try again later.")
            .header("retry-after", Integer.toString(retryAfter))
            .header("anthropic-ratelimit-requests-limit", "1000")
            .header("anthropic-ratelimit-requests-remaining", "999")
            .header("anthropic-ratelimit-requests-reset", Wire.rfc3339(now + 1000))
            .header("anthropic-ratelimit-input-tokens-limit", "50000")
            .header("anthropic-ratelimit-input-tokens-remaining", "0")
            .header("anthropic-ratelimit-input-tokens-reset", reset)
            .header("anthropic-ratelimit-output-tokens-limit", "10000")
            .header("anthropic-ratelimit-output-tokens-remaining", "10000")
            .header("anthropic-ratelimit-output-tokens-reset", Wire.rfc3339(now))
            .header("anthropic-ratelimit-tokens-limit", "60000")
            .header("anthropic-ratelimit-tokens-remaining", "0")
            .header("anthropic-ratelimit-tokens-reset", reset);
      }
      case OVERLOADED, STREAM_ERROR -> error(529, "overloaded_error", "Overloaded");
      case SERVER_ERROR -> error(500, "api_error", "Internal server error");
      case UNAUTHORIZED -> error(401, "authentication_error", "invalid x-api-key");
      case NOT_FOUND -> error(404, "not_found_error", "model: " + (r == null ? "" : r.model));
      case BAD_REQUEST -> error(400, "invalid_request_error", "messages.0.content: Input should be a valid list");
      case CONTEXT_LENGTH -> error(400, "invalid_request_error", "prompt is too long: 250000 tokens > 200000 maximum");
      case CONTENT_FILTERED -> error(400, "invalid_request_error", "Output blocked by content filtering policy");
      default -> throw new IllegalArgumentException("not an HTTP fault: " + f);
    };
  }

  static final String MODELS_LIST;

  static {
    String[][] models = {
      {"claude-sonnet-5-5", "Claude Sonnet 5.5", "2026-09-28T00:00:00Z"},
      {"claude-haiku-5-5", "Claude Haiku 5.5", "2026-10-07T00:00:00Z"},
      {"claude-haiku-4-5-20251001", "Claude Haiku 4.5", "2025-10-01T00:00:00Z"},
      {"claude-opus-4-5-20251101", "Claude Opus 4.5", "2025-11-01T00:00:00Z"},
    };
    StringBuilder sb = new StringBuilder("{\"data\":[");
    for (int i = 0; i < models.length; i++) {
      if (i > 0) sb.append(',');
      sb.append("{\"type\":\"model\",\"id\":\"").append(models[i][0]).append("\",\"display_name\":\"").append(models[i][1])
          .append("\",\"created_at\":\"").append(models[i][2]).append("\"}");
    }
    sb.append("],\"has_more\":false,\"first_id\":\"").append(models[0][0]).append("\",\"last_id\":\"")
        .append(models[models.length - 1][0]).append("\"}");
    MODELS_LIST = sb.toString();
  }
}
