package dev.salesagent.server.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.errors.BadRequestException;
import com.anthropic.errors.NotFoundException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.TextBlock;
import dev.salesagent.emulator.Fault;
import dev.salesagent.server.GatewayHarness;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The official Anthropic Java SDK is the judge of our Messages wire format. */
class AnthropicSdkTest {
  static GatewayHarness h;
  static AnthropicClient client;

  @BeforeAll
  static void up() {
    h = new GatewayHarness();
    // x-api-key auth, as Claude clients send it
    client = AnthropicOkHttpClient.builder().baseUrl(h.baseUrl()).apiKey(GatewayHarness.ADMIN_KEY).maxRetries(0)
        .timeout(Duration.ofSeconds(60)).build();
  }

  @AfterAll
  static void down() {
    client.close();
    h.close();
  }

  @BeforeEach
  void clear() {
    h.emulator.faults().clear();
  }

  static MessageCreateParams.Builder params(String model) {
    return MessageCreateParams.builder().model(model).maxTokens(1024).system("You are terse.")
        .addUserMessage("Write one line to Ada about her data pipeline.");
  }

  static String text(Message m) {
    StringBuilder sb = new StringBuilder();
    m.content().forEach(b -> b.text().map(TextBlock::text).ifPresent(sb::append));
    return sb.toString();
  }

  @Test
  void nonStreaming() {
    Message m = client.messages().create(params("claude-sonnet-5-5").build());
    assertThat(text(m)).isNotBlank();
    assertThat(m.stopReason()).contains(StopReason.END_TURN);
    assertThat(m.usage().inputTokens()).isPositive();
    assertThat(m.usage().outputTokens()).isPositive();
    assertThat(m.id()).startsWith("msg_");
  }

  @Test
  void streamingEventSequence() {
    MessageAccumulator acc = MessageAccumulator.create();
    try (StreamResponse<RawMessageStreamEvent> s = client.messages().createStreaming(params("task:content").build())) {
      s.stream().forEach(acc::accumulate);
    }
    Message m = acc.message();
    assertThat(text(m)).isNotBlank();
    assertThat(m.stopReason()).contains(StopReason.END_TURN);
    assertThat(m.usage().outputTokens()).isPositive();

    // exact event order on the wire
    HttpResponse<String> raw = h.post("/v1/messages", GatewayHarness.ADMIN_KEY,
        "{\"model\":\"task:content\",\"max_tokens\":1024,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(raw.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
    List<String> ev = GatewayHarness.sseEvents(raw.body());
    assertThat(ev.get(0)).isEqualTo("message_start");
    assertThat(ev.get(1)).isEqualTo("content_block_start");
    assertThat(ev.get(2)).isEqualTo("ping");
    assertThat(ev.subList(3, ev.size() - 3)).containsOnly("content_block_delta");
    assertThat(ev.subList(ev.size() - 3, ev.size())).containsExactly("content_block_stop", "message_delta", "message_stop");
  }

  @Test
  void claudeClientServedByDeepSeekThroughFallback() {
    h.emulator.faults().always("anthropic", Fault.OVERLOADED);
    var raw = client.messages().withRawResponse().create(params("task:content").build());
    Message m = raw.parse();
    assertThat(text(m)).isNotBlank();
    assertThat(raw.headers().values("x-sales-agent-provider")).containsExactly("deepseek");
    assertThat(m.usage().inputTokens()).isPositive();
    assertThat(m.stopReason()).contains(StopReason.END_TURN);

    MessageAccumulator acc = MessageAccumulator.create();
    try (StreamResponse<RawMessageStreamEvent> s = client.messages().createStreaming(params("task:content").build())) {
      s.stream().forEach(acc::accumulate);
    }
    assertThat(text(acc.message())).isNotBlank();
    assertThat(acc.message().usage().outputTokens()).isPositive();
  }

  @Test
  void maxTokensTranslatesToMaxTokensStopReason() {
    Message m = client.messages().create(MessageCreateParams.builder().model("deepseek/deepseek-flash").maxTokens(3)
        .addUserMessage("Write a long essay about sales pipelines.").build());
    assertThat(m.stopReason()).contains(StopReason.MAX_TOKENS);
  }

  @Test
  void errorsInAnthropicShape() {
    assertThatThrownBy(() -> client.messages().create(params("claude-9").build())).isInstanceOf(NotFoundException.class);
    HttpResponse<String> r = h.post("/v1/messages", null,
        "{\"model\":\"claude-sonnet-5-5\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
        "x-api-key", GatewayHarness.ADMIN_KEY);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("\"type\":\"error\"").contains("\"invalid_request_error\"").contains("max_tokens");
    HttpResponse<String> unauth = h.post("/v1/messages", null,
        "{\"model\":\"claude-sonnet-5-5\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
        "x-api-key", "sk-wrong");
    assertThat(unauth.statusCode()).isEqualTo(401);
    assertThat(unauth.body()).contains("\"authentication_error\"");
  }

  @Test
  void midStreamErrorIsAnErrorEvent() {
    h.emulator.faults().always("anthropic", Fault.STREAM_ERROR);
    HttpResponse<String> raw = h.post("/v1/messages", GatewayHarness.ADMIN_KEY,
        "{\"model\":\"anthropic/claude-sonnet-5-5\",\"max_tokens\":1024,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    List<String> ev = GatewayHarness.sseEvents(raw.body());
    if (raw.statusCode() == 200) {
      assertThat(ev).last().isEqualTo("error");
      assertThat(ev).doesNotContain("message_stop");
    } else {
      assertThat(raw.body()).contains("\"type\":\"error\"");
    }
    assertThatThrownBy(() -> {
      try (StreamResponse<RawMessageStreamEvent> s = client.messages().createStreaming(params("anthropic/claude-sonnet-5-5").build())) {
        s.stream().forEach(e -> { });
      }
    }).isInstanceOf(AnthropicServiceException.class);
  }

  @Test
  void badBlocksAreRefusedWithAHelpfulMessage() {
    HttpResponse<String> r = h.post("/v1/messages", GatewayHarness.ADMIN_KEY,
        "{\"model\":\"claude-sonnet-5-5\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image\",\"source\":{}}]}]}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("messages.0.content.0.source: must be {type: base64, media_type, data} or {type: url, url}");
    r = h.post("/v1/messages", GatewayHarness.ADMIN_KEY, "{\"model\":\"claude-sonnet-5-5\",\"max_tokens\":5,"
        + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"document\",\"source\":{}}]}]}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("messages.0.content.0.type: 'document' blocks are not supported here");
    assertThatThrownBy(() -> client.messages().create(MessageCreateParams.builder().model("claude-sonnet-5-5")
        .maxTokens(0).addUserMessage("x").build())).isInstanceOf(BadRequestException.class);
  }
}
