package dev.salesagent.agent.send;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The record of sends ({@code email_sends}); every write is durable when it returns (crash safety). Blocking. */
public interface SendLog {
  /**
   * Writes {@code record} (status {@code RECORDED}) unless a row with its Message-ID, or for its run and lead, exists.
   *
   * @return {@code false} when it existed: this draft was already recorded once and must not be sent again
   */
  boolean record(SendRecord record);

  /** Sets the outcome of a recorded send. */
  void mark(String messageId, SendStatus status, Instant at, String error);

  Optional<SendRecord> find(String messageId);

  /** The send whose Message-ID carries {@code token} ({@link MessageIds#token}: 24 lower-case hex digits), if any. */
  Optional<SendRecord> findByToken(String token);

  /** True when a send of this run's draft for this lead was recorded (whatever its status). */
  boolean hasRecord(String runId, String leadId);

  /** Rows still {@code RECORDED}: sends whose process died between record and mark. */
  List<SendRecord> unfinished();

  /** Sends from {@code mailbox} recorded at or after {@code since} that may have left (the daily cap). */
  int countSince(String mailbox, Instant since);

  /** When {@code mailbox} last recorded a send (pacing), if ever. */
  Optional<Instant> lastRecordedAt(String mailbox);
}
