package dev.salesagent.router.provider.deepseek;

import static dev.salesagent.router.provider.RequestBodyTest.CONVO;
import static dev.salesagent.router.provider.RequestBodyTest.req;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.salesagent.router.model.Message;
import dev.salesagent.router.model.ResponseFormat;
import dev.salesagent.router.provider.ProviderSettings;
import dev.salesagent.router.provider.openai.OpenAiCodec;
import dev.salesagent.router.provider.openai.OpenAiProvider;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What DeepSeek adds to an OpenAI Chat Completions body, and where its continuations go (moved from RequestBodyTest). */
class DeepSeekRequestTest {

  @Test
  void thinkingIsSwitchedOff() {
    JsonNode d = OpenAiCodec.requestBody("deepseek-flash", req(null, ResponseFormat.JSON_OBJECT, CONVO), false, DeepSeekBody.of(true, false));
    assertThat(d.get("thinking").get("type").asText()).isEqualTo("disabled");
    assertThat(d.get("response_format").get("type").asText()).isEqualTo("json_object");
    assertThat(d.get("stream").asBoolean()).isFalse();
    assertThat(d.has("stream_options")).isFalse();
  }

  @Test
  void deepSeekPrefixCompletionFlagsOnlyTheTrailingAssistantMessage() {
    List<Message> convo = List.of(Message.user("Hi"), Message.assistant("Hello."), Message.user("More?"), Message.assistant("Sure, here"));
    JsonNode d = OpenAiCodec.requestBody("deepseek-flash", req(null, ResponseFormat.TEXT, convo), true, DeepSeekBody.of(true, true));
    JsonNode msgs = d.get("messages");
    assertThat(msgs).hasSize(4);
    assertThat(msgs.get(3).get("role").asText()).isEqualTo("assistant");
    assertThat(msgs.get(3).get("content").asText()).isEqualTo("Sure, here");
    assertThat(msgs.get(3).get("prefix").asBoolean()).isTrue();
    assertThat(msgs.get(1).has("prefix")).isFalse();
    // no trailing assistant message: nothing to flag
    JsonNode u = OpenAiCodec.requestBody("deepseek-flash", req(null, ResponseFormat.TEXT, convo.subList(0, 3)), true, DeepSeekBody.of(true, true));
    u.get("messages").forEach(m -> assertThat(m.has("prefix")).isFalse());
    // other OpenAI-compatible servers: the trailing assistant message goes as is
    JsonNode c = OpenAiCodec.requestBody("gpt-oss-120b", req(null, ResponseFormat.TEXT, convo), true);
    c.get("messages").forEach(m -> assertThat(m.has("prefix")).isFalse());
  }

  static ProviderSettings openAi(String name, String base, String prefix) {
    return new ProviderSettings(name, OpenAiProvider.KIND, base, prefix, null, null, java.util.Map.of(), null, 0, 0, 0);
  }

  @Test
  void deepSeekPrefixCompletionUrl() {
    // the real API: the beta root replaces /v1 or is appended to the root
    assertThat(DeepSeekProvider.prefixCompletionUrl(openAi("deepseek", "https://api.deepseek.com", "")))
        .isEqualTo("https://api.deepseek.com/beta/chat/completions");
    assertThat(DeepSeekProvider.prefixCompletionUrl(openAi("deepseek", "https://api.deepseek.com/", "")))
        .isEqualTo("https://api.deepseek.com/beta/chat/completions");
    assertThat(DeepSeekProvider.prefixCompletionUrl(openAi("deepseek", "https://api.deepseek.com/v1", "")))
        .isEqualTo("https://api.deepseek.com/beta/chat/completions");
    assertThat(DeepSeekProvider.prefixCompletionUrl(openAi("deepseek", "https://api.deepseek.com", "/v1")))
        .isEqualTo("https://api.deepseek.com/beta/chat/completions");
    assertThat(DeepSeekProvider.prefixCompletionUrl(openAi("deepseek", "https://api.deepseek.com/beta", "")))
        .isEqualTo("https://api.deepseek.com/beta/chat/completions");
    // the emulator: DEEPSEEK_BASE_URL=…/openai/v1 (or …/openai)
    assertThat(DeepSeekProvider.prefixCompletionUrl(openAi("deepseek", "http://127.0.0.1:9099/openai/v1", "")))
        .isEqualTo("http://127.0.0.1:9099/openai/beta/chat/completions");
    assertThat(DeepSeekProvider.prefixCompletionUrl(openAi("deepseek", "http://127.0.0.1:9099/openai", "")))
        .isEqualTo("http://127.0.0.1:9099/openai/beta/chat/completions");
    // which providers are DeepSeek: by name, or by a deepseek.com host
    assertThat(DeepSeekProvider.isDeepSeek(openAi("DeepSeek", "http://127.0.0.1:9099/openai/v1", ""))).isTrue();
    assertThat(DeepSeekProvider.isDeepSeek(openAi("ds-eu", "https://api.deepseek.com", ""))).isTrue();
    assertThat(DeepSeekProvider.isDeepSeek(openAi("cerebras", "https://api.cerebras.ai", "/v1"))).isFalse();
    assertThat(DeepSeekProvider.isDeepSeek(openAi("proxy", "https://notdeepseek.com", ""))).isFalse();
  }
}
