package dev.salesagent.server.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.salesagent.router.wire.WireJson;
import dev.salesagent.server.GatewayHarness;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Extended thinking through {@code /v1/messages}, as Claude Code and the Anthropic SDKs use it: the {@code thinking}
 * switch reaches the provider, the reasoning comes back as a {@code thinking} block with the provider's signature
 * (streamed: {@code thinking_delta}s and a {@code signature_delta}), and in a tool loop the block the client sends back
 * reaches Anthropic unchanged — the emulator, like the real API, refuses a thinking block whose signature does not
 * match. A client that did not ask sees no thinking; a malformed switch is a 400 that names the field.
 */
class ThinkingTest {
  static GatewayHarness h;
  static final String TOOLS = "[{\"name\":\"lookup_account\",\"description\":\"Find an account\",\"input_schema\":"
      + "{\"type\":\"object\",\"properties\":{\"domain\":{\"type\":\"string\"}},\"required\":[\"domain\"]}}]";

  @BeforeAll
  static void up() {
    h = new GatewayHarness();
  }

  @AfterAll
  static void down() {
    h.close();
  }

  static ObjectNode body(String model, boolean stream, String thinking) {
    ObjectNode b = WireJson.object();
    b.put("model", model).put("max_tokens", 4096);
    if (stream) b.put("stream", true);
    if (thinking != null) b.set("thinking", WireJson.parse(thinking));
    b.putArray("messages").addObject().put("role", "user").put("content", "Which plan fits a 40 person team?");
    return b;
  }

  static HttpResponse<String> send(ObjectNode b) {
    return h.post("/v1/messages", GatewayHarness.ADMIN_KEY, b.toString());
  }

  /** A question that makes the model call {@code lookup_account}, with thinking on. */
  static ObjectNode toolAsk(boolean stream) {
    ObjectNode first = body("anthropic/claude-haiku-4-5", stream, "{\"type\":\"enabled\",\"budget_tokens\":2048}");
    first.set("tools", WireJson.parse(TOOLS));
    ((ObjectNode) first.get("messages").get(0)).put("content", "Use lookup_account for domain=globex.io please");
    return first;
  }

  /** The next request of a tool loop: {@code first} (not streamed) with the answer's {@code turn} and a tool result. */
  static ObjectNode withToolResult(ObjectNode first, JsonNode turn, String callId, String result) {
    ObjectNode next = first.deepCopy();
    next.remove("stream");
    ArrayNode msgs = (ArrayNode) next.get("messages");
    msgs.addObject().put("role", "assistant").set("content", turn);
    msgs.addObject().put("role", "user").putArray("content").addObject().put("type", "tool_result")
        .put("tool_use_id", callId).put("content", result);
    return next;
  }

  /** A next question to Claude with thinking on, after the assistant's {@code turn} as a client would send it back. */
  static ObjectNode followUp(JsonNode turn) {
    ObjectNode next = body("anthropic/claude-haiku-4-5", false, "{\"type\":\"enabled\",\"budget_tokens\":2048}");
    ArrayNode msgs = (ArrayNode) next.get("messages");
    msgs.addObject().put("role", "assistant").set("content", turn);
    msgs.addObject().put("role", "user").put("content", "And for 400 people?");
    return next;
  }

