package dev.salesagent.router.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.salesagent.router.model.ChatRequest;
import dev.salesagent.router.model.ContentPart;
import dev.salesagent.router.model.Message;
import dev.salesagent.router.model.ResponseFormat;
import dev.salesagent.router.model.Role;
import dev.salesagent.router.model.StreamEvent;
import dev.salesagent.router.model.Thinking;
import dev.salesagent.router.model.ToolCall;
import dev.salesagent.router.provider.FixtureSupport;
import dev.salesagent.router.wire.ChatAccumulator;
import dev.salesagent.router.wire.WireJson;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Extended thinking on the Anthropic wire: the switch as each model family takes it, and the signature kept with the
 * reasoning (a tool loop must send it back unchanged) whether the answer streamed or not, however the bytes were split.
 */
class AnthropicThinkingTest {
  static final List<Message> ASK = List.of(Message.user("Which plan?"));

  static ChatRequest asking(Thinking t, ResponseFormat f) {
    return new ChatRequest(ASK, 4096, null, List.of(), f, List.of(), null, null, t);
  }

  @Test
  void theSwitchAsEachModelFamilyTakesIt() {
    JsonNode four = AnthropicCodec.requestBody("claude-haiku-4-5", asking(Thinking.enabled(2048), ResponseFormat.TEXT), false);
    assertThat(four.get("thinking")).isEqualTo(WireJson.parse("{\"type\":\"enabled\",\"budget_tokens\":2048}"));
    // Claude 5 refuses a manual budget: adaptive
    JsonNode five = AnthropicCodec.requestBody("claude-sonnet-5-5", asking(Thinking.enabled(2048), ResponseFormat.TEXT), false);
    assertThat(five.get("thinking")).isEqualTo(WireJson.parse("{\"type\":\"adaptive\"}"));
    assertThat(AnthropicCodec.requestBody("claude-haiku-4-5", asking(Thinking.ADAPTIVE, ResponseFormat.TEXT), false)
        .get("thinking")).isEqualTo(WireJson.parse("{\"type\":\"adaptive\"}"));
    assertThat(AnthropicCodec.requestBody("claude-haiku-4-5", asking(null, ResponseFormat.TEXT), false).has("thinking")).isFalse();
    // the forced tool standing for a JSON schema (ours, not the caller's) cannot go with thinking on Claude 4;
    // Claude 5's output_config.format can
    ResponseFormat schema = new ResponseFormat.JsonSchema("answer", (ObjectNode) WireJson.parse("{\"type\":\"object\"}"), true);
    assertThat(AnthropicCodec.requestBody("claude-haiku-4-5", asking(Thinking.enabled(2048), schema), false).has("thinking")).isFalse();
    assertThat(AnthropicCodec.requestBody("claude-sonnet-5-5", asking(Thinking.enabled(2048), schema), false).has("thinking")).isTrue();
  }

  @Test
  void signedThinkingGoesBackAndUnsignedThinkingDoesNot() {
    Message turn = Message.of(Role.ASSISTANT, List.of(new ContentPart.Reasoning("hmm", "sig-1"),
        new ToolCall("toolu_1", "lookup", "{}")));
    Message unsigned = Message.of(Role.ASSISTANT, List.of(new ContentPart.Reasoning("hmm", ""), new ContentPart.Text("ok")));
    ChatRequest r = new ChatRequest(List.of(Message.user("q"), unsigned, Message.user("q2"), turn,
        Message.of(Role.TOOL, List.of(new ContentPart.ToolResult("toolu_1", "done")))), 4096, null, List.of(),
        ResponseFormat.TEXT, List.of(new dev.salesagent.router.model.ToolSpec("lookup", null,
            (ObjectNode) WireJson.parse("{\"type\":\"object\"}"))), null, null, Thinking.enabled(2048));
    JsonNode msgs = AnthropicCodec.requestBody("claude-haiku-4-5", r, false).get("messages");
    assertThat(msgs.get(1).get("content").get(0).path("type").asText()).isEqualTo("text");
    assertThat(msgs.get(3).get("content").get(0)).isEqualTo(
        WireJson.parse("{\"type\":\"thinking\",\"thinking\":\"hmm\",\"signature\":\"sig-1\"}"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"anthropic.stream.thinking.sse", "anthropic.stream.thinking.crlf.sse"})
  void aStreamKeepsTheSignatureWithItsReasoningInAnyChunking(String fixture) throws Exception {
    byte[] bytes;
    try (InputStream in = getClass().getResourceAsStream("/fixtures/" + fixture)) {
      bytes = in.readAllBytes();
    }
    for (int size : new int[] {bytes.length, 1, 7, 64}) {
      List<StreamEvent> events = new ArrayList<>();
      AnthropicStreamParser p = new AnthropicStreamParser(events::add, null, FixtureSupport.ERRORS);
      for (int off = 0; off < bytes.length; off += size) {
        p.feed(io.vertx.core.buffer.Buffer.buffer(java.util.Arrays.copyOfRange(bytes, off, Math.min(bytes.length, off + size))));
      }
      p.end();
      ChatAccumulator acc = p.accumulator();
      assertThat(acc.reasoningSignature()).as("chunks of " + size).isEqualTo("EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxDYsWX");
      assertThat(acc.reasoning()).isEqualTo("Let me think — über carefully 🤔.");
      assertThat(acc.toResponse("anthropic", "m", 1, null).reasoningSignature()).isEqualTo(acc.reasoningSignature());
      // the signature follows the reasoning it signs and comes before the answer
      int sig = indexOf(events, StreamEvent.ReasoningSignature.class);
      assertThat(sig).isGreaterThan(indexOf(events, StreamEvent.ReasoningDelta.class));
      assertThat(sig).isLessThan(indexOf(events, StreamEvent.TextDelta.class));
    }
  }

  @Test
  void aWholeAnswerKeepsTheSignature() throws Exception {
    byte[] bytes;
    try (InputStream in = getClass().getResourceAsStream("/fixtures/anthropic.messages.thinking.json")) {
      bytes = in.readAllBytes();
    }
    ChatAccumulator acc = AnthropicCodec.parseResponse(bytes, 0, bytes.length, null, FixtureSupport.ERRORS);
    assertThat(acc.reasoning()).isEqualTo("hmm");
    assertThat(acc.reasoningSignature()).isEqualTo("abc");
  }

  private static int indexOf(List<StreamEvent> events, Class<?> type) {
    for (int i = 0; i < events.size(); i++) if (type.isInstance(events.get(i))) return i;
    return -1;
  }
}
