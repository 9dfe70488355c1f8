package dev.salesagent.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;

/** OpenAI Chat Completions (also Cerebras / DeepSeek), byte-compatible with fixtures/openai.*. */
final class OpenAiProtocol extends Protocol {
  static final String JSON = "application/json";
  static final String SSE = "text/event-stream; charset=utf-8";

  OpenAiProtocol() {
    super("openai");
  }

  private String completionId() {
    return "chatcmpl-EMU" + Wire.pad(ids.incrementAndGet(), 20);
  }

  @Override
  void commonHeaders(List<String[]> out) {
    out.add(new String[] {"x-request-id", "req_emu" + Wire.pad(ids.incrementAndGet(), 25)});
  }

  @Override
  boolean authorized(HttpServerRequest req) {
    String a = req.getHeader("authorization");
    return a != null && a.regionMatches(true, 0, "Bearer ", 0, 7) && !a.substring(7).isBlank();
  }

  static Reply error(int status, String message, String type, String param, String code) {
    StringBuilder sb = new StringBuilder(200).append("{\"error\":{\"message\":");
    Wire.q(sb, message).append(",\"type\":");
    Wire.q(sb, type).append(",\"param\":");
    Wire.q(sb, param).append(",\"code\":");
    Wire.q(sb, code).append("}}");
    return Reply.json(status, sb.toString(), JSON);
  }

  /** DeepSeek's answer to {@code "prefix": true} on the normal (non-beta) endpoint. */
  static Reply prefixNeedsBeta() {
    return error(400, "prefix is only available when using beta api (set base_url=\"https://api.deepseek.com/beta\")",
        "invalid_request_error", null, "invalid_request_error");
  }

  @Override
  Reply unauthorized(HttpServerRequest req) {
    String a = req.getHeader("authorization");
    if (a == null || a.isBlank()) {
      return error(401, "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth "
          + "(i.e. Authorization: Bearer YOUR_KEY).", "invalid_request_error", null, null);
    }
    return error(401, "Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.",
        "invalid_request_error", null, "invalid_api_key");
  }

  @Override
  Reply badRequest(String message) {
    return error(400, message, "invalid_request_error", null, null);
  }

  @Override
  Reply badRequest(BadRequest e) {
    return error(400, e.getMessage(), "invalid_request_error", e.param, null);
  }

  @Override
  Reply notFoundPath(String method, String path) {
    return error(404, "Invalid URL (" + method + " " + path + ")", "invalid_request_error", null, null);
  }

  static String contentText(JsonNode content) {
    return contentText(content, null);
  }

  /** The text of a message's content; {@code image_url} parts become their acknowledgement, also added to {@code images}. */
  static String contentText(JsonNode content, List<String> images) {
    if (content == null || content.isNull() || content.isMissingNode()) return "";
    if (content.isTextual()) return content.asText();
    if (!content.isArray()) return content.toString();
    StringBuilder sb = new StringBuilder();
    for (JsonNode p : content) {
      String type = p.path("type").asText();
      String piece = p.isTextual() ? p.asText() : ("text".equals(type) ? text(p.get("text")) : null);
      if ("image_url".equals(type)) {
        JsonNode u = p.path("image_url");
        piece = ImageInputs.url(u.isTextual() ? u.asText() : u.path("url").asText(""));
        if (images != null) images.add(piece);
      }
      if (piece == null) continue;
      if (sb.length() > 0) sb.append('\n');
      sb.append(piece);
    }
    return sb.toString();
  }