  /** The content blocks of an answer, rebuilt from its events when it streamed. */
  static ArrayNode content(HttpResponse<String> r, boolean stream) {
    if (!stream) return (ArrayNode) WireJson.parse(r.body()).get("content");
    ArrayNode blocks = WireJson.MAPPER.createArrayNode();
    List<StringBuilder> json = new ArrayList<>();
    for (String data : GatewayHarness.sseData(r.body())) {
      JsonNode e = WireJson.parse(data);
      switch (e.path("type").asText()) {
        case "content_block_start" -> {
          assertThat(e.path("index").asInt()).isEqualTo(blocks.size());
          blocks.add(e.get("content_block").deepCopy());
          json.add(new StringBuilder());
        }
        case "content_block_delta" -> {
          ObjectNode b = (ObjectNode) blocks.get(e.path("index").asInt());
          JsonNode d = e.get("delta");
          switch (d.path("type").asText()) {
            case "thinking_delta" -> b.put("thinking", b.path("thinking").asText() + d.path("thinking").asText());
            case "signature_delta" -> b.put("signature", b.path("signature").asText() + d.path("signature").asText());
            case "text_delta" -> b.put("text", b.path("text").asText() + d.path("text").asText());
            case "input_json_delta" -> json.get(e.path("index").asInt()).append(d.path("partial_json").asText());
            default -> throw new AssertionError("unexpected delta " + d);
          }
        }
        default -> { }
      }
    }
    for (int i = 0; i < blocks.size(); i++) {
      if (json.get(i).length() > 0) ((ObjectNode) blocks.get(i)).set("input", WireJson.parse(json.get(i).toString()));
    }
    return blocks;
  }

