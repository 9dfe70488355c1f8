package dev.salesagent.agent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.salesagent.agent.lead.Lead;
import dev.salesagent.agent.memory.InMemoryStore;
import dev.salesagent.agent.qualify.ScoringConfig;
import dev.salesagent.agent.testing.FakeRouter;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import org.apache.commons.csv.CSVFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reported case: a lead whose notes say "Please remove me from your mailing list" came out warm with a drafted
 * email quoting that sentence. A model that scores it warm (quoting the sentence as evidence) must not matter.
 */
class OptOutRunTest {
  final Vertx vertx = Vertx.vertx();
  @TempDir Path dir;

  @AfterEach
  void tearDown() {
    vertx.close();
  }

  /** A model that finds every lead a strong, warm fit, quoting the first sentence of the notes for everything. */
  static String eagerModel(String notesSentence) {
    String q = "\"" + notesSentence + "\"";
    return "{\"budget\":{\"score\":15,\"evidence\":" + q + "},\"authority\":{\"score\":15,\"evidence\":" + q + "},"
        + "\"need\":{\"score\":15,\"evidence\":" + q + "},\"timeline\":{\"score\":15,\"evidence\":" + q + "},"
        + "\"icp_fit\":\"strong\",\"icp_evidence\":" + q + ",\"reasons\":[\"clear need\"],\"disqualifiers\":[]}";
  }

  @Test
  void anOptOutIsDisqualifiedWithItsQuoteAndNeverSentToAModelNorDrafted() throws Exception {
    Path csv = dir.resolve("leads.csv");
    Files.writeString(csv, """
        First Name,Last Name,Email,Company,Job Title,Notes
        Tom,Baker,tom.baker@acme-logistics.com,Acme Logistics,VP Sales,Please remove me from your mailing list.
        Ana,Ruiz,ana.ruiz@orbit.io,Orbit,Head of Sales,We need faster lead routing.
        Jörg,Weber,joerg.weber@nordwerk.de,Nordwerk,COO,Bitte tragen Sie mich aus Ihrem Verteiler aus.
        """);
    InMemoryStore store = new InMemoryStore();
    FakeRouter router = new FakeRouter(vertx, store, 0).script(r -> {
      if (!r.task().equals("qualification")) return null;
      String last = r.chat().messages().get(r.chat().messages().size() - 1).content();
      String notes = last.substring(last.indexOf("Notes: ") + 7).strip();
      return eagerModel(notes);
    });
    var out = new RunService(vertx, router, ScoringConfig.defaults(), store, store, store, Clock.systemUTC())
        .execute(new RunService.Options(csv, dir.resolve("out"), 2, EnumSet.of(Step.QUALIFY, Step.RESEARCH, Step.OUTREACH), false),
            p -> {}, new RunService.Hooks() {});

    String tom = Lead.idFor("tom.baker@acme-logistics.com");
    String joerg = Lead.idFor("joerg.weber@nordwerk.de");
    // no request about an opted-out lead reached the router
    assertThat(router.requests).noneMatch(r -> r.requestId().contains(tom) || r.requestId().contains(joerg));
    var steps = store.steps(out.run().id());
    assertThat(steps.get(StepRecord.key(tom, Step.RESEARCH)).status()).isEqualTo(StepStatus.SKIPPED);
    assertThat(steps.get(StepRecord.key(tom, Step.OUTREACH)).status()).isEqualTo(StepStatus.SKIPPED);
    assertThat(steps.get(StepRecord.key(tom, Step.QUALIFY)).costUsd()).isZero();

    var rows = CSVFormat.RFC4180.builder().setHeader().get().parse(Files.newBufferedReader(out.resultsCsv())).getRecords();
    var tomRow = rows.stream().filter(r -> r.get("Email").startsWith("tom")).findFirst().orElseThrow();
    assertThat(tomRow.get("Lead Tier")).isEqualTo("Disqualified");
    assertThat(tomRow.get("Tier Reason")).isEqualTo("disqualified (opted out): \"Please remove me from your mailing list.\"");
    assertThat(tomRow.get("Outreach Body")).isEmpty();
    assertThat(tomRow.get("ICP Fit")).isEmpty(); // never assessed
    var joergRow = rows.stream().filter(r -> r.get("Email").startsWith("joerg")).findFirst().orElseThrow();
    assertThat(joergRow.get("Lead Tier")).isEqualTo("Disqualified");
    assertThat(joergRow.get("Qualification Reasons")).contains("Bitte tragen Sie mich aus Ihrem Verteiler aus.");
    // the same model makes the other lead hot, and it is drafted
    var ana = rows.stream().filter(r -> r.get("Email").startsWith("ana")).findFirst().orElseThrow();
    assertThat(ana.get("Lead Tier")).isEqualTo("Warm");
    assertThat(ana.get("Tier Reason")).isEqualTo("score 60 ≥ warm 40 (hot ≥ 70)");
    assertThat(ana.get("ICP Fit")).isEqualTo("strong");
    assertThat(ana.get("Outreach Body")).isNotEmpty();
  }
}
