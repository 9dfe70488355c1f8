package dev.salesagent.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.salesagent.emulator.ToolWire.Call;
import dev.salesagent.emulator.ToolWire.P;
import dev.salesagent.emulator.ToolWire.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The tool-calling contract (README "Tools"), per protocol × {streaming, whole}, over loopback HTTP. */
class ToolCallingTest extends EmulatorTestBase {

  static Stream<Arguments> all() {
    List<Arguments> out = new ArrayList<>();
    for (P p : P.values()) for (boolean s : new boolean[] {false, true}) out.add(Arguments.of(p, s));
    return out.stream();
  }

  /** Protocols with tool_choice on the wire (Ollama has none). */
  static Stream<Arguments> withChoice() {
    return all().filter(a -> a.get()[0] != P.OLLAMA);
  }

  private static void assertValid(Call c) {
    JsonNode schema = c.name().equals("get_weather") ? ToolWire.WEATHER : ToolWire.DOCS;
    assertTrue(c.args().isObject(), c.toString());
    for (JsonNode req : schema.path("required")) assertTrue(c.args().path(req.asText()).isTextual(), c + " lacks " + req);
    c.args().fieldNames().forEachRemaining(f -> assertTrue(schema.path("properties").has(f), c + " has extra " + f));
    if (c.args().has("unit")) assertTrue(List.of("celsius", "fahrenheit").contains(c.args().get("unit").asText()), c.toString());
  }

  private static void assertStreamedShape(P p, boolean stream, Reply r) {
    for (Call c : r.calls()) {
      if (p == P.OLLAMA || !stream) assertEquals(1, c.fragments(), c.toString());
      else assertTrue(c.fragments() >= 2, "arguments in at least two fragments: " + c);
      if (p != P.OLLAMA) assertFalse(c.id() == null || c.id().isEmpty(), c.toString());
    }
    if (p == P.OLLAMA && stream) assertEquals(1, r.toolChunks(), "Ollama sends its tool_calls whole, in one chunk");
  }

  @ParameterizedTest
  @MethodSource("all")
  void namedToolsAreCalledInParallelInOrderOfMention(P p, boolean stream) throws Exception {
    ObjectNode b = ToolWire.body(p, stream, "First search_docs query=refund-policy, then get_weather city=Paris unit=kelvin please");
    ToolWire.addTools(p, b);
    Reply r = ToolWire.roundTrip(p, b, stream);
    assertEquals(List.of("search_docs", "get_weather"), r.calls().stream().map(Call::name).toList(), r.toString());
    assertEquals(ToolWire.toolFinish(p), r.finish());
    assertEquals("refund-policy", r.calls().get(0).args().get("query").asText());
    assertEquals("Paris", r.calls().get(1).args().get("city").asText());
    // "kelvin" is not in the enum: the generated value stays
    assertTrue(List.of("celsius", "fahrenheit").contains(r.calls().get(1).args().get("unit").asText()));
    r.calls().forEach(ToolCallingTest::assertValid);
    assertStreamedShape(p, stream, r);
    if (p != P.OLLAMA) assertFalse(r.calls().get(0).id().equals(r.calls().get(1).id()), "distinct call ids");
    // deterministic: the same request gives the same calls
    Reply again = ToolWire.roundTrip(p, b, stream);
    assertEquals(r.calls().stream().map(Call::args).toList(), again.calls().stream().map(Call::args).toList());
  }

  @ParameterizedTest
  @MethodSource("all")
  void noToolNamedCallsTheFirstTool(P p, boolean stream) throws Exception {
    ObjectNode b = ToolWire.body(p, stream, "What should I wear tomorrow? unit=celsius");
    ToolWire.addTools(p, b);
    Reply r = ToolWire.roundTrip(p, b, stream);
    assertEquals(List.of("get_weather"), r.calls().stream().map(Call::name).toList(), r.toString());
    assertEquals("celsius", r.calls().get(0).args().get("unit").asText());
    assertEquals(ToolWire.toolFinish(p), r.finish());
    assertValid(r.calls().get(0));
    assertStreamedShape(p, stream, r);
  }

