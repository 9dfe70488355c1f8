package dev.salesagent.router.error;

import static org.assertj.core.api.Assertions.assertThat;

import dev.salesagent.router.provider.registry.Providers;
import dev.salesagent.router.wire.ErrorMapper;
import dev.salesagent.router.wire.WireJson;
import dev.salesagent.router.wire.WireFailure;
import io.vertx.core.MultiMap;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Pins what every provider error identifier, message and body shape the router knows maps to, for each kind of HTTP
 * status and inside a stream: the golden file was written by the mapper as it was before provider knowledge moved into
 * the provider folders (commit 40abda1), so this test proves the move changed no mapping (kind, provider error type, message, status,
 * Retry-After, rate-limit headers, context-length flag). Regenerate only for an intended change:
 * {@code -Dgolden.write=true}.
 */
class ErrorMappingGoldenTest {
  static final String GOLDEN = "errors/error-mapping.golden.gz";
  static final ErrorMapper ERRORS = new ErrorMapper(Providers.BUILT_IN.errors());
  static final Instant NOW = Instant.parse("2026-11-23T14:02:11Z");

  /** Every identifier the mapper knew, a few it did not, in upper case too. */
  static final List<String> IDS = List.of(
      "content_policy_violation", "content_filter", "content_filtered", "moderation_error",
      "context_length_exceeded", "context_window_exceeded", "string_above_max_length",
      "overloaded_error", "overloaded", "queue_exceeded", "server_is_overloaded", "slow_down", "service_unavailable",
      "insufficient_quota", "enforced_spend_limit_reached", "insufficient_balance",
      "rate_limit_error", "rate_limit_exceeded", "tokens", "requests", "too_many_tokens_error", "too_many_requests_error",
      "token_quota_exceeded", "request_quota_exceeded", "rate_limited",
      "authentication_error", "permission_error", "billing_error", "invalid_api_key", "permission_denied", "unauthorized",
      "not_found_error", "model_not_found", "not_found",
      "invalid_request_error", "request_too_large", "bad_request",
      "api_error", "server_error", "timeout_error", "conflict_error", "unknown_error", "Overloaded_Error", "QUEUE_EXCEEDED");

  /** Message fragments the mapper looked for, and a few near misses. */
  static final List<String> MESSAGES = List.of(
      "Output blocked by content filtering policy", "request blocked by safety policy",
      "The response was filtered due to the prompt triggering Azure OpenAI's content management policy",
      "content_policy_violation detected", "prompt is too long: 210000 tokens > 200000 maximum",
      "exceeded max context length by 12 tokens", "This model's maximum context length is 8192 tokens",
      "context_length too big", "input exceeds the context window", "too many tokens in the prompt",
      "server busy, please try again.  maximum pending requests exceeded", "Overloaded", "We're experiencing high traffic right now!",
      "model \"llama3.1\" not found, try pulling it first", "model 'x' not found", "file not found", "something failed");

  static final int[] STATUSES = {400, 401, 402, 404, 408, 413, 418, 429, 500, 502, 503, 529};