  @Override
  IncomingChat parse(JsonNode body) throws BadRequest {
    IncomingChat r = new IncomingChat(name);
    JsonNode model = body.get("model");
    if (model == null || !model.isTextual() || model.asText().isEmpty()) throw new BadRequest("you must provide a model parameter");
    r.model = model.asText();
    JsonNode msgs = body.get("messages");
    if (msgs == null || !msgs.isArray()) throw new BadRequest("Missing required parameter: 'messages'.");
    if (msgs.isEmpty()) throw new BadRequest("Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.");
    JsonNode last = msgs.get(msgs.size() - 1);
    r.prefixMode = "assistant".equals(last.path("role").asText("")) && last.path("prefix").asBoolean(false);
    List<ToolPairing.Turn> turns = new ArrayList<>(msgs.size());
    int i = 0;
    for (JsonNode m : msgs) {
      String role = m.path("role").asText("");
      String content;
      try {
        content = contentText(m.get("content"), r.images);
      } catch (IllegalArgumentException e) {
        throw new BadRequest("Invalid 'messages[" + i + "].content': " + e.getMessage() + ".", "messages.[" + i + "].content");
      }
      switch (role) {
        case "system", "developer" -> r.addSystem(content);
        case "user" -> {
          r.messages.add(new IncomingChat.Msg("user", content));
          turns.add(new ToolPairing.Turn(i, false, List.of()));
        }
        case "tool" -> { // tool results count as user turns (as Anthropic models them); consecutive ones form one turn
          r.messages.add(new IncomingChat.Msg("user", content));
          ToolPairing.Turn prev = turns.isEmpty() ? null : turns.get(turns.size() - 1);
          if (prev == null || prev.assistant() || prev.ids().isEmpty()) turns.add(prev = new ToolPairing.Turn(i, false, new ArrayList<>(2)));
          prev.ids().add(m.path("tool_call_id").asText(""));
        }
        case "assistant" -> {
          String t = content;
          if (t.isEmpty() && m.has("tool_calls")) t = m.get("tool_calls").toString();
          r.messages.add(new IncomingChat.Msg("assistant", t));
          List<String> ids = new ArrayList<>(1);
          for (JsonNode c : m.path("tool_calls")) ids.add(c.path("id").asText(""));
          turns.add(new ToolPairing.Turn(i, true, ids));
        }
        default -> throw new BadRequest("Invalid value: '" + role + "'. Supported values are: 'system', 'assistant', 'user', 'tool', and 'developer'.");
      }
      i++;
    }
    if ("tool".equals(last.path("role").asText())) {
      r.lastTurnToolResults = true;
      int from = msgs.size() - 1;
      while (from > 0 && "tool".equals(msgs.get(from - 1).path("role").asText())) from--;
      for (int k = from; k < msgs.size(); k++) r.toolResults.add(contentText(msgs.get(k).get("content")));
    }
    r.splitPrefill();
    JsonNode mt = body.has("max_completion_tokens") ? body.get("max_completion_tokens") : body.get("max_tokens");
    if (mt != null && !mt.isNull()) {
      if (!mt.canConvertToInt() || mt.asInt() < 1) throw new BadRequest("Invalid 'max_tokens': integer below minimum value.");
      r.maxTokens = mt.asInt();
    }
    r.stream = body.path("stream").asBoolean(false);
    r.addStops(body.get("stop"));
    String effort = body.path("reasoning_effort").asText(body.path("reasoning").path("effort").asText(""));
    r.reasoning = "enabled".equals(body.path("thinking").path("type").asText("")) || (!effort.isEmpty() && !effort.equals("none"));
    r.reasoningField = r.model.startsWith("deepseek") ? "reasoning_content" : "reasoning";
    r.includeUsage = r.stream && body.path("stream_options").path("include_usage").asBoolean(false);
    JsonNode rf = body.get("response_format");
    if (rf != null && rf.isObject()) {
      String t = rf.path("type").asText("text");
      if (t.equals("json_schema")) {
        r.mode = IncomingChat.Mode.JSON_SCHEMA;
        r.schema = rf.path("json_schema").path("schema");
        r.extraPromptChars += r.schema.toString().length();
      } else if (t.equals("json_object")) {
        r.mode = IncomingChat.Mode.JSON_OBJECT;
      }
    }
    JsonNode tools = body.get("tools");
    if (tools != null && tools.isArray() && !tools.isEmpty()) {
      r.extraPromptChars += tools.toString().length();
      for (JsonNode t : tools) {
        JsonNode f = t.path("function");
        if (f.path("name").isTextual()) r.tools.add(new IncomingChat.Tool(f.get("name").asText(), f.path("parameters")));
      }
      JsonNode choice = body.get("tool_choice");
      r.toolChoiceNone = choice != null && "none".equals(choice.asText());
      if (choice != null && choice.isObject()) {
        String n = choice.path("function").path("name").asText("");
        JsonNode chosen = null;
        for (JsonNode t : tools) if (n.equals(t.path("function").path("name").asText())) chosen = t;
        if (chosen == null) throw new BadRequest("Invalid 'tool_choice': function '" + n + "' is not in 'tools'.");
        r.mode = IncomingChat.Mode.TOOL;
        r.toolName = chosen.path("function").path("name").asText();
        r.schema = chosen.path("function").path("parameters");
      }
    }
    ToolPairing.Problem problem = ToolPairing.check(turns, !r.tools.isEmpty());
    if (problem != null) throw pairingProblem(problem);
    if (r.inputTokens() >= PromptCache.MIN_TOKENS) PromptCacheKeys.openAi(body, r); // shorter prompts are never cached
    r.decideTools();
    return r;
  }

