package dev.salesagent.server.dialects;

import static org.assertj.core.api.Assertions.assertThat;

import dev.salesagent.emulator.Fault;
import dev.salesagent.server.GatewayHarness;
import dev.salesagent.server.dialects.Conversation.Answer;
import dev.salesagent.server.dialects.Conversation.Call;
import dev.salesagent.server.dialects.Conversation.Options;
import dev.salesagent.server.dialects.Conversation.Result;
import dev.salesagent.server.dialects.Conversation.Results;
import dev.salesagent.server.dialects.Conversation.Turn;
import dev.salesagent.server.dialects.Conversation.User;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The round-trip matrix: every inbound dialect (OpenAI chat, Anthropic messages, Responses) × every upstream protocol
 * (Anthropic, OpenAI-compatible — Cerebras' generic adapter and DeepSeek's —, Ollama) × {streaming, not}, over real
 * loopback HTTP against the emulators, whose tool behaviour is a contract (emulator/README.md "Tools…"). The client's
 * side of each dialect ({@link Dialect}) renders the same conversation and reads the answer back, checking its wire
 * grammar as it goes.
 */
class ToolLoopMatrixTest {
  static GatewayHarness h;

  /** The upstreams: a pinned model each, and the emulator protocol that serves it. */
  record Upstream(String model, String protocol) {
    String bareModel() {
      return model.substring(model.indexOf('/') + 1);
    }

    @Override
    public String toString() {
      return model;
    }
  }

  static final List<Upstream> UPSTREAMS = List.of(
      new Upstream("anthropic/claude-haiku-4-5", "anthropic"),
      new Upstream("cerebras/gpt-oss-120b", "openai"),
      new Upstream("deepseek/deepseek-flash", "openai"),
      new Upstream("ollama/llama3.2", "ollama"));

  static Stream<Arguments> cells() {
    List<Arguments> out = new ArrayList<>();
    for (Dialect d : Dialect.ALL) {
      for (Upstream u : UPSTREAMS) {
        for (boolean stream : new boolean[] {false, true}) out.add(Arguments.of(d, u, stream));
      }
    }
    return out.stream();
  }

  @BeforeAll
  static void up() {
    h = new GatewayHarness();
  }

  @AfterAll
  static void down() {
    h.close();
  }

  @BeforeEach
  void clear() {
    h.emulator.faults().clear();
  }

  static Options opts(Upstream u, boolean stream, String choice) {
    return new Options(u.model(), stream, choice, 512);
  }

  static void ok(Answer a) {
    assertThat(a.ok()).as("a successful answer, got %s", a.body()).isTrue();
  }

  @ParameterizedTest(name = "{0} served by {1}, stream={2}")
  @MethodSource("cells")
  void twoStepToolLoopEndsWithTheResultInTheText(Dialect d, Upstream u, boolean stream) {
    List<Turn> conv = Conversation.of(new User("What is it like outside? Use get_weather with city=Paris please."));
    Answer first = d.send(h, conv, Conversation.TOOLS, opts(u, stream, "auto"));
    ok(first);
    assertThat(first.finish()).isEqualTo("tool_calls");
    assertThat(first.calls()).extracting(Call::name).containsExactly("get_weather");
    Call call = first.calls().get(0);
    assertThat(call.id()).isNotBlank();
    assertThat(Conversation.args(call).path("city").asText()).isEqualTo("Paris");

    List<Turn> next = Conversation.plus(conv, first.asTurn(), new Results(List.of(new Result(call.id(), "sunny, 21 C in Paris"))));
    Answer second = d.send(h, next, Conversation.TOOLS, opts(u, stream, "auto"));
    ok(second);
    assertThat(second.calls()).isEmpty();
    assertThat(second.finish()).isEqualTo("stop");
    assertThat(second.text()).contains("Tool result: sunny, 21 C in Paris");
    assertThat(second.inputTokens()).isPositive();
    assertThat(second.outputTokens()).isPositive();
  }

  @ParameterizedTest(name = "{0} served by {1}, stream={2}")
  @MethodSource("cells")
  void aForcedToolIsTheOneCalled(Dialect d, Upstream u, boolean stream) {
    List<Turn> conv = Conversation.of(new User("Use get_weather for city=Rome."));
    Answer a = d.send(h, conv, Conversation.TOOLS, opts(u, stream, "get_time"));
    ok(a);
    assertThat(a.finish()).isEqualTo("tool_calls");
    assertThat(a.calls()).extracting(Call::name).containsExactly("get_time");
    Conversation.args(a.calls().get(0));
  }

