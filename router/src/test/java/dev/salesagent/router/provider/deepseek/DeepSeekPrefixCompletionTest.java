package dev.salesagent.router.provider.deepseek;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.salesagent.emulator.Emulator;
import dev.salesagent.emulator.EmulatorOptions;
import dev.salesagent.router.model.ChatRequest;
import dev.salesagent.router.model.ChatResponse;
import dev.salesagent.router.model.Message;
import dev.salesagent.router.model.StreamEvent;
import dev.salesagent.router.provider.CallContext;
import dev.salesagent.router.provider.ChatStream;
import dev.salesagent.router.provider.ProviderAdapter;
import dev.salesagent.router.provider.ProviderSettings;
import dev.salesagent.router.provider.Secret;
import dev.salesagent.router.provider.Timeouts;
import dev.salesagent.router.provider.openai.OpenAiProvider;
import dev.salesagent.router.provider.registry.Providers;
import dev.salesagent.router.wire.WireJson;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DeepSeek continuation = Chat Prefix Completion (Beta): a trailing assistant message goes to the beta root with
 * {@code "prefix": true}; everything else (and every other provider) is unchanged. Checked on the wire against a
 * recording server and end to end against the emulator, which refuses the flag on the normal path.
 */
class DeepSeekPrefixCompletionTest {
  static Vertx vertx;
  static HttpServer recorder;
  static Emulator emu;
  /** "METHOD path body" of every request the recorder saw. */
  static final List<String[]> seen = new CopyOnWriteArrayList<>();

