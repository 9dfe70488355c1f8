package dev.salesagent.router.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.salesagent.router.model.ChatRequest;
import dev.salesagent.router.model.Message;
import dev.salesagent.router.model.ResponseFormat;
import dev.salesagent.router.model.Role;
import dev.salesagent.router.model.ToolSpec;
import dev.salesagent.router.provider.deepseek.DeepSeekBody;
import dev.salesagent.router.wire.WireJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The body written straight to bytes is the tree's body, byte for byte, whatever the request holds. */
class OpenAiRequestBytesTest {

  /** What was sent before: the tree, serialised to UTF-8 bytes. */
  private static String viaTree(String model, ChatRequest r, boolean stream, boolean noThinking, boolean prefix) {
    return WireJson.toBuffer(OpenAiCodec.requestBody(model, r, stream, DeepSeekBody.of(noThinking, prefix))).toString(StandardCharsets.UTF_8);
  }

  private static String direct(String model, ChatRequest r, boolean stream, boolean noThinking, boolean prefix) {
    return new String(OpenAiCodec.requestBytes(model, r, stream, DeepSeekBody.of(noThinking, prefix)), StandardCharsets.UTF_8);
  }

  @Test
  void theBenchmarksRequestIsWrittenAsTheTreeWritesIt() {
    ChatRequest r = new ChatRequest(List.of(Message.system("You are concise."), Message.user("Explain a gateway — briefly ✓")),
        128, 0.2, List.of(), ResponseFormat.TEXT, List.of());
    String body = direct("gpt-4o-mini", r, false, false, false);
    assertThat(body).isEqualTo(viaTree("gpt-4o-mini", r, false, false, false))
        .startsWith("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"system\",\"content\":\"You are concise.\"}")
        .endsWith("\"max_tokens\":128,\"temperature\":0.2,\"stream\":false}");
  }

  /** Roles a plain-text message can have (a tool message holds results); structured messages: TranscriptRequestTest. */
  private static final Role[] PLAIN_ROLES = {Role.SYSTEM, Role.USER, Role.ASSISTANT};

  @Test
  void randomRequestsAreWrittenAsTheTreeWritesThem() {
    SplittableRandom rnd = new SplittableRandom(11);
    String[] texts = {"hi", "", "quote \" backslash \\ newline \n tab \t", "é ✓ 😀", "\u0001 control", "</script>"};
    double[] temps = {0, 0.2, 1, 1.5, 0.1 + 0.2, 1e-7};
    for (int i = 0; i < 5_000; i++) {
      List<Message> msgs = new ArrayList<>();
      int n = 1 + rnd.nextInt(5);
      for (int k = 0; k < n; k++) {
        Role role = PLAIN_ROLES[rnd.nextInt(PLAIN_ROLES.length)];
        msgs.add(new Message(role, texts[rnd.nextInt(texts.length)]));
      }
      List<String> stop = rnd.nextInt(4) == 0 ? List.of("\n\n", texts[rnd.nextInt(texts.length)]) : List.of();
      ResponseFormat f = switch (rnd.nextInt(3)) {
        case 0 -> ResponseFormat.TEXT;
        case 1 -> new ResponseFormat.JsonObject();
        default -> new ResponseFormat.JsonSchema("lead", schema(rnd), rnd.nextBoolean());
      };
      List<ToolSpec> tools = rnd.nextInt(4) == 0
          ? List.of(new ToolSpec("lookup", rnd.nextBoolean() ? null : "find a company", schema(rnd))) : List.of();
      ChatRequest r = new ChatRequest(msgs, rnd.nextBoolean() ? null : 1 + rnd.nextInt(100_000),
          rnd.nextBoolean() ? null : temps[rnd.nextInt(temps.length)], stop, f, tools);
      boolean stream = rnd.nextBoolean();
      boolean noThinking = rnd.nextBoolean();
      boolean prefix = rnd.nextBoolean();
      String model = rnd.nextInt(20) == 0 ? "deepseek/deepseek-chat ✓" : "gpt-4o-mini";
      assertThat(direct(model, r, stream, noThinking, prefix)).isEqualTo(viaTree(model, r, stream, noThinking, prefix));
    }
  }

  private static ObjectNode schema(SplittableRandom rnd) {
    ObjectNode s = WireJson.object().put("type", "object");
    ObjectNode props = s.putObject("properties");
    props.putObject("name").put("type", "string").put("maxLength", 1 + rnd.nextInt(200));
    props.putObject("score").put("type", "number").put("minimum", 0.5).put("maximum", 1e3);
    s.putArray("required").add("name");
    return s;
  }
}