  @ParameterizedTest(name = "{0} served by {1}, stream={2}")
  @MethodSource("cells")
  void toolChoiceNoneGetsText(Dialect d, Upstream u, boolean stream) {
    List<Turn> conv = Conversation.of(new User("Use get_weather for city=Lima please"));
    Answer a = d.send(h, conv, Conversation.TOOLS, opts(u, stream, "none"));
    ok(a);
    assertThat(a.calls()).isEmpty();
    assertThat(a.finish()).isEqualTo("stop");
    assertThat(a.text()).isNotBlank();
  }

  @ParameterizedTest(name = "{0} served by {1}, stream={2}")
  @MethodSource("cells")
  void parallelCallsKeepTheirOrderBothWays(Dialect d, Upstream u, boolean stream) {
    List<Turn> conv = Conversation.of(new User("Call get_weather with city=Oslo, then get_time with tz=Europe/Oslo please"));
    Answer first = d.send(h, conv, Conversation.TOOLS, opts(u, stream, "auto"));
    ok(first);
    assertThat(first.calls()).extracting(Call::name).containsExactly("get_weather", "get_time");
    assertThat(Conversation.args(first.calls().get(0)).path("city").asText()).isEqualTo("Oslo");
    assertThat(Conversation.args(first.calls().get(1)).path("tz").asText()).isEqualTo("Europe/Oslo");
    assertThat(first.calls().get(0).id()).isNotEqualTo(first.calls().get(1).id());

    List<Turn> next = Conversation.plus(conv, first.asTurn(), new Results(List.of(
        new Result(first.calls().get(0).id(), "rain in Oslo"), new Result(first.calls().get(1).id(), "14:05 in Oslo"))));
    Answer second = d.send(h, next, Conversation.TOOLS, opts(u, stream, "auto"));
    ok(second);
    assertThat(second.text()).contains("Tool result: rain in Oslo\nTool result: 14:05 in Oslo");
  }

  @ParameterizedTest(name = "{0} served by {1}, stream={2}")
  @MethodSource("cells")
  void anUnknownToolResultIdIsA400AndNoProviderIsCalled(Dialect d, Upstream u, boolean stream) {
    List<Turn> conv = Conversation.of(new User("Use get_weather with city=Paris."));
    Answer first = d.send(h, conv, Conversation.TOOLS, opts(u, stream, "auto"));
    ok(first);
    long before = h.emulator.stats().requests(u.protocol(), u.bareModel());
    List<Turn> next = Conversation.plus(conv, first.asTurn(), new Results(List.of(new Result("call_not_made_0", "x"))));
    Answer second = d.send(h, next, Conversation.TOOLS, opts(u, stream, "auto"));
    assertThat(second.status()).isEqualTo(400);
    assertThat(second.error()).contains("call_not_made_0");
    assertThat(h.emulator.stats().requests(u.protocol(), u.bareModel())).isEqualTo(before);
  }

  @ParameterizedTest(name = "{0} served by {1}, stream={2}")
  @MethodSource("cells")
  void aStreamCutInsideToolArgumentsNeverYieldsBadJson(Dialect d, Upstream u, boolean stream) {
    long cutsBefore = h.emulator.stats().faults(u.protocol(), Fault.STREAM_CUT);
    h.emulator.faults().next(u.protocol(), Fault.STREAM_CUT, 1);
    List<Turn> conv = Conversation.of(new User("Call get_weather with city=Oslo, then get_time with tz=Europe/Oslo please"));
    Answer a = d.send(h, conv, Conversation.TOOLS, opts(u, stream, "auto"));
    assertThat(h.emulator.stats().faults(u.protocol(), Fault.STREAM_CUT)).as("the cut happened").isEqualTo(cutsBefore + 1);
    System.out.println("cut " + d + " <- " + u + " stream=" + stream + ": " + (a.ok() ? "answered " + a.calls() : "error " + a.error()));
    if (a.ok()) {
      // retried or fallen back before the client saw a byte of the cut call: the whole answer, valid
      assertThat(a.calls()).extracting(Call::name).containsExactly("get_weather", "get_time");
      for (Call c : a.calls()) Conversation.args(c);
    } else {
      // or an explicit error: a status, or an error event in the dialect's words after the 200
      assertThat(a.error()).isNotBlank();
    }
  }
}