  @ParameterizedTest
  @MethodSource("withChoice")
  void aForcedChoiceCallsExactlyThatTool(P p, boolean stream) throws Exception {
    ObjectNode b = ToolWire.body(p, stream, "Is it raining? get_weather city=Oslo");
    ToolWire.addTools(p, b);
    if (p == P.ANTHROPIC) b.putObject("tool_choice").put("type", "tool").put("name", "search_docs");
    else b.putObject("tool_choice").put("type", "function").putObject("function").put("name", "search_docs");
    Reply r = ToolWire.roundTrip(p, b, stream);
    assertEquals(List.of("search_docs"), r.calls().stream().map(Call::name).toList(), r.toString());
    assertEquals(ToolWire.toolFinish(p), r.finish());
    assertValid(r.calls().get(0));
  }

  @ParameterizedTest
  @MethodSource("withChoice")
  void choiceNoneGetsText(P p, boolean stream) throws Exception {
    ObjectNode b = ToolWire.body(p, stream, "get_weather city=Oslo");
    ToolWire.addTools(p, b);
    if (p == P.ANTHROPIC) b.putObject("tool_choice").put("type", "none");
    else b.put("tool_choice", "none");
    Reply r = ToolWire.roundTrip(p, b, stream);
    assertTrue(r.calls().isEmpty(), r.toString());
    assertEquals(ToolWire.textFinish(p), r.finish());
    assertFalse(r.text().isBlank());
  }

  @ParameterizedTest
  @MethodSource("all")
  void toolResultsAreQuotedVerbatimInTheTextAnswer(P p, boolean stream) throws Exception {
    ObjectNode b = ToolWire.body(p, stream, "get_weather city=Rome and search_docs query=visa");
    ToolWire.addTools(p, b);
    Reply first = ToolWire.roundTrip(p, b, stream);
    assertEquals(2, first.calls().size(), first.toString());
    List<String> results = List.of("{\"temp_c\": 21, \"sky\": \"clear\"}", "Visa rules: none for EU citizens.");
    ToolWire.appendToolTurn(p, b, first.calls(), results);
    Reply r = ToolWire.roundTrip(p, b, stream);
    assertTrue(r.calls().isEmpty(), r.toString());
    assertEquals(ToolWire.textFinish(p), r.finish());
    for (String res : results) assertTrue(r.text().contains(res), "answer quotes " + res + ": " + r.text());
  }

  private static void assertInvalidRequest(P p, Reply r, String messagePart) {
    assertEquals(400, r.status(), String.valueOf(r.error()));
    String message = switch (p) {
      case ANTHROPIC -> {
        assertEquals("error", r.error().path("type").asText());
        assertEquals("invalid_request_error", r.error().path("error").path("type").asText());
        yield r.error().path("error").path("message").asText();
      }
      case OPENAI -> {
        assertEquals("invalid_request_error", r.error().path("error").path("type").asText());
        yield r.error().path("error").path("message").asText();
      }
      case OLLAMA -> r.error().path("error").asText();
    };
    assertTrue(message.contains(messagePart), message);
  }

  @ParameterizedTest
  @MethodSource("all")
  void aResultForAnUnknownCallIsRefused(P p, boolean stream) throws Exception {
    ObjectNode b = ToolWire.body(p, stream, "get_weather city=Rome");
    ToolWire.addTools(p, b);
    Reply first = ToolWire.roundTrip(p, b, stream);
    Call c = first.calls().get(0);
    Call wrong = new Call(p == P.OLLAMA ? null : "call_nope_123", p == P.OLLAMA ? "no_such_tool" : c.name(), c.args(), 1);
    ToolWire.appendToolTurn(p, b, List.of(c), List.of("ok"));
    // rewrite the result's id (Ollama: its tool_name) so it answers no call
    JsonNode msgs = b.get("messages");
    JsonNode lastMsg = msgs.get(msgs.size() - 1);
    switch (p) {
      case ANTHROPIC -> ((ObjectNode) lastMsg.get("content").get(0)).put("tool_use_id", wrong.id());
      case OPENAI -> ((ObjectNode) lastMsg).put("tool_call_id", wrong.id());
      case OLLAMA -> ((ObjectNode) lastMsg).put("tool_name", wrong.name());
    }
    Reply r = ToolWire.roundTrip(p, b, stream);
    assertInvalidRequest(p, r, p == P.OLLAMA ? "no_such_tool" : "call_nope_123");
  }

