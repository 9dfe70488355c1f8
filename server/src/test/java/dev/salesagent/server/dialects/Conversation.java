package dev.salesagent.server.dialects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.salesagent.router.wire.WireJson;
import java.util.ArrayList;
import java.util.List;

/**
 * A tool loop as a client holds it, independent of dialect: the test writes a conversation once, each {@link Dialect}
 * renders it in its wire format and reads the gateway's answer back into an {@link Answer}.
 */
final class Conversation {
  /** A tool call as the client received it; {@code itemId} is the Responses API's item id (sent back with it). */
  record Call(String id, String name, String arguments, String itemId) {}

  sealed interface Turn {}

  record User(String text, String imageDataUrl) implements Turn {
    User(String text) {
      this(text, null);
    }
  }

  record Assistant(String text, List<Call> calls) implements Turn {}

  record Result(String callId, String content) {}

  record Results(List<Result> results) implements Turn {}

  record Tool(String name, String description, ObjectNode schema) {}

  /**
   * What came back: HTTP status, the answer's text and calls (a stream's reassembled from its events), the finish in
   * OpenAI's words ({@code stop}, {@code tool_calls}, {@code length}), usage (input, cached, output; -1 = not given),
   * and for a failure the error message; {@code streamError} is an error event after a 200.
   */
  record Answer(int status, String text, List<Call> calls, String finish, int inputTokens, int cachedTokens,
                int outputTokens, String error, boolean streamError, String body) {
    boolean ok() {
      return status == 200 && !streamError && error == null;
    }

    Assistant asTurn() {
      return new Assistant(text, calls);
    }
  }

  /** Options of one request. {@code choice}: auto, none, required, or a tool's name. */
  record Options(String model, boolean stream, String choice, int maxTokens) {}

  static final List<Tool> TOOLS = List.of(
      new Tool("get_weather", "Current weather for a city", schema("city", "{\"type\":\"string\",\"description\":\"city name\"}")),
      new Tool("get_time", "Local time in a time zone", schema("tz", "{\"type\":\"string\",\"description\":\"IANA zone\"}")));

  /** A schema as LangChain and the Vercel AI SDK write them: {@code $schema} and {@code additionalProperties}. */
  private static ObjectNode schema(String prop, String propSchema) {
    return (ObjectNode) WireJson.parse("{\"$schema\":\"http://json-schema.org/draft-07/schema#\",\"type\":\"object\","
        + "\"properties\":{\"" + prop + "\":" + propSchema + "},\"required\":[\"" + prop + "\"],\"additionalProperties\":false}");
  }

  static List<Turn> of(Turn... turns) {
    return new ArrayList<>(List.of(turns));
  }

  static List<Turn> plus(List<Turn> conv, Turn... more) {
    List<Turn> out = new ArrayList<>(conv);
    out.addAll(List.of(more));
    return out;
  }

  /** The arguments parse as a JSON object (never half a document). */
  static JsonNode args(Call c) {
    JsonNode n = WireJson.parse(c.arguments());
    if (n == null || !n.isObject()) throw new AssertionError("arguments of " + c.name() + " are not a JSON object: " + c.arguments());
    return n;
  }

  private Conversation() {}
}
