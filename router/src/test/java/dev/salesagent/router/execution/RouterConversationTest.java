package dev.salesagent.router.execution;

import static dev.salesagent.router.execution.EmulatorHarness.await;
import static dev.salesagent.router.execution.EmulatorHarness.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.salesagent.emulator.EmulatorOptions;
import dev.salesagent.emulator.Fault;
import dev.salesagent.router.RouterRuntime;
import dev.salesagent.router.error.ErrorKind;
import dev.salesagent.router.error.LlmException;
import dev.salesagent.router.model.Attempt;
import dev.salesagent.router.model.ChatRequest;
import dev.salesagent.router.model.ContentPart;
import dev.salesagent.router.model.Message;
import dev.salesagent.router.model.StreamEvent;
import dev.salesagent.router.model.ToolChoice;
import dev.salesagent.router.model.ToolSpec;
import dev.salesagent.router.routing.RouteRequest;
import dev.salesagent.router.routing.RoutedResponse;
import dev.salesagent.router.routing.StreamControl;
import dev.salesagent.router.routing.StreamObserver;
import dev.salesagent.router.routing.Target;
import dev.salesagent.router.wire.WireJson;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Routing structured conversations: a plan skips targets that lack what the request needs and says why; a request no
 * target can serve is a 4xx naming the capability; a stream cut inside a tool call's arguments is never continued into
 * broken JSON; a tool call that fails before anything reached the caller falls over whole.
 */
