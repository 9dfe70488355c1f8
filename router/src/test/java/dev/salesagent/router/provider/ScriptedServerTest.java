package dev.salesagent.router.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.salesagent.router.error.ErrorKind;
import dev.salesagent.router.error.LlmException;
import dev.salesagent.router.model.ChatRequest;
import dev.salesagent.router.model.ChatResponse;
import dev.salesagent.router.model.FinishReason;
import dev.salesagent.router.model.StreamEvent;
import dev.salesagent.router.provider.openai.OpenAiProvider;
import dev.salesagent.router.provider.registry.Providers;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Transport edge cases against a scripted loopback server that sends exact bytes. */
class ScriptedServerTest {
  static Vertx vertx;
  static HttpServer server;
  static volatile Handler<HttpServerRequest> script;
  static volatile String lastBody;

  static final String CHUNK = "data: {\"id\":\"c1\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"finish_reason\":null}]}\n\n";
  static final String FINISH = "data: {\"id\":\"c1\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n";
  static final String USAGE = "data: {\"id\":\"c1\",\"model\":\"m\",\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2}}\n\n";

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    server = await(vertx.createHttpServer().requestHandler(r -> r.body().onSuccess(b -> {
      lastBody = b.toString();
      script.handle(r);
    })).listen(0, "127.0.0.1"));
  }

  @AfterAll
  static void stop() throws Exception {
    await(server.close());
    await(vertx.close());
  }

  static <T> T await(Future<T> f) throws Exception {
    try {
      return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception ex) throw ex;
      throw e;
    }
  }

  static ProviderAdapter adapter(String name) {
    return Providers.BUILT_IN.adapter(vertx, new ProviderSettings(name, OpenAiProvider.KIND,
        "http://127.0.0.1:" + server.actualPort(), "/v1", new Secret("sk-scripted-000000"), "X_KEY", Map.of(),
        new Timeouts(5_000, 10_000, 5_000, 30_000), 0, 0, 0));
  }

  /**
   * Generous limits: every script here answers at once (or within half a second), but on a busy machine a first token
   * can take seconds, and a timeout would hide the transport behaviour under test.
   */
  static CallContext ctx() {
    return CallContext.withTimeout("req-s", 30_000, 10_000, 5_000);
  }

  @Test
  void streamClosedAfterFinishAndUsageWithoutDoneIsComplete() throws Exception {
    script = r -> r.response().putHeader("content-type", "text/event-stream").end(CHUNK + FINISH + USAGE);
    try (ProviderAdapter a = adapter("cerebras")) {
      ChatResponse r = await(a.stream("m", ChatRequest.user("x"), ctx(), e -> {}).compose(ChatStream::result));
      assertThat(r.text()).isEqualTo("Hi");
      assertThat(r.usage().outputTokens()).isEqualTo(2);
    }
  }

  @Test
  void streamClosedAfterFinishWithoutUsageIsInterrupted() throws Exception {
    script = r -> r.response().putHeader("content-type", "text/event-stream").end(CHUNK + FINISH);
    try (ProviderAdapter a = adapter("cerebras")) {
      Exception e = failure(a.stream("m", ChatRequest.user("x"), ctx(), ev -> {}).compose(ChatStream::result));
      assertThat(((LlmException) e).kind()).isEqualTo(ErrorKind.INTERRUPTED);
      assertThat(((LlmException) e).providerErrorType()).isEqualTo("stream_truncated");
    }
  }

  @Test
  void doneCompletesAtOnceEvenIfTheBodyNeverEnds() throws Exception {
    script = r -> r.response().putHeader("content-type", "text/event-stream").setChunked(true).write(CHUNK + FINISH + USAGE + "data: [DONE]\n\n");
    try (ProviderAdapter a = adapter("cerebras")) {
      // the body never ends: without completing at [DONE] this would fail as a stall after idleMs
      ChatResponse r = await(a.stream("m", ChatRequest.user("x"), ctx(), e -> {}).compose(ChatStream::result));
      assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
      assertThat(r.usage().inputTokens()).isEqualTo(5);
    }
  }

  @Test
  void jsonAnswerToAStreamingRequestIsDeliveredAsEvents() throws Exception {
    script = r -> r.response().putHeader("content-type", "application/json").end(
        "{\"id\":\"x\",\"model\":\"m\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Whole\"},\"finish_reason\":\"stop\"}],"
            + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1}}");
    try (ProviderAdapter a = adapter("cerebras")) {
      List<StreamEvent> events = new CopyOnWriteArrayList<>();
      ChatResponse r = await(a.stream("m", ChatRequest.user("x"), ctx(), events::add).compose(ChatStream::result));
      assertThat(r.text()).isEqualTo("Whole");
      assertThat(events).containsExactly(new StreamEvent.TextDelta("Whole"));
    }
  }

  @Test
  void jsonErrorWith200ToAStreamingRequestIsMapped() throws Exception {
    script = r -> r.response().putHeader("content-type", "application/json")
        .end("{\"message\":\"We're experiencing high traffic right now!\",\"type\":\"too_many_requests_error\",\"param\":\"queue\",\"code\":\"queue_exceeded\"}");
    try (ProviderAdapter a = adapter("cerebras")) {
      Exception e = failure(a.stream("m", ChatRequest.user("x"), ctx(), ev -> {}));
      assertThat(((LlmException) e).kind()).isEqualTo(ErrorKind.OVERLOADED);
    }
  }

  @Test
  void deepSeekBlankLineKeepAlivesBeforeTheBody() throws Exception {
    script = r -> {
      var res = r.response().putHeader("content-type", "application/json").setChunked(true);
      res.write("\n");
      vertx.setTimer(150, t -> res.write("\n"));
      vertx.setTimer(300, t -> res.write("\n"));
      vertx.setTimer(450, t -> res.end("{\"id\":\"d\",\"model\":\"deepseek-flash\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
          + "\"content\":\"Paris.\",\"reasoning_content\":\"Easy.\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":9,"
          + "\"completion_tokens\":3,\"prompt_cache_hit_tokens\":4}}"));
    };
    try (ProviderAdapter a = adapter("deepseek")) {
      ChatResponse r = await(a.chat("deepseek-flash", ChatRequest.user("x"), ctx()));
      assertThat(r.text()).isEqualTo("Paris.");
      assertThat(r.reasoning()).isEqualTo("Easy.");
      assertThat(r.usage().cachedInputTokens()).isEqualTo(4);
    }
  }

  @Test
  void deepSeekGetsThinkingDisabledAndBearerAuth() throws Exception {
    String[] seen = new String[2];
    script = r -> {
      seen[0] = r.getHeader("authorization");
      seen[1] = lastBody;
      r.response().putHeader("content-type", "application/json").end(
          "{\"choices\":[{\"index\":0,\"message\":{\"content\":\"ok\"},\"finish_reason\":\"stop\"}]}");
    };
    try (ProviderAdapter a = adapter("deepseek")) {
      await(a.chat("deepseek-flash", ChatRequest.user("x"), ctx()));
      assertThat(seen[0]).isEqualTo("Bearer sk-scripted-000000");
      assertThat(seen[1]).contains("\"thinking\":{\"type\":\"disabled\"}").contains("\"stream\":false");
    }
  }

  @Test
  void throwingEventHandlerFailsTheStream() throws Exception {
    script = r -> r.response().putHeader("content-type", "text/event-stream").end(CHUNK + FINISH + USAGE + "data: [DONE]\n\n");
    try (ProviderAdapter a = adapter("cerebras")) {
      Exception e = failure(a.stream("m", ChatRequest.user("x"), ctx(), ev -> {
        throw new IllegalStateException("consumer bug");
      }).compose(ChatStream::result));
      assertThat(((LlmException) e).providerErrorType()).isEqualTo("consumer_error");
    }
  }

  static Exception failure(Future<?> f) {
    try {
      await(f);
    } catch (Exception e) {
      assertThat(e).isInstanceOf(LlmException.class);
      return e;
    }
    throw new AssertionError("expected a failure");
  }
}
