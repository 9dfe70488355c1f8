package dev.salesagent.router.provider;

import static dev.salesagent.router.provider.AdapterEmulatorTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.salesagent.emulator.Emulator;
import dev.salesagent.emulator.EmulatorOptions;
import dev.salesagent.router.error.ErrorKind;
import dev.salesagent.router.model.CacheControl;
import dev.salesagent.router.model.ChatRequest;
import dev.salesagent.router.model.ChatResponse;
import dev.salesagent.router.model.ContentPart;
import dev.salesagent.router.model.FinishReason;
import dev.salesagent.router.model.Message;
import dev.salesagent.router.model.Role;
import dev.salesagent.router.model.StreamEvent;
import dev.salesagent.router.model.ToolCall;
import dev.salesagent.router.model.ToolChoice;
import dev.salesagent.router.model.ToolSpec;
import dev.salesagent.router.provider.AdapterEmulatorTest.Outcome;
import dev.salesagent.router.provider.AdapterEmulatorTest.Target;
import dev.salesagent.router.provider.anthropic.AnthropicProvider;
import dev.salesagent.router.provider.ollama.OllamaProvider;
import dev.salesagent.router.provider.openai.OpenAiProvider;
import dev.salesagent.router.wire.WireJson;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Structured conversations over loopback against the protocol emulators (which implement issue 13's contract, see
 * emulator/README.md): every adapter × streaming and not × tool call, parallel calls, tool-result turn, forced tool,
 * tool choice none, image, prompt caching, an unknown tool-result id. What the emulator answers proves what the
 * adapter sent: it only calls tools it was offered, echoes tool results it could pair, acknowledges images it decoded.
 */
class ConversationEmulatorTest {
  static Vertx vertx;
  static Emulator emu;
  static List<Target> targets;

  static final ObjectNode LOOKUP_SCHEMA = (ObjectNode) WireJson.parse(
      "{\"$schema\":\"http://json-schema.org/draft-07/schema#\",\"type\":\"object\",\"additionalProperties\":false,"
          + "\"properties\":{\"domain\":{\"type\":\"string\"}},\"required\":[\"domain\"]}");
  static final ObjectNode EMAIL_SCHEMA = (ObjectNode) WireJson.parse(
      "{\"type\":\"object\",\"properties\":{\"to\":{\"type\":\"string\"},\"subject\":{\"type\":\"string\"}},\"required\":[\"to\"]}");
  static final List<ToolSpec> TOOLS = List.of(
      new ToolSpec("lookup_company", "Look a company up by its domain.", LOOKUP_SCHEMA),
      new ToolSpec("send_email", "Send an email.", EMAIL_SCHEMA));

