package dev.salesagent.router.provider.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.salesagent.router.error.ErrorKind;
import dev.salesagent.router.model.ChatRequest;
import dev.salesagent.router.model.FinishReason;
import dev.salesagent.router.model.Message;
import dev.salesagent.router.model.ResponseFormat;
import dev.salesagent.router.model.ToolSpec;
import dev.salesagent.router.wire.ChatAccumulator;
import dev.salesagent.router.wire.ErrorMapper;
import dev.salesagent.router.wire.WireJson;
import dev.salesagent.router.wire.WireFailure;
import java.util.ArrayList;
import java.util.List;

/** Ollama native {@code /api/chat} wire format. */
public final class OllamaCodec {
  private OllamaCodec() {}

  /** The request body; {@code stream} is always explicit (Ollama streams by default). */
  public static ObjectNode requestBody(String model, ChatRequest r, boolean stream) {
    ObjectNode b = WireJson.object();
    b.put("model", model);
    ArrayNode msgs = b.putArray("messages");
    if (r.hasParts()) {
      OllamaMessages.messages(msgs, r.messages());
    } else {
      for (Message m : r.messages()) msgs.addObject().put("role", m.role().wire()).put("content", m.content());
    }
    b.put("stream", stream);
    ObjectNode opts = null;
    if (r.maxTokens() != null) (opts = b.putObject("options")).put("num_predict", r.maxTokens());
    if (r.temperature() != null) {
      if (opts == null) opts = b.putObject("options");
      opts.put("temperature", r.temperature());
    }
    if (!r.stop().isEmpty()) {
      if (opts == null) opts = b.putObject("options");
      ArrayNode stop = opts.putArray("stop");
      r.stop().forEach(stop::add);
    }
    if (r.responseFormat() instanceof ResponseFormat.JsonObject) b.put("format", "json");
    else if (r.responseFormat() instanceof ResponseFormat.JsonSchema s) b.set("format", s.schema());
    List<ToolSpec> send = OllamaMessages.toolsToSend(r);
    if (send != null) {
      ArrayNode tools = b.putArray("tools");
      for (ToolSpec t : send) {
        ObjectNode fn = tools.addObject().put("type", "function").putObject("function");
        fn.put("name", t.name());
        if (t.description() != null) fn.put("description", t.description());
        fn.set("parameters", t.parameters());
      }
    }
    return b;
  }

  /**
   * Applies one response object (a whole non-streaming body or one NDJSON line) to the accumulator.
   *
   * @param toolBase number of tool calls seen before this object
   * @return tool calls seen including this object's
   */
  /** How many calls of one answer to keep (its request's tool choice); requests without tools share one instance. */
  record Calls(int max) {
    static final Calls NO_TOOLS = new Calls(Integer.MAX_VALUE);

    static Calls of(ChatRequest r) {
      return r.tools().isEmpty() ? NO_TOOLS : new Calls(OllamaMessages.maxCalls(r));
    }
  }

  static int apply(ChatAccumulator acc, JsonNode n, int toolBase, ErrorMapper errors, Calls calls) {
    JsonNode err = n.get("error");
    if (err != null && !err.isNull()) {
      acc.fail(errors.fromPayload(n));
      return toolBase;
    }
    JsonNode msg = WireJson.node(n, "message");
    JsonNode done = n.get("done");
    String stamp = WireJson.text(n, "created_at");
    return applyParts(acc, stamp, WireJson.text(n, "model"), WireJson.text(msg, "thinking"), WireJson.text(msg, "content"),
        WireJson.node(msg, "tool_calls"), done != null && done.asBoolean(false), WireJson.text(n, "done_reason"),
        WireJson.integer(n, "prompt_eval_count"), WireJson.integer(n, "eval_count"), toolBase, calls);
  }

  /** Applies the parts of one response object (see {@link #apply}); shared by the tree and the streaming reader. */
  static int applyParts(ChatAccumulator acc, String stamp, String model, String thinking, String content, JsonNode toolCalls,
      boolean done, String doneReason, Integer promptEval, Integer eval, int toolBase, Calls calls) {
    acc.model(model);
    int tools = toolBase;
    acc.reasoning(thinking);
    acc.text(content);
    if (toolCalls != null && toolCalls.isArray()) {
      for (JsonNode tc : toolCalls) {
        if (tools >= calls.max()) break; // tool choice none / parallel calls off, enforced here (see OllamaMessages)
        JsonNode fn = WireJson.node(tc, "function");
        JsonNode args = fn == null ? null : fn.get("arguments");
        String a = args == null || args.isNull() ? "{}" : args.isTextual() ? args.textValue() : WireJson.write(args);
        String id = WireJson.text(tc, "id");
        String name = WireJson.text(fn, "name");
        acc.toolCall(tools, id != null ? id : OllamaMessages.callId(stamp, name, a, tools), name, a);
        tools++;
      }
    }
    if (done) {
      acc.usage(promptEval, eval, null);
      String reason = doneReason;
      if (reason == null || reason.isEmpty()) {
        acc.fail(WireFailure.of(ErrorKind.INTERRUPTED, "done_reason_missing",
            "final chunk without done_reason (runner connection closed)"));
      } else if (reason.equals("stop")) {
        acc.finish(reason, tools > 0 ? FinishReason.TOOL_CALLS : FinishReason.STOP);
        acc.complete();
      } else if (reason.equals("length")) {
        acc.finish(reason, FinishReason.LENGTH);
        acc.complete();
      } else {
        acc.finish(reason, null);
        acc.fail(WireFailure.of(ErrorKind.UPSTREAM_ERROR, reason, "unexpected done_reason '" + reason + "'"));
      }
    }
    return tools;
  }

  /** Parses a non-streaming {@code /api/chat} body; {@code errors} says what an error line means. */
  public static ChatAccumulator parseResponse(byte[] body, int off, int len, ErrorMapper errors) {
    return parseResponse(body, off, len, errors, Calls.NO_TOOLS);
  }

  /** Parses a non-streaming {@code /api/chat} body answering {@code calls}' request. */
  static ChatAccumulator parseResponse(byte[] body, int off, int len, ErrorMapper errors, Calls calls) {
    ChatAccumulator acc = ChatAccumulator.collecting();
    JsonNode n = WireJson.parse(body, off, len);
    if (n == null || !n.isObject()) {
      acc.fail(WireFailure.of(ErrorKind.UPSTREAM_ERROR, "malformed_body", "response body is not a JSON object"));
      return acc;
    }
    apply(acc, n, 0, errors, calls);
    if (!acc.finished()) acc.fail(WireFailure.of(ErrorKind.UPSTREAM_ERROR, "not_done", "response is not marked done"));
    return acc;
  }

  /** Model names of an {@code /api/tags} body. */
  public static List<String> parseTags(byte[] body, int off, int len) {
    JsonNode n = WireJson.parse(body, off, len);
    List<String> out = new ArrayList<>();
    JsonNode models = n == null ? null : n.get("models");
    if (models != null && models.isArray()) {
      for (JsonNode m : models) {
        String name = WireJson.text(m, "name");
        if (name == null) name = WireJson.text(m, "model");
        if (name != null) out.add(name);
      }
    }
    return out;
  }
}