  static final String ANSWER = "{\"id\":\"c1\",\"object\":\"chat.completion\",\"model\":\"m\",\"choices\":[{\"index\":0,"
      + "\"message\":{\"role\":\"assistant\",\"content\":\" rest.\"},\"finish_reason\":\"stop\"}],"
      + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2}}";

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    recorder = await(vertx.createHttpServer().requestHandler(r -> r.body().onSuccess(b -> {
      seen.add(new String[] {r.path(), b.toString()});
      r.response().putHeader("content-type", "application/json").end(ANSWER);
    })).listen(0, "127.0.0.1"));
    emu = await(Emulator.start(vertx, EmulatorOptions.defaults()));
  }

  @AfterAll
  static void stop() throws Exception {
    if (emu != null) await(emu.close());
    if (recorder != null) await(recorder.close());
    if (vertx != null) await(vertx.close());
  }

  static <T> T await(Future<T> f) throws Exception {
    try {
      return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception ex) throw ex;
      throw e;
    }
  }

  static ProviderAdapter adapter(String name, String base, String prefix) {
    return Providers.BUILT_IN.adapter(vertx, new ProviderSettings(name, OpenAiProvider.KIND, base, prefix,
        new Secret("sk-test-" + name + "-0123456789"), name.toUpperCase() + "_API_KEY", Map.of(),
        new Timeouts(5_000, 20_000, 20_000, 30_000), 0, 0, 0));
  }

  /** Generous limits: nothing here is about timeouts, and a busy machine can take seconds over a loopback answer. */
  static CallContext ctx() {
    return CallContext.withTimeout("req-prefix", 30_000, 20_000, 20_000);
  }

  static final String Q = "Write a short follow-up to Acme about the pilot.";

  static ChatRequest question() {
    return ChatRequest.of(List.of(Message.system("You are terse."), Message.user(Q)));
  }

  static ChatRequest continuation(String partial) {
    return ChatRequest.of(List.of(Message.system("You are terse."), Message.user(Q), Message.assistant(partial)));
  }

  /** The recorded request for one call: path and parsed body. */
  record Sent(String path, JsonNode body) {}

  static Sent recordCall(ProviderAdapter a, ChatRequest r, boolean stream) throws Exception {
    seen.clear();
    if (stream) await(a.stream("deepseek-flash", r, ctx(), e -> {}).compose(ChatStream::result));
    else await(a.chat("deepseek-flash", r, ctx()));
    assertThat(seen).hasSize(1);
    return new Sent(seen.get(0)[0], WireJson.parse(seen.get(0)[1]));
  }

  static JsonNode last(Sent s) {
    JsonNode msgs = s.body().get("messages");
    return msgs.get(msgs.size() - 1);
  }

  @Test
  void deepSeekContinuationGoesToTheBetaRootWithThePrefixFlag() throws Exception {
    String root = "http://127.0.0.1:" + recorder.actualPort();
    for (String base : List.of(root, root + "/v1")) {
      try (ProviderAdapter a = adapter("deepseek", base, "")) {
        for (boolean stream : new boolean[] {false, true}) {
          Sent c = recordCall(a, continuation("Hi Acme, thanks for"), stream);
          assertThat(c.path()).as(base).isEqualTo("/beta/chat/completions");
          assertThat(last(c).get("role").asText()).isEqualTo("assistant");
          assertThat(last(c).get("content").asText()).isEqualTo("Hi Acme, thanks for");
          assertThat(last(c).get("prefix").asBoolean()).isTrue();
          assertThat(c.body().get("stream").asBoolean()).isEqualTo(stream);
          assertThat(c.body().get("thinking").get("type").asText()).isEqualTo("disabled");
          // an ordinary request keeps the normal endpoint and carries no flag
          Sent q = recordCall(a, question(), stream);
          assertThat(q.path()).isEqualTo(base.endsWith("/v1") ? "/v1/chat/completions" : "/chat/completions");
          q.body().get("messages").forEach(m -> assertThat(m.has("prefix")).isFalse());
        }
      }
    }
    // a base already on the beta root: one endpoint for everything, the flag only on a trailing assistant message
    try (ProviderAdapter a = adapter("deepseek", root + "/beta", "")) {
      Sent c = recordCall(a, continuation("Hi"), false);
      assertThat(c.path()).isEqualTo("/beta/chat/completions");
      assertThat(last(c).get("prefix").asBoolean()).isTrue();
      Sent q = recordCall(a, question(), false);
      assertThat(q.path()).isEqualTo("/beta/chat/completions");
      assertThat(last(q).has("prefix")).isFalse();
    }
  }

  @Test
  void otherOpenAiCompatibleProvidersSendTheTrailingAssistantMessageAsIs() throws Exception {
    try (ProviderAdapter a = adapter("cerebras", "http://127.0.0.1:" + recorder.actualPort(), "/v1")) {
      Sent c = recordCall(a, continuation("Hi Acme"), true);
      assertThat(c.path()).isEqualTo("/v1/chat/completions");
      assertThat(last(c).get("role").asText()).isEqualTo("assistant");
      assertThat(last(c).has("prefix")).isFalse();
      assertThat(c.body().has("thinking")).isFalse();
    }
  }

  /** Partial answers at several cut points, as the router builds them (trailing whitespace held back). */
  static List<String> partials(String full) {
    List<String> out = new ArrayList<>();
    String[] words = full.split(" ");
    for (int n : new int[] {1, words.length / 3, words.length / 2, words.length - 1}) {
      out.add(String.join(" ", List.of(words).subList(0, n)).stripTrailing());
    }
    return out;
  }

  static String text(ProviderAdapter a, ChatRequest r, boolean stream) throws Exception {
    if (!stream) return await(a.chat("deepseek-flash", r, ctx())).text();
    StringBuilder sb = new StringBuilder();
    List<StreamEvent> events = new CopyOnWriteArrayList<>();
    ChatResponse resp = await(a.stream("deepseek-flash", r, ctx(), events::add).compose(ChatStream::result));
    for (StreamEvent e : events) if (e instanceof StreamEvent.TextDelta t) sb.append(t.text());
    assertThat(resp.text()).isEqualTo(sb.toString());
    return sb.toString();
  }

  @Test
  void emulatorContinuesExactlyTheRestOnTheBetaPath() throws Exception {
    for (String base : List.of(emu.openAiBaseUrl(), emu.openAiRootUrl())) {
      try (ProviderAdapter a = adapter("deepseek", base, "")) {
        long served = emu.stats().prefixCompletions();
        String full = text(a, question(), false);
        assertThat(emu.stats().prefixCompletions()).as("an ordinary request is no prefix completion").isEqualTo(served);
        assertThat(full.split(" ").length).isGreaterThan(10);
        for (String partial : partials(full)) {
          String rest = full.substring(partial.length());
          for (boolean stream : new boolean[] {false, true}) {
            long before = emu.stats().requests("openai", "deepseek-flash");
            long prefixed = emu.stats().prefixCompletions();
            // the emulator answers "prefix" on the normal path with 400; it counts the prefix completions it served
            assertThat(text(a, continuation(partial), stream)).as(base + " stream=" + stream + " after " + partial.length())
                .isEqualTo(rest);
            assertThat(emu.stats().requests("openai", "deepseek-flash")).isEqualTo(before + 1);
            assertThat(emu.stats().prefixCompletions()).as("served as a beta prefix completion").isEqualTo(prefixed + 1);
          }
        }
      }
    }
  }
}
