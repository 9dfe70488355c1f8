package dev.salesagent.store.crm;

import dev.salesagent.agent.crm.CrmPushLog;
import dev.salesagent.agent.crm.PushOutcome;
import dev.salesagent.store.Database;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * {@link CrmPushLog} on {@code crm_pushes} (V10). Update-then-insert in one transaction (SQL that H2 and PostgreSQL both
 * accept); a row's note id is kept when a later push brought none back. Blocking.
 */
public final class JdbiCrmPushLog implements CrmPushLog {
  private static final int MAX_ERROR = 4000;
  private final Jdbi jdbi;

  public JdbiCrmPushLog(Database db) {
    this.jdbi = db.jdbi();
  }

  @Override
  public Map<String, Entry> forRun(String runId) {
    return jdbi.withHandle(h -> {
      Map<String, Entry> out = new LinkedHashMap<>();
      h.createQuery("SELECT run_id, email, contact_id, note_id, pushed_at, outcome, error FROM crm_pushes WHERE run_id = :run ORDER BY email")
          .bind("run", runId)
          .map((rs, ctx) -> new Entry(rs.getString("run_id"), rs.getString("email"), rs.getString("contact_id"),
              rs.getString("note_id"), rs.getObject("pushed_at", OffsetDateTime.class).toInstant(),
              PushOutcome.Status.valueOf(rs.getString("outcome").toUpperCase(Locale.ROOT)), rs.getString("error")))
          .forEach(e -> out.put(e.email(), e));
      return out;
    });
  }

  @Override
  public void record(String runId, List<PushOutcome> outcomes, Instant pushedAt) {
    OffsetDateTime at = OffsetDateTime.ofInstant(pushedAt, ZoneOffset.UTC);
    jdbi.useTransaction(h -> {
      for (PushOutcome o : outcomes) {
        String email = o.email().toLowerCase(Locale.ROOT);
        String error = o.error() == null || o.error().length() <= MAX_ERROR ? o.error() : o.error().substring(0, MAX_ERROR);
        int n = h.createUpdate("UPDATE crm_pushes SET contact_id = COALESCE(:contact, contact_id), "
                + "note_id = COALESCE(:note, note_id), pushed_at = :at, outcome = :outcome, error = :error "
                + "WHERE run_id = :run AND email = :email")
            .bind("contact", o.contactId()).bind("note", o.noteId()).bind("at", at).bind("outcome", o.wire())
            .bind("error", error).bind("run", runId).bind("email", email).execute();
        if (n == 0) {
          h.createUpdate("INSERT INTO crm_pushes (run_id, email, contact_id, note_id, pushed_at, outcome, error) "
                  + "VALUES (:run, :email, :contact, :note, :at, :outcome, :error)")
              .bind("run", runId).bind("email", email).bind("contact", o.contactId()).bind("note", o.noteId())
              .bind("at", at).bind("outcome", o.wire()).bind("error", error).execute();
        }
      }
    });
  }
}
