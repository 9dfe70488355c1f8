package dev.salesagent.app.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.salesagent.router.wire.WireJson;
import dev.salesagent.server.GatewayHarness;
import dev.salesagent.server.GatewayOptions;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Nothing internal leaves in a response: input the database cannot hold is a 400 naming the limit (not a 500 with SQL),
 * malformed or non-UTF-8 CSV is a 400 naming the problem (not the parser's text), bad lead JSON names the field (not
 * Jackson's class names), and a password inside a provider's base URL is never shown, not even to an admin.
 */
class DisclosureTest {
  static AssembledGatewayHarness h;
  static final String K = GatewayHarness.ADMIN_KEY;
  static final String SECRET = "hunter2-url-password";
  static final List<String> INTERNALS = List.of("Exception", "SQL", "jdbc", "org.h2", "\tat ", "dev.salesagent.", "java.",
      "com.fasterxml", "encapsulated", "DECIMAL", "Source:");

  @BeforeAll
  static void up() {
    h = new AssembledGatewayHarness("""
        providers:
          vault:
            kind: openai-compatible
            base_url: http://svc-user:%s@127.0.0.1:9/v1?api_key=qs-%s
            models:
              vault-1: {context_window: 8000, input_usd_per_mtok: 1, output_usd_per_mtok: 2}
        """.formatted(SECRET, SECRET), GatewayOptions.defaults().withPort(0).withEventLoops(2));
  }

  @AfterAll
  static void down() {
    h.close();
  }

  static JsonNode error(HttpResponse<String> r) {
    for (String s : INTERNALS) assertThat(r.body()).as("discloses '" + s + "'").doesNotContain(s);
    return WireJson.parse(r.body()).get("error");
  }

  @Test
  void keyInputTheDatabaseCannotHoldIsA400NamingTheLimit() {
    HttpResponse<String> r = h.post("/v1/admin/keys", K, "{\"name\":\"big\",\"budget_usd\":1e9}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(error(r).get("param").asText()).isEqualTo("budget_usd");
    assertThat(error(r).get("message").asText()).contains("100000000");
    r = h.post("/v1/admin/keys", K, "{\"name\":\"fast\",\"rpm\":100000000000000}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(error(r).get("message").asText()).contains("1000000");
    r = h.post("/v1/admin/keys", K, "{\"name\":\"" + "n".repeat(201) + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(error(r).get("message").asText()).contains("200 characters");
    // at the limit it is stored
    assertThat(h.post("/v1/admin/keys", K, "{\"name\":\"max\",\"budget_usd\":100000000}").statusCode()).isEqualTo(201);
  }

  @Test
  void malformedAndNonUtf8CsvAreA400NamingTheProblem() {
    HttpResponse<String> r = csv("Email,Notes\na@x.com,\"never closed\nb@x.com,more\n".getBytes(StandardCharsets.UTF_8));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(error(r).get("message").asText()).contains("line 2").contains("never closed");
    byte[] latin1 = "Email,Notes\nlatin@x.com,caf\u00e9 cr\u00e8me\n".getBytes(StandardCharsets.ISO_8859_1);
    r = csv(latin1);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(error(r).get("message").asText()).contains("not UTF-8");
    assertThat(h.get("/v1/leads?limit=1000", K).body()).doesNotContain("latin@x.com").doesNotContain("b@x.com");
    // the same file in UTF-8 is imported
    r = csv("Email,Notes\nlatin@x.com,caf\u00e9 cr\u00e8me\n".getBytes(StandardCharsets.UTF_8));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  static HttpResponse<String> csv(byte[] body) {
    return h.send(HttpRequest.newBuilder(URI.create(h.baseUrl() + "/v1/leads/import")).header("authorization", "Bearer " + K)
        .header("content-type", "text/csv").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
  }

  @Test
  void badLeadJsonNamesTheFieldNotTheJavaClass() {
    HttpResponse<String> r = h.post("/v1/leads", K, "{\"email\":\"a@x.com\",\"employees\":\"many\"}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(error(r).get("message").asText()).contains("employees").contains("'many'")
        .doesNotContain("dev.salesagent").doesNotContain("Exception");
    r = h.post("/v1/leads", K, "{\"email\":\"a@x.com\",\"favourite_colour\":\"red\"}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(error(r).get("message").asText()).contains("unknown field $.favourite_colour");
    r = h.post("/v1/leads", K, "{\"email\":\"a@x.com\",");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(error(r).get("message").asText()).contains("JSON object");
    r = h.post("/v1/leads", K, "{\"email\":\"not-an-address\"}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(error(r).get("message").asText()).contains("is not a valid address");
  }

  @Test
  void aPasswordInAProviderBaseUrlIsNeverShown() {
    HttpResponse<String> r = h.get("/v1/providers", K);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("vault").doesNotContain("svc-user").doesNotContain(SECRET).doesNotContain("qs-");
    JsonNode vault = null;
    for (JsonNode p : WireJson.parse(r.body()).get("data")) if (p.get("name").asText().equals("vault")) vault = p;
    assertThat(vault).isNotNull();
    assertThat(vault.get("base_url").asText()).isEqualTo("http://***@127.0.0.1:9/v1?api_key=***");
  }
}