  /** The real API's wording of each tool-pairing problem. */
  private static BadRequest pairingProblem(ToolPairing.Problem p) {
    return switch (p.kind()) {
      case NO_TOOLS -> new BadRequest("Invalid 'messages[" + p.index() + "]': messages with role 'tool' require 'tools' in the request.",
          "messages.[" + p.index() + "].role");
      case UNKNOWN_RESULT -> new BadRequest("Invalid parameter: 'tool_call_id' of '" + p.id() + "' not found in 'tool_calls' of previous message.",
          "messages.[" + p.index() + "].tool_call_id");
      case MISSING_RESULT -> new BadRequest("An assistant message with 'tool_calls' must be followed by tool messages responding to each "
          + "'tool_call_id'. The following tool_call_ids did not have response messages: " + p.id(), "messages.[" + p.index() + "].role");
    };
  }

  private static String finish(Answer a) {
    return switch (a.finish) {
      case STOP -> "stop";
      case LENGTH -> "length";
      case TOOL -> "tool_calls";
    };
  }

  /** Usage; DeepSeek-style models add {@code prompt_cache_hit/miss_tokens} once the prompt is long enough to be cached. */
  private static void usage(StringBuilder sb, IncomingChat r, Answer a) {
    sb.append("{\"prompt_tokens\":").append(a.inputTokens).append(",\"completion_tokens\":").append(a.outputTokens())
        .append(",\"total_tokens\":").append(a.inputTokens + a.outputTokens())
        .append(",\"prompt_tokens_details\":{\"cached_tokens\":").append(a.cacheRead).append("},\"completion_tokens_details\":{\"reasoning_tokens\":")
        .append(a.reasoningPieces.size()).append('}');
    if (r.model.startsWith("deepseek") && a.inputTokens >= PromptCache.MIN_TOKENS) {
      sb.append(",\"prompt_cache_hit_tokens\":").append(a.cacheRead).append(",\"prompt_cache_miss_tokens\":").append(a.inputTokens - a.cacheRead);
    }
    sb.append('}');
  }

  private String callId() {
    return "call_EMU" + Wire.pad(ids.incrementAndGet(), 16);
  }