  @ParameterizedTest(name = "stream={0}")
  @ValueSource(booleans = {false, true})
  void thinkingComesBackSignedBeforeTheAnswer(boolean stream) {
    HttpResponse<String> r = send(body("anthropic/claude-haiku-4-5", stream, "{\"type\":\"enabled\",\"budget_tokens\":2048}"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    ArrayNode c = content(r, stream);
    assertThat(c.get(0).path("type").asText()).isEqualTo("thinking");
    assertThat(c.get(0).path("thinking").asText()).isNotBlank();
    assertThat(c.get(0).path("signature").asText()).startsWith("EmuSig");
    assertThat(c.get(1).path("type").asText()).isEqualTo("text");
    assertThat(c.get(1).path("text").asText()).isNotBlank();

    // the same question without thinking: the same answer, no thinking block
    HttpResponse<String> plain = send(body("anthropic/claude-haiku-4-5", stream, null));
    ArrayNode p = content(plain, stream);
    assertThat(p).extracting(b -> b.path("type").asText()).containsExactly("text");
    assertThat(p.get(0).path("text").asText()).isEqualTo(c.get(1).path("text").asText());
  }

  @ParameterizedTest(name = "stream={0}")
  @ValueSource(booleans = {false, true})
  void inAToolLoopTheSignedThinkingGoesBackUnchanged(boolean stream) {
    ObjectNode first = toolAsk(stream);
    HttpResponse<String> r = send(first);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    ArrayNode turn = content(r, stream);
    assertThat(turn).extracting(b -> b.path("type").asText()).containsExactly("thinking", "tool_use");
    String callId = turn.get(1).path("id").asText();
    assertThat(turn.get(1).path("input").path("domain").asText()).isEqualTo("globex.io");

    ObjectNode next = withToolResult(first, turn, callId, "Globex: 120 sellers, Enterprise plan");
    HttpResponse<String> answer = send(next);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    JsonNode a = WireJson.parse(answer.body());
    assertThat(a.path("content").get(0).path("type").asText()).isEqualTo("thinking");
    assertThat(a.path("content").get(1).path("text").asText()).contains("Globex: 120 sellers, Enterprise plan");

    // the same turn with its thinking altered is refused by the provider, as Anthropic refuses it
    ObjectNode tampered = next.deepCopy();
    ((ObjectNode) tampered.get("messages").get(1).get("content").get(0)).put("thinking", "something else");
    HttpResponse<String> refused = send(tampered);
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
    assertThat(refused.body()).contains("invalid_request_error").contains("signature");
  }

  /**
   * A stream cut after its thinking began: the router retries or continues, and what the client got — thinking blocks
   * and text — is a turn Anthropic accepts back (a signature always matches the thinking it is sent with).
   */
  @Test
  void aCutStreamWithThinkingStillGivesATurnThatCanBeSentBack() {
    long cutsBefore = h.emulator.stats().faults("anthropic", dev.salesagent.emulator.Fault.STREAM_CUT);
    h.emulator.faults().next("anthropic", dev.salesagent.emulator.Fault.STREAM_CUT, 1);
    ObjectNode first = body("anthropic/claude-haiku-4-5", true, "{\"type\":\"enabled\",\"budget_tokens\":2048}");
    HttpResponse<String> r = send(first);
    assertThat(h.emulator.stats().faults("anthropic", dev.salesagent.emulator.Fault.STREAM_CUT)).isEqualTo(cutsBefore + 1);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(GatewayHarness.sseEvents(r.body())).as(r.body()).contains("message_stop");
    ArrayNode turn = content(r, true);
    assertThat(turn.get(turn.size() - 1).path("type").asText()).isEqualTo("text");

    HttpResponse<String> again = send(followUp(turn));
    assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
  }

  /**
   * A stream cut in the middle of its thinking (a tool-call answer is mostly thinking, so the emulator's cut at half the
   * deltas lands there): the cut thinking ends as an unsigned block, the next attempt's thinking is a block of its own
   * with its own signature, and the turn sent back with the tool result is accepted — the unsigned block is left out,
   * the signed one goes back unchanged. One block holding both attempts' thinking under the second's signature would be
   * refused.
   */
  @Test
  void aStreamCutInsideItsThinkingEndsThatThinkingUnsigned() {
    h.emulator.faults().next("anthropic", dev.salesagent.emulator.Fault.STREAM_CUT, 1);
    ObjectNode first = toolAsk(true);
    HttpResponse<String> r = send(first);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    ArrayNode turn = content(r, true);
    assertThat(turn).extracting(b -> b.path("type").asText()).containsExactly("thinking", "thinking", "tool_use");
    assertThat(turn.get(0).path("signature").asText()).as("the cut thinking").isEmpty();
    assertThat(turn.get(1).path("signature").asText()).startsWith("EmuSig");

    HttpResponse<String> answer = send(withToolResult(first, turn, turn.get(2).path("id").asText(), "Globex: 120 sellers"));
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(answer.body()).contains("Globex: 120 sellers");
  }

  @Test
  void reasoningFromAProviderThatSignsNothingIsAThinkingBlockWithAnEmptySignature() {
    HttpResponse<String> r = send(body("deepseek/deepseek-flash", false, "{\"type\":\"adaptive\"}"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode c = WireJson.parse(r.body()).path("content");
    assertThat(c.get(0).path("type").asText()).isEqualTo("thinking");
    assertThat(c.get(0).path("thinking").asText()).isNotBlank();
    assertThat(c.get(0).path("signature").asText()).isEmpty();
    assertThat(c.get(1).path("type").asText()).isEqualTo("text");

    // sent back to Anthropic, the unsigned block is left out (Anthropic would refuse it), and the turn is answered
    HttpResponse<String> again = send(followUp(c));
    assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
  }

  @Test
  void aMalformedThinkingSwitchIsA400NamingTheField() {
    for (String[] c : new String[][] {
        {"{\"type\":\"enabled\",\"budget_tokens\":500}", "greater than or equal to 1024"},
        {"{\"type\":\"enabled\",\"budget_tokens\":4096}", "`max_tokens` must be greater than `thinking.budget_tokens`"},
        {"{\"type\":\"enabled\"}", "budget_tokens: Field required"},
        {"{\"type\":\"sometimes\"}", "thinking: must be"}}) {
      HttpResponse<String> r = send(body("anthropic/claude-haiku-4-5", false, c[0]));
      assertThat(r.statusCode()).as(c[0]).isEqualTo(400);
      JsonNode err = WireJson.parse(r.body()).path("error");
      assertThat(err.path("type").asText()).isEqualTo("invalid_request_error");
      assertThat(err.path("message").asText()).contains(c[1]);
    }
    HttpResponse<String> off = send(body("anthropic/claude-haiku-4-5", false, "{\"type\":\"disabled\"}"));
    assertThat(off.statusCode()).isEqualTo(200);
    assertThat(WireJson.parse(off.body()).path("content").get(0).path("type").asText()).isEqualTo("text");
  }
}
