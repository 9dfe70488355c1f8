package dev.salesagent.router.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.salesagent.router.provider.FixtureSupport;
import dev.salesagent.router.wire.ChatAccumulator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The token reader of plain answers against the tree reading it stands in for: on every body it accepts, both must
 * give the same answer; everything else it must hand back.
 */
class OpenAiAnswerReaderTest {

  private static ChatAccumulator tree(String body) {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    return OpenAiCodec.parseTree(b, 0, b.length, FixtureSupport.ERRORS);
  }

  private static ChatAccumulator fast(String body) {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    return OpenAiAnswerReader.read(b, 0, b.length);
  }

  /** What a caller can observe of an accumulator. */
  private static String observable(ChatAccumulator a) {
    return a.failure() != null ? "failed " + a.failure()
        : a.toResponse("p", "fallback", 0, null) + " usageSeen=" + a.usageSeen() + " native=" + a.nativeFinish();
  }

  private static void sameAsTree(String body) {
    ChatAccumulator f = fast(body);
    if (f != null) assertThat(observable(f)).as(body).isEqualTo(observable(tree(body)));
  }

  @Test
  void readsPlainAnswersLikeTheTree() {
    String[] plain = {
        "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,"
            + "\"message\":{\"role\":\"assistant\",\"content\":\"Hello there\",\"refusal\":null},\"logprobs\":null,"
            + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":3,\"total_tokens\":15,"
            + "\"prompt_tokens_details\":{\"cached_tokens\":4,\"audio_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":0}},"
            + "\"system_fingerprint\":\"fp\"}",
        "{\"choices\":[{\"message\":{\"content\":\"x\",\"reasoning_content\":\"why\"},\"finish_reason\":\"length\"}],"
            + "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2,\"prompt_cache_hit_tokens\":1},\"model\":\"deepseek-chat\",\"id\":\"a\"}",
        "{\"id\":\"b\",\"choices\":[{\"message\":{\"content\":null,\"tool_calls\":[]},\"finish_reason\":\"insufficient_system_resource\"}]}",
        "{\"choices\":[{\"message\":null}],\"usage\":null}",
        "{\"choices\":[{\"message\":{\"content\":\"first\"}},{\"message\":{\"content\":\"second\"}}],\"usage\":{\"prompt_tokens\":3}} trailing",
        "{\"id\":\"c\",\"id\":\"d\",\"choices\":[{\"message\":{\"content\":\"é ✓ 😀\",\"content\":\"last wins\",\"reasoning\":\"r\"},"
            + "\"finish_reason\":7}],\"usage\":{\"prompt_tokens\":null,\"completion_tokens\":5,\"prompt_tokens_details\":null}}",
    };
    for (String body : plain) {
      assertThat(fast(body)).as("fast path takes %s", body).isNotNull();
      sameAsTree(body);
    }
    assertThat(fast(plain[0]).usage().cachedInputTokens()).isEqualTo(4);
    assertThat(fast(plain[0]).text()).isEqualTo("Hello there");
  }

  @Test
  void handsBackEverythingThatIsNotAPlainAnswer() {
    String[] other = {
        "{\"error\":{\"message\":\"Rate limit\",\"type\":\"rate_limit_error\"}}",
        "{\"message\":\"Too many requests\",\"type\":\"too_many_requests_error\",\"code\":\"queue_exceeded\"}",
        "{\"choices\":[]}",
        "{\"id\":\"x\"}",
        "[1,2]",
        "{\"choices\":[{\"message\":{\"tool_calls\":[{\"id\":\"t\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}}]}",
        "{\"choices\":[{\"message\":\"not an object\"}]}",
        "{\"choices\":[7]}",
        "{\"choices\":{}}",
        "{\"choices\":[{\"message\":{\"content\":\"x\"}}],\"usage\":{\"prompt_tokens\":1.5}}",
        "{\"choices\":[{\"message\":{\"content\":\"x\"}}],\"usage\":{\"prompt_tokens\":99999999999}}",
        "{\"choices\":[{\"message\":{\"content\":\"x\"}}],\"usage\":{\"prompt_tokens\":\"12\"}}",
        "{\"choices\":[{\"message\":{\"content\":\"x\"}}]",
        "{\"choices\":[{\"message\":{\"content\":\"x\"}}], oops}",
        "not json",
    };
    for (String body : other) {
      assertThat(fast(body)).as("handed back: %s", body).isNull();
      assertThat(observable(OpenAiCodec.parseResponse(body.getBytes(StandardCharsets.UTF_8), 0, body.length(), FixtureSupport.ERRORS)))
          .isEqualTo(observable(tree(body)));
    }
  }

  @Test
  void fixturesReadTheSameEitherWay() throws Exception {
    for (Path dir : List.of(FixtureSupport.sharedDir(), FixtureSupport.localDir())) {
      try (Stream<Path> files = Files.list(dir)) {
        for (Path f : files.filter(p -> p.getFileName().toString().matches("(openai|cerebras|deepseek)\\.chat\\..*\\.json")).toList()) {
          String body = Files.readString(f).strip();
          sameAsTree(body);
        }
      }
    }
  }

  /** Random answers built from the parts real ones have, in any order, with odd types and cuts thrown in. */
  @Test
  void randomBodiesNeverDisagreeWithTheTree() {
    SplittableRandom r = new SplittableRandom(7);
    int taken = 0;
    for (int i = 0; i < 20_000; i++) {
      String body = randomBody(r);
      if (r.nextInt(10) == 0) body = body.substring(0, r.nextInt(body.length() + 1)); // cut short
      if (fast(body) != null) taken++;
      sameAsTree(body);
    }
    assertThat(taken).as("the fast path took a fair share").isGreaterThan(5_000);
  }

  private static final String[] VALUES = {"null", "1", "-3", "2.5", "\"s\"", "[]", "{}", "[1,{\"a\":[]}]", "true", "4000000000"};

  private static String any(SplittableRandom r) {
    return VALUES[r.nextInt(VALUES.length)];
  }

  private static String object(SplittableRandom r, List<String> fields) {
    List<String> f = new ArrayList<>(fields);
    if (r.nextInt(4) == 0) f.add("\"extra\":" + any(r));
    Collections.shuffle(f, new java.util.Random(r.nextLong()));
    return "{" + String.join(",", f) + "}";
  }

  private static String num(SplittableRandom r) {
    return r.nextInt(8) == 0 ? any(r) : Integer.toString(r.nextInt(5000));
  }

  private static String str(SplittableRandom r, String s) {
    return r.nextInt(10) == 0 ? any(r) : "\"" + s + "\"";
  }

  private static String randomBody(SplittableRandom r) {
    List<String> msg = new ArrayList<>();
    if (r.nextInt(10) > 0) msg.add("\"content\":" + str(r, "hello \\\"world\\\" \\u00e9"));
    if (r.nextInt(4) == 0) msg.add("\"reasoning_content\":" + str(r, "think"));
    if (r.nextInt(6) == 0) msg.add("\"reasoning\":" + str(r, "more"));
    if (r.nextInt(6) == 0) msg.add("\"tool_calls\":" + (r.nextBoolean() ? "[]" : "null"));
    if (r.nextInt(3) == 0) msg.add("\"role\":\"assistant\"");
    List<String> choice = new ArrayList<>();
    if (r.nextInt(12) > 0) choice.add("\"message\":" + (r.nextInt(15) == 0 ? any(r) : object(r, msg)));
    if (r.nextInt(5) > 0) choice.add("\"finish_reason\":" + str(r, new String[] {"stop", "length", "tool_calls", "content_filter", "insufficient_system_resource"}[r.nextInt(5)]));
    choice.add("\"index\":0");
    List<String> usage = new ArrayList<>();
    if (r.nextInt(6) > 0) usage.add("\"prompt_tokens\":" + num(r));
    if (r.nextInt(6) > 0) usage.add("\"completion_tokens\":" + num(r));
    if (r.nextInt(3) == 0) usage.add("\"prompt_tokens_details\":" + (r.nextInt(5) == 0 ? any(r) : "{\"cached_tokens\":" + num(r) + "}"));
    if (r.nextInt(5) == 0) usage.add("\"prompt_cache_hit_tokens\":" + num(r));
    List<String> root = new ArrayList<>();
    if (r.nextInt(8) > 0) root.add("\"id\":" + str(r, "chatcmpl-x"));
    if (r.nextInt(8) > 0) root.add("\"model\":" + str(r, "m"));
    if (r.nextInt(20) > 0) {
      String c = r.nextInt(15) == 0 ? any(r) : object(r, choice);
      root.add("\"choices\":" + (r.nextInt(20) == 0 ? "[]" : r.nextInt(6) == 0 ? "[" + c + "," + c + "]" : "[" + c + "]"));
    }
    if (r.nextInt(4) > 0) root.add("\"usage\":" + (r.nextInt(10) == 0 ? any(r) : object(r, usage)));
    if (r.nextInt(30) == 0) root.add("\"error\":" + (r.nextBoolean() ? "null" : "{\"message\":\"m\",\"type\":\"t\"}"));
    if (r.nextInt(30) == 0) root.add("\"id\":\"dup\"");
    return object(r, root);
  }
}