  @Override
  Reply ok(IncomingChat r, Answer a) {
    long created = System.currentTimeMillis() / 1000;
    StringBuilder sb = new StringBuilder(600 + a.text.length());
    sb.append("{\"id\":");
    Wire.q(sb, completionId()).append(",\"object\":\"chat.completion\",\"created\":").append(created).append(",\"model\":");
    Wire.q(sb, r.model).append(",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":");
    if (a.tool) {
      sb.append("null,\"refusal\":null,\"annotations\":[],\"tool_calls\":[");
      for (int k = 0; k < a.calls.size(); k++) {
        Answer.Call c = a.calls.get(k);
        sb.append(k > 0 ? ",{\"id\":" : "{\"id\":");
        Wire.q(sb, callId()).append(",\"type\":\"function\",\"function\":{\"name\":");
        Wire.q(sb, c.name()).append(",\"arguments\":");
        Wire.q(sb, c.arguments()).append("}}");
      }
      sb.append(']');
    } else {
      Wire.q(sb, a.text).append(",\"refusal\":null,\"annotations\":[]");
    }
    if (a.hasReasoning()) {
      sb.append(",\"").append(r.reasoningField).append("\":");
      Wire.q(sb, a.reasoning);
    }
    sb.append("},\"logprobs\":null,\"finish_reason\":\"").append(finish(a)).append("\"}],\"usage\":");
    usage(sb, r, a);
    sb.append(",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_emulator\"}");
    return Reply.json(200, sb.toString(), JSON);
  }

  @Override
  Frames frames(IncomingChat r, Answer a) {
    long created = System.currentTimeMillis() / 1000;
    StringBuilder p = new StringBuilder(160).append("data: {\"id\":");
    Wire.q(p, completionId()).append(",\"object\":\"chat.completion.chunk\",\"created\":").append(created).append(",\"model\":");
    Wire.q(p, r.model).append(",\"choices\":");
    String prefix = p.toString();
    String usageNull = r.includeUsage ? ",\"usage\":null" : "";
    StringBuilder h = new StringBuilder(400).append(prefix);
    if (a.tool) {
      h.append("[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":");
      Wire.q(h, callId()).append(",\"type\":\"function\",\"function\":{\"name\":");
      Wire.q(h, a.calls.get(0).name()).append(",\"arguments\":\"\"}}]},\"logprobs\":null,\"finish_reason\":null}]");
    } else {
      h.append("[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":null}]");
    }
    h.append(usageNull).append("}\n\n");
    String post = (a.tool ? "}}]}" : "}") + ",\"logprobs\":null,\"finish_reason\":null}]" + usageNull + "}\n\n";
    List<Buffer> pieces = new ArrayList<>(a.pieces.size() + a.reasoningPieces.size());
    String rpre = prefix + "[{\"index\":0,\"delta\":{\"" + r.reasoningField + "\":";
    String rpost = "},\"logprobs\":null,\"finish_reason\":null}]" + usageNull + "}\n\n";
    for (String s : a.reasoningPieces) {
      StringBuilder sb = new StringBuilder(rpre.length() + rpost.length() + s.length() + 8).append(rpre);
      Wire.q(sb, s).append(rpost);
      pieces.add(Wire.buf(sb));
    }
    // one run of argument fragments per call (index k); a later call's opening chunk rides on its first fragment
    int runs = a.tool ? a.calls.size() : 1;
    for (int k = 0; k < runs; k++) {
      String start = "";
      if (k > 0) {
        StringBuilder o = new StringBuilder(200).append(prefix).append("[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":").append(k).append(",\"id\":");
        Wire.q(o, callId()).append(",\"type\":\"function\",\"function\":{\"name\":");
        Wire.q(o, a.calls.get(k).name()).append(",\"arguments\":\"\"}}]},\"logprobs\":null,\"finish_reason\":null}]").append(usageNull).append("}\n\n");
        start = o.toString();
      }
      String pre = prefix + (a.tool
          ? "[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":" + k + ",\"function\":{\"arguments\":"
          : "[{\"index\":0,\"delta\":{\"content\":");
      for (String s : a.tool ? a.calls.get(k).pieces() : a.pieces) {
        StringBuilder sb = new StringBuilder(start.length() + pre.length() + post.length() + s.length() + 8).append(start).append(pre);
        start = "";
        Wire.q(sb, s).append(post);
        pieces.add(Wire.buf(sb));
      }
    }
    StringBuilder t = new StringBuilder(600).append(prefix)
        .append("[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"").append(finish(a)).append("\"}]")
        .append(usageNull).append("}\n\n");
    if (r.includeUsage) {
      t.append(prefix).append("[],\"usage\":");
      usage(t, r, a);
      t.append("}\n\n");
    }
    t.append("data: [DONE]\n\n");
    return new Frames(Wire.buf(h), pieces, Wire.buf(t));
  }

  @Override
  String streamContentType() {
    return SSE;
  }

  private static final Buffer MALFORMED = Wire.buf("data: {not json\n\n");
  private static final Buffer STREAM_ERROR = Wire.buf(
      "data: {\"error\":{\"message\":\"The server had an error while processing your request. Sorry about that!\",\"type\":\"server_error\",\"param\":null,\"code\":null}}\n\n");

  @Override
  Buffer malformedFrame() {
    return MALFORMED;
  }

  @Override
  Buffer streamErrorFrame() {
    return STREAM_ERROR;
  }

  private static String goDuration(int seconds) {
    return seconds + "s";
  }

  @Override
  Reply faultReply(Fault f, IncomingChat r, int retryAfter) {
    String model = r == null ? "" : r.model;
    return switch (f) {
      case RATE_LIMIT -> error(429, "Rate limit reached for " + model + " in organization org-emulator on requests per min (RPM): Limit 500, Used 500, Requested 1. "
              + "Please try again in " + goDuration(retryAfter) + ". Visit https://platform.openai.com/account/rate-limits to learn more.",
              "requests", null, "rate_limit_exceeded")
          .header("retry-after", Integer.toString(retryAfter))
          .header("x-ratelimit-limit-requests", "500")
          .header("x-ratelimit-limit-tokens", "200000")
          .header("x-ratelimit-remaining-requests", "0")
          .header("x-ratelimit-remaining-tokens", "200000")
          .header("x-ratelimit-reset-requests", goDuration(retryAfter))
          .header("x-ratelimit-reset-tokens", "0s");
      case OVERLOADED -> error(503, "The engine is currently overloaded, please try again later", "server_error", null, null);
      case SERVER_ERROR, STREAM_ERROR -> error(500, "The server had an error while processing your request. Sorry about that!", "server_error", null, null);
      case UNAUTHORIZED -> error(401, "Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.",
          "invalid_request_error", null, "invalid_api_key");
      case NOT_FOUND -> error(404, "The model `" + model + "` does not exist or you do not have access to it.", "invalid_request_error", null, "model_not_found");
      case BAD_REQUEST -> error(400, "Invalid 'messages[0].content': expected a string or an array of content parts.", "invalid_request_error", "messages", null);
      case CONTEXT_LENGTH -> error(400, "This model's maximum context length is 128000 tokens. However, your messages resulted in 250000 tokens. "
          + "Please reduce the length of the messages.", "invalid_request_error", "messages", "context_length_exceeded");
      case CONTENT_FILTERED -> error(400, "Your request was rejected as a result of our safety system. Your prompt may contain text that is not allowed by our safety system.",
          "invalid_request_error", null, "content_policy_violation");
      default -> throw new IllegalArgumentException("not an HTTP fault: " + f);
    };
  }

  static final String MODELS_LIST;

  static {
    String[] models = {"gpt-oss-120b", "deepseek-flash", "deepseek-v4-pro", "gpt-5-mini"};
    StringBuilder sb = new StringBuilder("{\"object\":\"list\",\"data\":[");
    for (int i = 0; i < models.length; i++) {
      if (i > 0) sb.append(',');
      sb.append("{\"id\":\"").append(models[i]).append("\",\"object\":\"model\",\"created\":1767225600,\"owned_by\":\"emulator\"}");
    }
    MODELS_LIST = sb.append("]}").toString();
  }
}
