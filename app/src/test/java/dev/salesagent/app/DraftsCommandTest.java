package dev.salesagent.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.salesagent.app.gateway.AssembledGatewayHarness;
import dev.salesagent.router.wire.WireJson;
import dev.salesagent.server.GatewayHarness;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code drafts list|show|approve|reject|edit} against the database a running gateway holds (the CLI shares it): the
 * same rules and records as the HTTP API, the operator recorded as the decider, exit codes 0 and 2, no stack trace.
 */
class DraftsCommandTest {
  static AssembledGatewayHarness h;
  static String draft;

  @BeforeAll
  static void up() {
    h = new AssembledGatewayHarness();
    String lead = WireJson.parse(h.post("/v1/leads", GatewayHarness.ADMIN_KEY, "{\"first_name\":\"Lee\",\"email\":"
        + "\"lee@cli-review.example\",\"company\":\"Acme\",\"job_title\":\"Head of Sales\",\"notes\":\"We have 12 reps and "
        + "budget approved for a new tool this quarter.\"}").body()).get("id").asText();
    for (String step : List.of("qualify", "research", "outreach")) {
      assertThat(h.post("/v1/leads/" + lead + "/" + step, GatewayHarness.ADMIN_KEY, "").statusCode()).isEqualTo(200);
    }
    draft = "api." + lead;
  }

  @AfterAll
  static void down() {
    h.close();
  }

  record Run(int exit, String out, String err) {
    JsonNode json() {
      return WireJson.parse(out.strip().lines().reduce((a, b) -> b).orElseThrow());
    }
  }

  static synchronized Run cli(String... args) {
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
      return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  @Test
  void theOperatorReviewsADraftFromTheCommandLineWhileTheGatewayRuns() {
    Run list = cli("drafts", "list", "--status", "pending");
    assertThat(list.exit()).as(list.err()).isZero();
    assertThat(list.out()).contains("\"id\":\"" + draft + "\"").contains("\"status\":\"pending\"");

    Run unknown = cli("drafts", "show", "api.L-0000000000000000");
    assertThat(unknown.exit()).isEqualTo(Main.EXIT_USAGE);
    assertThat(unknown.err()).contains("no draft api.L-0000000000000000").doesNotContain("Exception").doesNotContainPattern("\\n\\s+at [a-z]");
    assertThat(cli("drafts", "show", "not-an-id").exit()).isEqualTo(Main.EXIT_USAGE);

    Run bad = cli("drafts", "edit", draft, "--subject", "A 300% lift", "--body", "Teams see a 300% lift in a week.");
    assertThat(bad.exit()).isEqualTo(Main.EXIT_USAGE);
    assertThat(bad.err()).contains("grounding rules").contains("300");

    Run edited = cli("drafts", "edit", draft, "--subject", "Twelve reps, one tool", "--body", "You said you have 12 reps.");
    assertThat(edited.exit()).as(edited.err()).isZero();
    assertThat(edited.json().get("status").asText()).isEqualTo("pending");
    assertThat(edited.json().get("subject").asText()).isEqualTo("Twelve reps, one tool");

    Run approved = cli("drafts", "approve", draft);
    assertThat(approved.exit()).as(approved.err()).isZero();
    JsonNode a = approved.json();
    assertThat(a.get("status").asText()).isEqualTo("approved");
    assertThat(a.get("review").get("by").get("key_id").isNull()).isTrue();
    assertThat(a.get("review").get("by").get("admin").asBoolean()).isTrue();
    assertThat(cli("drafts", "approve", draft).exit()).isEqualTo(Main.EXIT_USAGE);
    // the gateway's export sees the CLI's decision
    assertThat(h.get("/v1/leads/export", GatewayHarness.ADMIN_KEY).body()).contains("Twelve reps, one tool").contains(",approved");

    assertThat(cli("drafts", "reject", draft).exit()).isEqualTo(Main.EXIT_USAGE); // --reason is required
    Run rejected = cli("drafts", "reject", draft, "--reason", "wrong person");
    assertThat(rejected.exit()).as(rejected.err()).isZero();
    JsonNode r = rejected.json();
    assertThat(r.get("status").asText()).isEqualTo("rejected");
    assertThat(r.get("decisions")).hasSize(3);
    assertThat(r.get("decisions").get(2).get("reason").asText()).isEqualTo("wrong person");
    assertThat(cli("drafts", "list", "--status", "rejected").out()).contains(draft);
  }
}