class RouterConversationTest {
  static final List<ToolSpec> TOOLS = List.of(new ToolSpec("lookup_company", "Look a company up.", (ObjectNode) WireJson.parse(
      "{\"type\":\"object\",\"properties\":{\"domain\":{\"type\":\"string\"}},\"required\":[\"domain\"]}")));
  static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 1, 2, 3, 4};

  EmulatorHarness h;

  @AfterEach
  void tearDown() {
    if (h != null) h.close();
  }

  static RouteRequest toolRequest() {
    ChatRequest c = ChatRequest.of(List.of(Message.user("Please lookup_company domain=acme.io"))).withTools(TOOLS, ToolChoice.AUTO);
    return RouteRequest.of(UUID.randomUUID().toString(), c).withTask("qualification");
  }

  static RouteRequest imageRequest() {
    ChatRequest c = ChatRequest.of(List.of(Message.user(new ContentPart.Text("Describe it."), ContentPart.Image.bytes("image/png", PNG))));
    return RouteRequest.of(UUID.randomUUID().toString(), c).withTask("qualification");
  }

  /** Collects tool-call fragments by index, and text. */
  static final class Calls implements StreamObserver {
    final List<StreamEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void onStart(Target target, StreamControl control) {}

    @Override
    public void onEvent(StreamEvent e) {
      events.add(e);
    }

    Map<Integer, String> arguments() {
      Map<Integer, String> m = new TreeMap<>();
      for (StreamEvent e : events) {
        if (e instanceof StreamEvent.ToolCallDelta d) m.merge(d.index(), d.argumentsFragment(), String::concat);
      }
      return m;
    }
  }

  @Test
  void anImageSkipsTextOnlyTargetsAndSaysWhy() {
    h = new EmulatorHarness(EmulatorOptions.defaults());
    RouterRuntime rt = h.start(null, null);
    RoutedResponse r = await(rt.router().startChat(imageRequest()));
    assertThat(r.response().provider()).isEqualTo("anthropic");
    assertThat(r.response().text()).startsWith("[image image/png " + PNG.length + " bytes] ");
    assertThat(r.attempts()).extracting(Attempt::provider).containsExactly("anthropic");
    assertThat(h.emulator.stats().requests("openai", "gpt-oss-120b")).isZero();
  }

  @Test
  void anImageNoTargetCanSeeIsA4xxNamingVision() {
    h = new EmulatorHarness(EmulatorOptions.defaults());
    RouterRuntime rt = h.start("tasks:\n  qualification: {chain: [cerebras/gpt-oss-120b, deepseek/deepseek-flash]}\n", null);
    LlmException e = (LlmException) awaitFailure(rt.router().startChat(imageRequest()));
    assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
    assertThat(e.kind().gatewayStatus() / 100).isEqualTo(4);
    assertThat(e.getMessage()).contains("vision").contains("image").contains("lacks capability vision");
    assertThat(h.emulator.stats().requests("openai", "gpt-oss-120b")).isZero();
  }

  @Test
  void toolsNeedATargetWithTools() {
    h = new EmulatorHarness(EmulatorOptions.defaults());
    // a model of one's own without tools, first in the chain: skipped, the next one serves
    RouterRuntime rt = h.start("""
        providers:
          deepseek:
            models:
              deepseek-plain: {context_window: 64000, input_usd_per_mtok: 0.1, output_usd_per_mtok: 0.2, capabilities: [json]}
        tasks:
          qualification: {chain: [deepseek/deepseek-plain, cerebras/gpt-oss-120b]}
        """, null);
    RoutedResponse r = await(rt.router().startChat(toolRequest()));
    assertThat(r.response().provider()).isEqualTo("cerebras");
    assertThat(r.response().toolCalls()).hasSize(1);
    assertThat(r.response().toolCalls().get(0).name()).isEqualTo("lookup_company");
  }

  @Test
  void aStreamCutInsideToolArgumentsEndsWithAnExplicitErrorNotBrokenJson() {
    h = new EmulatorHarness(EmulatorOptions.defaults().withInterTokenDelay(1));
    RouterRuntime rt = h.start(null, null);
    h.emulator.faults().nextForModel("gpt-oss-120b", Fault.STREAM_CUT, 1);
    Calls c = new Calls();
    LlmException e = (LlmException) awaitFailure(rt.router().startStream(toolRequest(), c));
    assertThat(e.kind()).isEqualTo(ErrorKind.INTERRUPTED);
    assertThat(e.getMessage()).contains("tool call in flight");
    // the caller saw the start of a call, whose arguments are incomplete: no target continued them
    assertThat(c.arguments()).isNotEmpty();
    String partial = c.arguments().get(0);
    assertThat(WireJson.parse(partial.isEmpty() ? "{" : partial)).as("arguments stay visibly incomplete").isNull();
    assertThat(h.emulator.stats().requests("openai", "deepseek-flash")).isZero();
  }

  @Test
  void aToolCallStreamFailingBeforeItsFirstByteFallsOverWhole() {
    h = new EmulatorHarness(EmulatorOptions.defaults().withInterTokenDelay(1));
    RouterRuntime rt = h.start("resilience:\n  max_retries: 0\n", null);
    h.emulator.faults().nextForModel("gpt-oss-120b", Fault.OVERLOADED, 1);
    Calls c = new Calls();
    RoutedResponse r = await(rt.router().startStream(toolRequest(), c));
    assertThat(r.attempts()).extracting(a -> a.provider() + ":" + a.outcome()).containsExactly("cerebras:overloaded", "deepseek:ok");
    assertThat(r.response().toolCalls()).hasSize(1);
    assertThat(WireJson.parse(c.arguments().get(0))).isEqualTo(WireJson.parse(r.response().toolCalls().get(0).argumentsJson()));
    assertThat(WireJson.parse(r.response().toolCalls().get(0).argumentsJson()).get("domain").textValue()).isEqualTo("acme.io");
  }

  @Test
  void cachedTokensAreChargedAtTheCachedPrice() {
    h = new EmulatorHarness(EmulatorOptions.defaults());
    RouterRuntime rt = h.start("tasks:\n  qualification: {chain: [deepseek/deepseek-flash]}\n", null);
    String doc = "Handbook: every lead gets a polite, short and specific first email. ".repeat(120);
    ChatRequest c = ChatRequest.of(List.of(Message.system(doc), Message.user("Summarise.")));
    RoutedResponse first = await(rt.router().startChat(RouteRequest.of("c1", c).withTask("qualification")));
    RoutedResponse second = await(rt.router().startChat(RouteRequest.of("c2", c).withTask("qualification")));
    assertThat(first.response().usage().cachedOrZero()).isZero();
    int cached = second.response().usage().cachedInputTokens();
    assertThat(cached).isGreaterThanOrEqualTo(1024);
    assertThat(second.response().usage().inputTokens()).isEqualTo(first.response().usage().inputTokens());
    // deepseek-flash: 0.30 per Mtok input, 0.006 per Mtok on a cache hit
    double saved = cached * (0.30 - 0.006) / 1_000_000d;
    assertThat(first.costUsd() - second.costUsd()).isCloseTo(saved, org.assertj.core.data.Offset.offset(1e-12));
  }
}
