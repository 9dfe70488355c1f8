package dev.salesagent.store.crm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.salesagent.agent.crm.CrmPushLog;
import dev.salesagent.agent.crm.PushOutcome;
import dev.salesagent.agent.crm.PushOutcome.Status;
import dev.salesagent.store.Database;
import dev.salesagent.store.testing.TestDatabases;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class JdbiCrmPushLogTest {

  @ParameterizedTest
  @MethodSource("dev.salesagent.store.testing.TestDatabases#all")
  void aSecondPushUpdatesTheRowAndKeepsTheNoteIdWhenNoneCameBack(TestDatabases.Kind kind) {
    try (Database db = Database.open(kind.newUrl("crm-pushes"))) {
      CrmPushLog log = new JdbiCrmPushLog(db);
      Instant first = Instant.parse("2026-12-01T10:00:00Z");
      log.record("R-1", List.of(
          new PushOutcome("Ana@Example.com", Status.PUSHED, "101", "9001", false, null),
          new PushOutcome("bo@example.com", Status.FAILED, null, null, true, "VALIDATION_ERROR: bad")), first);
      log.record("R-2", List.of(new PushOutcome("ana@example.com", Status.PUSHED, "101", "9002", false, null)), first);

      Map<String, CrmPushLog.Entry> r1 = log.forRun("R-1");
      assertThat(r1).containsOnlyKeys("ana@example.com", "bo@example.com");
      assertThat(r1.get("ana@example.com")).isEqualTo(
          new CrmPushLog.Entry("R-1", "ana@example.com", "101", "9001", first, Status.PUSHED, null));
      assertThat(r1.get("bo@example.com").error()).isEqualTo("VALIDATION_ERROR: bad");

      Instant second = first.plusSeconds(60);
      log.record("R-1", List.of(new PushOutcome("ana@example.com", Status.NOTE_FAILED, "101", null, false, "note: upstream_error")), second);
      CrmPushLog.Entry again = log.forRun("R-1").get("ana@example.com");
      assertThat(again.noteId()).isEqualTo("9001");
      assertThat(again.outcome()).isEqualTo(Status.NOTE_FAILED);
      assertThat(again.pushedAt()).isEqualTo(second);
      assertThat(log.forRun("R-2").get("ana@example.com").noteId()).isEqualTo("9002");
      assertThat(log.forRun("R-3")).isEmpty();
    }
  }
}
