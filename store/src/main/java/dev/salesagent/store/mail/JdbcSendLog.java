package dev.salesagent.store.mail;

import dev.salesagent.agent.send.SendLog;
import dev.salesagent.agent.send.SendRecord;
import dev.salesagent.agent.send.SendStatus;
import dev.salesagent.store.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * {@link SendLog} on {@code email_sends} (V8). Every write is followed by {@link Database#checkpoint} so a record
 * survives a {@code kill -9} of this process the moment {@code record} returns — the at-most-once guarantee rests
 * on that. Blocking.
 */
public final class JdbcSendLog implements SendLog {
  private static final String COLS = "message_id, run_id, lead_id, mailbox, recipient, subject, status, recorded_at, finished_at, error";
  private final Database db;

  public JdbcSendLog(Database db) {
    this.db = db;
  }

  static OffsetDateTime ts(Instant i) {
    return i == null ? null : OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
  }

  static Instant instant(ResultSet rs, String col) throws SQLException {
    OffsetDateTime t = rs.getObject(col, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  @Override
  public boolean record(SendRecord r) {
    boolean fresh = db.jdbi().inTransaction(h -> {
      // A refused (failed) send did not leave: it may be recorded again. Anything else is final.
      var existing = h.createQuery("SELECT status FROM email_sends WHERE message_id = :id OR (run_id = :run AND lead_id = :lead)")
          .bind("id", r.messageId()).bind("run", r.runId()).bind("lead", r.leadId()).mapTo(String.class).list();
      if (!existing.isEmpty() && !(existing.size() == 1 && existing.get(0).equals(SendStatus.FAILED.wire()))) return false;
      if (!existing.isEmpty()) {
        h.createUpdate("DELETE FROM email_sends WHERE message_id = :id OR (run_id = :run AND lead_id = :lead)")
            .bind("id", r.messageId()).bind("run", r.runId()).bind("lead", r.leadId()).execute();
      }
      h.createUpdate("INSERT INTO email_sends (" + COLS + ") VALUES (:id, :run, :lead, :mailbox, :to, :subject, :status, :at, NULL, NULL)")
          .bind("id", r.messageId()).bind("run", r.runId()).bind("lead", r.leadId()).bind("mailbox", r.mailbox())
          .bind("to", r.recipient()).bindByType("subject", r.subject(), String.class).bind("status", r.status().wire())
          .bind("at", ts(r.recordedAt())).execute();
      return true;
    });
    if (fresh) db.checkpoint();
    return fresh;
  }

  @Override
  public void mark(String messageId, SendStatus status, Instant at, String error) {
    db.jdbi().useHandle(h -> {
      h.createUpdate("UPDATE email_sends SET status = :status, finished_at = :at, error = :error WHERE message_id = :id")
          .bind("status", status.wire()).bind("at", ts(at))
          .bindByType("error", error == null ? null : error.length() > 2000 ? error.substring(0, 2000) : error, String.class)
          .bind("id", messageId).execute();
      db.checkpoint(h);
    });
  }

  @Override
  public Optional<SendRecord> find(String messageId) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT " + COLS + " FROM email_sends WHERE message_id = :id")
        .bind("id", messageId).map(JdbcSendLog::map).findOne());
  }

  @Override
  public Optional<SendRecord> findByToken(String token) {
    // the token is checked to be hex, so it carries no LIKE wildcard; our Message-IDs are <sa.TOKEN@domain>
    if (token == null || !token.matches("[0-9a-f]{24}")) return Optional.empty();
    return db.jdbi().withHandle(h -> h.createQuery("SELECT " + COLS + " FROM email_sends WHERE message_id LIKE :p")
        .bind("p", "<sa." + token + "@%").map(JdbcSendLog::map).findFirst());
  }

  @Override
  public boolean hasRecord(String runId, String leadId) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM email_sends WHERE run_id = :r AND lead_id = :l")
        .bind("r", runId).bind("l", leadId).mapTo(Integer.class).one()) > 0;
  }

  @Override
  public List<SendRecord> unfinished() {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT " + COLS + " FROM email_sends WHERE status = :s ORDER BY recorded_at")
        .bind("s", SendStatus.RECORDED.wire()).map(JdbcSendLog::map).list());
  }

  @Override
  public int countSince(String mailbox, Instant since) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM email_sends WHERE mailbox = :m AND recorded_at >= :since AND status <> :failed")
        .bind("m", mailbox).bind("since", ts(since)).bind("failed", SendStatus.FAILED.wire()).mapTo(Integer.class).one());
  }

  @Override
  public Optional<Instant> lastRecordedAt(String mailbox) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT MAX(recorded_at) AS t FROM email_sends WHERE mailbox = :m")
        .bind("m", mailbox).map((rs, ctx) -> instant(rs, "t")).findOne()).filter(java.util.Objects::nonNull);
  }

  /** Every send, newest first (the CLI's listing and the tests). */
  public List<SendRecord> all() {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT " + COLS + " FROM email_sends ORDER BY recorded_at DESC")
        .map(JdbcSendLog::map).list());
  }

  private static SendRecord map(ResultSet rs, StatementContext ctx) throws SQLException {
    return new SendRecord(rs.getString("message_id"), rs.getString("run_id"), rs.getString("lead_id"), rs.getString("mailbox"),
        rs.getString("recipient"), rs.getString("subject"), SendStatus.fromWire(rs.getString("status")),
        instant(rs, "recorded_at"), instant(rs, "finished_at"), rs.getString("error"));
  }
}
