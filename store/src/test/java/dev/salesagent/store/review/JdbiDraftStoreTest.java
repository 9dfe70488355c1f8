package dev.salesagent.store.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.salesagent.agent.access.Actor;
import dev.salesagent.agent.lead.Lead;
import dev.salesagent.agent.outreach.OutreachDraft;
import dev.salesagent.agent.outreach.PersonalisationPoint;
import dev.salesagent.agent.pipeline.Step;
import dev.salesagent.agent.pipeline.StepRecord;
import dev.salesagent.agent.pipeline.StepStatus;
import dev.salesagent.agent.review.Decision;
import dev.salesagent.agent.review.Draft;
import dev.salesagent.agent.review.DraftId;
import dev.salesagent.agent.review.DraftStatus;
import dev.salesagent.agent.review.DraftStore;
import dev.salesagent.agent.schema.AgentJson;
import dev.salesagent.store.Database;
import dev.salesagent.store.lead.JdbiLeadRepository;
import dev.salesagent.store.lead.JdbiRunStore;
import dev.salesagent.store.testing.TestDatabases.Kind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The review queue's storage on H2 and PostgreSQL: tenancy, keyset pages, decisions, versions. */
class JdbiDraftStoreTest {
  static final Actor ADMIN = Actor.operator();
  static final Actor ALICE = Actor.client("key_alice");
  static final Actor BOB = Actor.client("key_bob");
  static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  static OutreachDraft draft(String subject) {
    return new OutreachDraft(subject, "You have 40 reps and slow follow-up.",
        List.of(new PersonalisationPoint("40 reps", "40 reps")), "Worth a call?", "Reply STOP to opt out.");
  }

  static StepRecord outreach(String run, String lead, OutreachDraft d, Instant at) {
    return new StepRecord(run, lead, Step.OUTREACH, StepStatus.DONE, AgentJson.write(d), "outreach.v1", "anthropic",
        "claude", 0.002, 1, 100, 0, null, at.minusSeconds(1), at);
  }

  static Decision decision(Decision.Action a, Actor who, String reason) {
    return new Decision(a, Instant.now(), who.keyId(), who.admin(), "s", "b", "s", "b", reason);
  }

  @ParameterizedTest
  @MethodSource("dev.salesagent.store.testing.TestDatabases#all")
  void draftsAreSeenByTheirTenantPagedByKeysetAndDecidedOncePerVersion(Kind kind) {
    try (Database db = Database.open(kind.newUrl("drafts"))) {
      var leads = new JdbiLeadRepository(db);
      var runs = new JdbiRunStore(db);
      var store = new JdbiDraftStore(db);
      List<DraftId> adminIds = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        Lead l = ADMIN.claim(Lead.of("P" + i, "Q", "p" + i + "@x.example", "X", "VP"));
        leads.upsert(null, List.of(l));
        // two drafts share an instant: the tie is broken by run and lead id
        runs.saveStep(outreach("run-1", l.id(), draft("Hello " + i), T0.plusSeconds(Math.min(i, 3))));
        adminIds.add(new DraftId("run-1", l.id()));
      }
      Lead alices = ALICE.claim(Lead.of("A", "L", "a@alice.example", "A", "CEO"));
      leads.upsert(ALICE.owner(), List.of(alices));
      runs.saveStep(outreach("api", alices.id(), draft("For Alice"), T0.plusSeconds(10)));
      DraftId aliceDraft = new DraftId("api", alices.id());

      // tenancy
      assertThat(store.page(ALICE, new DraftStore.DraftQuery(null, null), null, 50)).extracting(Draft::id).containsExactly(aliceDraft);
      assertThat(store.page(BOB, new DraftStore.DraftQuery(null, null), null, 50)).isEmpty();
      assertThat(store.find(BOB, aliceDraft)).isEmpty();
      assertThat(store.find(ADMIN, aliceDraft)).isPresent();

      // keyset pages of 2 over the admin's 6: newest first, no gaps, no repeats
      List<DraftId> seen = new ArrayList<>();
      DraftStore.Cursor cursor = null;
      for (int page = 0; page < 4; page++) {
        List<Draft> rows = store.page(ADMIN, new DraftStore.DraftQuery(null, null), cursor, 2);
        if (rows.isEmpty()) break;
        rows.forEach(d -> seen.add(d.id()));
        cursor = DraftStore.Cursor.after(rows.get(rows.size() - 1));
      }
      assertThat(seen).hasSize(6).doesNotHaveDuplicates().startsWith(aliceDraft);
      assertThat(store.page(ADMIN, new DraftStore.DraftQuery(null, "run-1"), null, 50)).hasSize(5);

      // a decision applies once to the state it was made on
      Draft d = store.find(ADMIN, adminIds.get(0)).orElseThrow();
      assertThat(d.status()).isEqualTo(DraftStatus.PENDING);
      assertThat(store.decide(d, DraftStatus.APPROVED, null, decision(Decision.Action.APPROVE, ADMIN, null))).isTrue();
      assertThat(store.decide(d, DraftStatus.REJECTED, null, decision(Decision.Action.REJECT, ADMIN, "late"))).isFalse();
      Draft approved = store.find(ADMIN, d.id()).orElseThrow();
      assertThat(approved.status()).isEqualTo(DraftStatus.APPROVED);
      assertThat(approved.review().byAdmin()).isTrue();
      assertThat(store.page(ADMIN, new DraftStore.DraftQuery(DraftStatus.APPROVED, null), null, 50)).extracting(Draft::id).containsExactly(d.id());
      assertThat(store.page(ADMIN, new DraftStore.DraftQuery(DraftStatus.PENDING, null), null, 50)).hasSize(5);

      // an edit is stored as the text to send
      Draft a = store.find(ALICE, aliceDraft).orElseThrow();
      assertThat(store.decide(a, DraftStatus.PENDING, AgentJson.write(draft("Edited")), decision(Decision.Action.EDIT, ALICE, null))).isTrue();
      Draft edited = store.find(ALICE, aliceDraft).orElseThrow();
      assertThat(edited.current().subject()).isEqualTo("Edited");
      assertThat(edited.original().subject()).isEqualTo("For Alice");
      assertThat(edited.review().byKeyId()).isEqualTo("key_alice");

      // drafting the same (run, lead) again makes a new version: pending, the old decision kept in the history
      runs.saveStep(outreach("run-1", d.id().leadId(), draft("Hello again"), T0.plusSeconds(60)));
      Draft redrafted = store.find(ADMIN, d.id()).orElseThrow();
      assertThat(redrafted.status()).isEqualTo(DraftStatus.PENDING);
      assertThat(redrafted.current().subject()).isEqualTo("Hello again");
      assertThat(store.decide(approved, DraftStatus.REJECTED, null, decision(Decision.Action.REJECT, ADMIN, "old"))).isFalse();
      assertThat(store.decisions(d.id())).extracting(Decision::action).containsExactly(Decision.Action.APPROVE);
    }
  }
}