  static List<String> bodies() {
    List<String> b = new ArrayList<>();
    for (String id : IDS) {
      b.add("{\"error\":{\"message\":\"m\",\"type\":\"" + id + "\",\"param\":null,\"code\":null}}");
      b.add("{\"error\":{\"message\":\"m\",\"type\":\"invalid_request_error\",\"code\":\"" + id + "\"}}");
      b.add("{\"type\":\"error\",\"error\":{\"type\":\"" + id + "\",\"message\":\"m\"},\"request_id\":\"req_1\"}");
      b.add("{\"message\":\"m\",\"type\":\"" + id + "\",\"param\":\"quota\",\"code\":\"x\"}");
      b.add("{\"error\":\"" + id + "\"}");
    }
    for (String m : MESSAGES) {
      String q = m.replace("\"", "\\\"");
      b.add("{\"error\":{\"message\":\"" + q + "\",\"type\":\"server_error\"}}");
      b.add("{\"error\":{\"message\":\"" + q + "\",\"type\":\"invalid_request_error\"}}");
      b.add("{\"message\":\"" + q + "\",\"type\":\"x_error\",\"param\":null,\"code\":null}");
      b.add("{\"error\":\"" + q + "\"}");
    }
    b.add("{\"message\":\"We're experiencing high traffic right now! Please try again soon.\",\"type\":\"too_many_requests_error\",\"param\":\"queue\",\"code\":\"queue_exceeded\"}");
    b.add("{\"message\":\"busy\",\"type\":\"too_many_requests_error\",\"param\":\"queue\",\"code\":\"x\"}");
    b.add("{\"message\":\"busy\",\"type\":\"too_many_requests_error\",\"param\":\"QUEUE\"}");
    b.add("{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"cap\",\"details\":{\"error_code\":\"enforced_spend_limit_reached\"}}}");
    b.add("{\"message\":\"cap\",\"type\":\"rate_limit_error\",\"details\":{\"error_code\":\"enforced_spend_limit_reached\"}}");
    b.add("{\"error\":{\"message\":\"n\",\"type\":\"x\",\"code\":42}}");
    b.add("{\"error\":{\"message\":{\"nested\":true},\"type\":[1],\"code\":null}}");
    b.add("{\"error\":null,\"message\":\"flat with null error\",\"type\":\"overloaded\"}");
    b.add("{\"error\":{}}");
    b.add("{}");
    b.add("[]");
    b.add("{not json");
    b.add("<html><body>502 Bad Gateway</body></html>");
    b.add("plain text error");
    b.add("");
    b.add("   ");
    b.add("{\"error\":{\"message\":\"" + "x".repeat(700) + "\",\"type\":\"server_error\"}}");
    b.add("y".repeat(650));
    b.add("{\"error\":{\"message\":\"Incorrect API key provided: sk-abcdef1234567890\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}");
    b.add("{\"error\":{\"message\":\"Insufficient Balance\",\"type\":\"unknown_error\",\"param\":null,\"code\":\"invalid_request_error\"}}");
    return b;
  }

  static String line(String input, WireFailure f) {
    return input.replace("\n", "\\n") + " => " + f.kind().wire() + " | " + f.providerErrorType() + " | " + f.message() + " | "
        + f.httpStatus() + " | " + f.retryAfter() + " | " + new TreeMap<>(f.rateLimitHeaders()) + " | " + f.contextLengthExceeded();
  }

  static List<String> observed() {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Retry-After", "7").add("x-ratelimit-remaining-tokens", "0")
        .add("anthropic-ratelimit-requests-remaining", "3").add("content-type", "application/json");
    List<String> out = new ArrayList<>();
    for (String body : bodies()) {
      for (int status : STATUSES) {
        out.add(line(status + " " + body, ERRORS.fromHttp(status, status == 429 ? headers : null, body, NOW)));
      }
      var n = WireJson.parse(body);
      if (n != null) out.add(line("payload " + body, ERRORS.fromPayload(n)));
    }
    return out;
  }

  @Test
  void everyKnownErrorMapsAsBeforeTheMove() throws IOException {
    List<String> now = observed();
    byte[] text = (String.join("\n", now) + "\n").getBytes(StandardCharsets.UTF_8);
    if (Boolean.getBoolean("golden.write")) {
      Path p = Path.of("src/test/resources", GOLDEN);
      Files.createDirectories(p.getParent());
      try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
        out.write(text);
      }
    }
    Files.createDirectories(Path.of("target"));
    Files.write(Path.of("target/error-mapping.observed"), text); // to diff against the gunzipped golden file
    List<String> golden;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(GOLDEN)) {
      assertThat(in).as(GOLDEN).isNotNull();
      golden = new String(new GZIPInputStream(in).readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
    assertThat(now).hasSize(golden.size());
    for (int i = 0; i < now.size(); i++) assertThat(now.get(i)).as("line " + (i + 1)).isEqualTo(golden.get(i));
  }
}