  /** The 8-byte PNG signature and a few more bytes: Ollama's side sniffs the media type from them. */
  static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R', 1, 2, 3};

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    emu = await(Emulator.start(vertx, EmulatorOptions.defaults()));
    targets = List.of(
        AdapterEmulatorTest.target(vertx, "anthropic", AnthropicProvider.KIND, emu.anthropicBaseUrl(), "/v1", "anthropic", "claude-haiku-4-5"),
        AdapterEmulatorTest.target(vertx, "cerebras", OpenAiProvider.KIND, emu.openAiRootUrl(), "/v1", "openai", "gpt-oss-120b"),
        AdapterEmulatorTest.target(vertx, "deepseek", OpenAiProvider.KIND, emu.openAiBaseUrl(), "", "openai", "deepseek-flash"),
        AdapterEmulatorTest.target(vertx, "ollama", OllamaProvider.KIND, emu.ollamaBaseUrl(), "", "ollama", "llama3.2"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (targets != null) targets.forEach(t -> t.adapter().close());
    if (emu != null) await(emu.close());
    if (vertx != null) await(vertx.close());
  }

  static ChatRequest ask(String text) {
    return ChatRequest.of(List.of(Message.system("You help a sales team."), Message.user(text))).withTools(TOOLS, ToolChoice.AUTO);
  }

  static Outcome ok(Target t, boolean stream, ChatRequest r) {
    Outcome o = AdapterEmulatorTest.call(t, stream, r);
    assertThat(o.error()).as(t.name() + (stream ? " stream" : " chat")).isNull();
    if (stream) assertStreamAddsUp(o);
    return o;
  }

  /** The streamed tool-call fragments, joined by index, are exactly the answer's calls (ids, names, arguments). */
  static void assertStreamAddsUp(Outcome o) {
    Map<Integer, String[]> byIndex = new TreeMap<>();
    for (StreamEvent e : o.events()) {
      if (e instanceof StreamEvent.ToolCallDelta d) {
        String[] c = byIndex.computeIfAbsent(d.index(), k -> new String[] {null, null, ""});
        if (d.id() != null) c[0] = d.id();
        if (d.name() != null) c[1] = d.name();
        c[2] += d.argumentsFragment();
      }
    }
    List<ToolCall> calls = o.response().toolCalls();
    assertThat(byIndex).hasSize(calls.size());
    int i = 0;
    for (String[] c : byIndex.values()) {
      ToolCall call = calls.get(i++);
      assertThat(c[0]).isEqualTo(call.id());
      assertThat(c[1]).isEqualTo(call.name());
      assertThat(WireJson.parse(c[2])).isEqualTo(WireJson.parse(call.argumentsJson()));
    }
  }

  @TestFactory
  Stream<DynamicTest> conversations() {
    Map<String, BiConsumer<Target, Boolean>> cases = new java.util.LinkedHashMap<>();
    cases.put("one tool call with p=v arguments", ConversationEmulatorTest::oneCall);
    cases.put("parallel calls in order", ConversationEmulatorTest::parallelCalls);
    cases.put("two-step tool loop ends with the result", ConversationEmulatorTest::toolLoop);
    cases.put("forced tool", ConversationEmulatorTest::forced);
    cases.put("tool choice none", ConversationEmulatorTest::none);
    cases.put("image input", ConversationEmulatorTest::image);
    cases.put("unknown tool-result id is a 400", ConversationEmulatorTest::unknownResultId);
    List<DynamicTest> out = new ArrayList<>();
    for (Target t : targets) {
      for (boolean stream : new boolean[] {false, true}) {
        for (var c : cases.entrySet()) {
          out.add(DynamicTest.dynamicTest(t.name() + (stream ? " stream: " : " chat: ") + c.getKey(),
              () -> c.getValue().accept(t, stream)));
        }
      }
    }
    return out.stream();
  }

  static void oneCall(Target t, boolean stream) {
    ChatResponse r = ok(t, stream, ask("Please lookup_company domain=acme.io, thanks")).response();
    assertThat(r.toolCalls()).hasSize(1);
    ToolCall c = r.toolCalls().get(0);
    assertThat(c.name()).isEqualTo("lookup_company");
    assertThat(c.id()).isNotBlank().matches("[A-Za-z0-9_-]+");
    assertThat(WireJson.parse(c.argumentsJson()).get("domain").textValue()).isEqualTo("acme.io");
    assertThat(r.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
  }

  static void parallelCalls(Target t, boolean stream) {
    ChatResponse r = ok(t, stream, ask("First send_email to=bob@acme.io, then lookup_company domain=acme.io")).response();
    assertThat(r.toolCalls()).extracting(ToolCall::name).containsExactly("send_email", "lookup_company");
    assertThat(r.toolCalls().get(0).id()).isNotEqualTo(r.toolCalls().get(1).id());
    assertThat(WireJson.parse(r.toolCalls().get(0).argumentsJson()).get("to").textValue()).isEqualTo("bob@acme.io");
  }

  static void toolLoop(Target t, boolean stream) {
    ChatRequest first = ask("lookup_company domain=acme.io and send_email to=ceo@acme.io");
    ChatResponse calls = ok(t, stream, first).response();
    assertThat(calls.toolCalls()).hasSize(2);
    List<Message> history = new ArrayList<>(first.messages());
    history.add(calls.toMessage());
    history.add(Message.toolResults(
        new ContentPart.ToolResult(calls.toolCalls().get(0).id(), "ACME employs 42 people"),
        new ContentPart.ToolResult(calls.toolCalls().get(1).id(), "mail queued", true, null)));
    ChatResponse answer = ok(t, stream, first.withMessages(history)).response();
    assertThat(answer.toolCalls()).isEmpty();
    assertThat(answer.text()).contains("Tool result: ACME employs 42 people\n").contains("Tool result: mail queued\n");
    assertThat(answer.finishReason()).isEqualTo(FinishReason.STOP);
  }

  static void forced(Target t, boolean stream) {
    ChatRequest r = ask("lookup_company domain=acme.io").withTools(TOOLS, ToolChoice.named("send_email"));
    ChatResponse a = ok(t, stream, r).response();
    assertThat(a.toolCalls()).extracting(ToolCall::name).containsExactly("send_email");
  }

  static void none(Target t, boolean stream) {
    ChatResponse a = ok(t, stream, ask("lookup_company domain=acme.io").withTools(TOOLS, ToolChoice.NONE)).response();
    assertThat(a.toolCalls()).isEmpty();
    assertThat(a.text()).isNotBlank();
  }

  static void image(Target t, boolean stream) {
    ChatRequest r = ChatRequest.of(List.of(Message.user(new ContentPart.Text("What is on this picture?"),
        ContentPart.Image.bytes("image/png", PNG))));
    ChatResponse a = ok(t, stream, r).response();
    assertThat(a.text()).startsWith("[image image/png " + PNG.length + " bytes] ");
  }

  static void unknownResultId(Target t, boolean stream) {
    ChatRequest first = ask("lookup_company domain=acme.io");
    ChatResponse calls = ok(t, stream, first).response();
    List<Message> history = new ArrayList<>(first.messages());
    history.add(calls.toMessage());
    history.add(Message.toolResult("call_nobody_made", "??"));
    Outcome o = AdapterEmulatorTest.call(t, stream, first.withMessages(history));
    if (t.protocol().equals("ollama")) {
      // Ollama has no ids on the wire: the adapter names results by their call; an unknown id gets no tool_name, and
      // the emulator pairs by position as Ollama does — an answer, not an error
      assertThat(o.error()).isNull();
      return;
    }
    assertThat(o.llm().kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
    assertThat(o.llm().getMessage()).contains("call_nobody_made");
  }

  @TestFactory
  Stream<DynamicTest> promptCaching() {
    List<DynamicTest> out = new ArrayList<>();
    for (Target t : targets) {
      if (t.protocol().equals("ollama")) continue; // Ollama reports no cache use
      for (boolean stream : new boolean[] {false, true}) {
        out.add(DynamicTest.dynamicTest(t.name() + (stream ? " stream" : " chat"), () -> {
          String doc = "Company handbook. " + "Every lead gets a polite, short and specific first email. ".repeat(120)
              + t.name() + stream;
          ChatRequest r = ChatRequest.of(List.of(
              Message.of(Role.SYSTEM, List.of(new ContentPart.Text(doc, CacheControl.EPHEMERAL))),
              Message.user("Summarise the handbook.")));
          ChatResponse first = ok(t, stream, r).response();
          ChatResponse second = ok(t, stream, r).response();
          if (t.protocol().equals("anthropic")) {
            assertThat(first.usage().cacheCreationInputTokens()).isGreaterThanOrEqualTo(1024);
            assertThat(first.usage().cachedInputTokens()).isZero();
            assertThat(second.usage().cachedInputTokens()).isEqualTo(first.usage().cacheCreationInputTokens());
          } else {
            assertThat(first.usage().cachedOrZero()).isZero();
            assertThat(second.usage().cachedInputTokens()).isGreaterThanOrEqualTo(1024);
          }
          // inputTokens counts every prompt token, cached ones included
          assertThat(second.usage().inputTokens()).isEqualTo(first.usage().inputTokens());
          assertThat(second.usage().inputTokens()).isGreaterThanOrEqualTo(second.usage().cachedInputTokens());
        }));
      }
    }
    return out.stream();
  }
}
