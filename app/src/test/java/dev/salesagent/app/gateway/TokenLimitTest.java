package dev.salesagent.app.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.salesagent.app.Main;
import dev.salesagent.router.wire.WireJson;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A key's tokens per minute (tpm), over loopback HTTP against the emulators, set by the admin API and the CLI. */
class TokenLimitTest {
  static AssembledGatewayHarness h;
  static final String CHAT = "{\"model\":\"task:qualification\",\"max_tokens\":40,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  @BeforeAll
  static void up() {
    h = new AssembledGatewayHarness();
  }

  @AfterAll
  static void down() {
    h.close();
  }

  static JsonNode json(HttpResponse<String> r) {
    return WireJson.parse(r.body());
  }

  static JsonNode createKey(String body) {
    HttpResponse<String> r = h.post("/v1/admin/keys", AssembledGatewayHarness.ADMIN_KEY, body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return json(r);
  }

  @Test
  void aKeysTokensPerMinuteAre429WithRetryAfterOnceUsedAndOtherKeysGoOn() {
    int tpm = 400;
    JsonNode created = createKey("{\"name\":\"tokens\",\"tpm\":" + tpm + "}");
    assertThat(created.get("tpm").asInt()).isEqualTo(tpm);
    String key = created.get("key").asText();
    String other = createKey("{\"name\":\"free\"}").get("key").asText();
    long used = 0;
    HttpResponse<String> refused = null;
    for (int i = 0; i < 100 && refused == null; i++) {
      HttpResponse<String> r = h.post("/v1/chat/completions", key, CHAT);
      if (r.statusCode() == 429) {
        refused = r;
      } else {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode u = json(r).get("usage");
        // settled to the reported usage: the window counts what was used, within the limit
        used += u.get("prompt_tokens").asLong() + u.get("completion_tokens").asLong();
        assertThat(used).isLessThanOrEqualTo(tpm);
      }
    }
    assertThat(refused).as("the key's tokens ran out").isNotNull();
    assertThat(used).as("settled below the estimates, so more than tpm / estimate calls fit").isGreaterThan(0);
    assertThat(Long.parseLong(refused.headers().firstValue("retry-after").orElseThrow())).isBetween(1L, 60L);
    assertThat(json(refused).at("/error/type").asText()).isEqualTo("rate_limit_error");
    assertThat(json(refused).at("/error/message").asText()).contains("tokens per minute (tpm)");
    // another key is not touched by this key's window
    assertThat(h.post("/v1/chat/completions", other, CHAT).statusCode()).isEqualTo(200);
  }

  @Test
  void aRequestLargerThanTpmIs429SayingItCanNeverFitWithoutAWait() {
    String key = createKey("{\"name\":\"tiny\",\"tpm\":100}").get("key").asText();
    HttpResponse<String> r = h.post("/v1/chat/completions", key,
        "{\"model\":\"task:qualification\",\"max_tokens\":5000,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(r.headers().firstValue("retry-after")).isEmpty();
    assertThat(json(r).at("/error/message").asText()).contains("can never fit").contains("tpm");
    // the refused request took nothing: a small one still fits
    assertThat(h.post("/v1/chat/completions", key, CHAT).statusCode()).isEqualTo(200);
    // embeddings are checked too: 60 characters of input are about 15 tokens, more than a tpm of 5
    String small = createKey("{\"name\":\"emb\",\"tpm\":5}").get("key").asText();
    HttpResponse<String> emb = h.post("/v1/embeddings", small,
        "{\"model\":\"task:embedding\",\"input\":\"" + "word ".repeat(12) + "\"}");
    assertThat(emb.statusCode()).as(emb.body()).isEqualTo(429);
    assertThat(json(emb).at("/error/message").asText()).contains("can never fit");
  }

  @Test
  void theAdminApiValidatesAndListsTpm() {
    for (String bad : new String[] {"0", "-5", "1.5", "\"many\"", "3000000000"}) {
      HttpResponse<String> r = h.post("/v1/admin/keys", AssembledGatewayHarness.ADMIN_KEY, "{\"name\":\"x\",\"tpm\":" + bad + "}");
      assertThat(r.statusCode()).as(bad).isEqualTo(400);
      assertThat(json(r).at("/error/param").asText()).isEqualTo("tpm");
    }
    String id = createKey("{\"name\":\"listed\",\"tpm\":12345}").get("id").asText();
    String none = createKey("{\"name\":\"unlisted\"}").get("id").asText();
    HttpResponse<String> list = h.get("/v1/admin/keys", AssembledGatewayHarness.ADMIN_KEY);
    assertThat(list.statusCode()).isEqualTo(200);
    boolean seen = false;
    for (JsonNode k : json(list).get("data")) {
      if (k.get("id").asText().equals(id)) {
        assertThat(k.get("tpm").asInt()).isEqualTo(12345);
        seen = true;
      }
      if (k.get("id").asText().equals(none)) assertThat(k.get("tpm").isNull()).isTrue();
    }
    assertThat(seen).isTrue();
  }

  @Test
  void patchSetsAndRemovesTpmAndItTakesEffectAtOnce() {
    JsonNode k = createKey("{\"name\":\"patched\",\"rpm\":100}");
    String id = k.get("id").asText();
    String key = k.get("key").asText();
    HttpResponse<String> set = KeyLimitsTest.patch(id, "{\"tpm\":20}", AssembledGatewayHarness.ADMIN_KEY, h);
    assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
    assertThat(json(set).get("tpm").asInt()).isEqualTo(20);
    assertThat(json(set).get("rpm").asInt()).isEqualTo(100);
    // 40 max_tokens alone exceed 20: refused at once
    assertThat(h.post("/v1/chat/completions", key, CHAT).statusCode()).isEqualTo(429);
    HttpResponse<String> bad = KeyLimitsTest.patch(id, "{\"tpm\":0}", AssembledGatewayHarness.ADMIN_KEY, h);
    assertThat(bad.statusCode()).isEqualTo(400);
    HttpResponse<String> removed = KeyLimitsTest.patch(id, "{\"tpm\":null}", AssembledGatewayHarness.ADMIN_KEY, h);
    assertThat(json(removed).get("tpm").isNull()).isTrue();
    assertThat(h.post("/v1/chat/completions", key, CHAT).statusCode()).isEqualTo(200);
  }

  @Test
  void keysCreateTpmIsStoredAndEnforced() {
    String[] run = cli("keys", "create", "--name", "cli-tokens", "--tpm", "77");
    assertThat(run[0]).as(run[2]).isEqualTo("0");
    JsonNode out = WireJson.parse(run[1].substring(run[1].indexOf('{'), run[1].lastIndexOf('}') + 1));
    assertThat(out.get("tpm").asInt()).isEqualTo(77);
    String[] listed = cli("keys", "list");
    assertThat(listed[1]).contains("\"id\":\"" + out.get("id").asText() + "\"").contains("\"tpm\":77");
    // the gateway reads it from the same database: 40 + prompt fits once at most in 77
    String key = out.get("key").asText();
    HttpResponse<String> big = h.post("/v1/chat/completions", key,
        "{\"model\":\"task:qualification\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(big.statusCode()).isEqualTo(429);
    assertThat(json(big).at("/error/message").asText()).contains("77 tokens per minute");
  }

  static synchronized String[] cli(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      String[] all = new String[args.length + 2];
      System.arraycopy(args, 0, all, 0, args.length);
      all[args.length] = "--db-url";
      all[args.length + 1] = h.dbUrl;
      int code = Main.execute(all);
      return new String[] {Integer.toString(code), o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8)};
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }
}