  @ParameterizedTest
  @MethodSource("all")
  void aCallLeftWithoutResultIsRefused(P p, boolean stream) throws Exception {
    ObjectNode b = ToolWire.body(p, stream, "get_weather city=Rome and search_docs query=visa");
    ToolWire.addTools(p, b);
    Reply first = ToolWire.roundTrip(p, b, stream);
    assertEquals(2, first.calls().size());
    ToolWire.appendToolTurn(p, b, first.calls(), List.of("a", "b"));
    // drop the second result
    var msgs = (com.fasterxml.jackson.databind.node.ArrayNode) b.get("messages");
    if (p == P.ANTHROPIC) ((com.fasterxml.jackson.databind.node.ArrayNode) msgs.get(msgs.size() - 1).get("content")).remove(1);
    else msgs.remove(msgs.size() - 1);
    Reply r = ToolWire.roundTrip(p, b, stream);
    assertInvalidRequest(p, r, p == P.OLLAMA ? "search_docs" : first.calls().get(1).id());
  }

  @ParameterizedTest
  @MethodSource("all")
  void aToolResultWithoutToolsIsRefused(P p, boolean stream) throws Exception {
    ObjectNode b = ToolWire.body(p, stream, "get_weather city=Rome");
    ToolWire.addTools(p, b);
    Reply first = ToolWire.roundTrip(p, b, stream);
    ToolWire.appendToolTurn(p, b, first.calls(), List.of("sunny"));
    b.remove("tools");
    Reply r = ToolWire.roundTrip(p, b, stream);
    assertInvalidRequest(p, r, p == P.ANTHROPIC ? "must define tools" : "tools");
  }

  static Stream<Arguments> streamingProtocols() {
    return all().filter(a -> (boolean) a.get()[1]);
  }

  @ParameterizedTest
  @MethodSource("streamingProtocols")
  void aCutInsideParallelToolCallsEndsWithoutTerminator(P p, boolean stream) throws Exception {
    ObjectNode b = ToolWire.body(p, true, "search_docs query=refunds and get_weather city=Paris");
    ToolWire.addTools(p, b);
    String path = switch (p) {
      case ANTHROPIC -> "/anthropic/v1/messages";
      case OPENAI -> "/openai/v1/chat/completions";
      case OLLAMA -> "/ollama/api/chat";
    };
    var headers = with(p == P.ANTHROPIC ? anthropicHeaders() : p == P.OPENAI ? openAiHeaders() : java.util.Map.of(), "x-emulator-fault", "stream_cut");
    RawHttp.Result r = RawHttp.post(emu.port(), path, headers, b.toString(), 5000);
    assertEquals(200, r.status);
    assertFalse(r.complete, "the chunked body never ends: " + r);
    assertTrue(r.eof);
    String terminator = switch (p) {
      case ANTHROPIC -> "message_stop";
      case OPENAI -> "[DONE]";
      case OLLAMA -> "\"done\":true";
    };
    assertFalse(r.body.contains(terminator), r.body);
  }

  @ParameterizedTest
  @MethodSource("all")
  void requestsWithoutToolsAnswerAsBefore(P p, boolean stream) throws Exception {
    Reply r = ToolWire.roundTrip(p, ToolWire.body(p, stream, "Hello get_weather"), stream);
    assertTrue(r.calls().isEmpty());
    assertEquals(ToolWire.textFinish(p), r.finish());
  }
}
