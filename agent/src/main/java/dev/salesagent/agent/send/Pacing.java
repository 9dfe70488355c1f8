package dev.salesagent.agent.send;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Which mailbox sends next and when: among the mailboxes under their daily cap (UTC day), the one allowed earliest
 * (its last send + the pace). Pure, so the decisions are unit-tested without waiting.
 */
public final class Pacing {
  private Pacing() {}

  /** A mailbox's state today. */
  public record State(String mailbox, int sentToday, Instant lastSend) {}

  /** The choice: a mailbox and how long to wait before sending from it; {@code mailbox == null} when all are capped. */
  public record Choice(String mailbox, Duration delay) {}

  public static Instant startOfDay(Instant now) {
    return now.atZone(ZoneOffset.UTC).toLocalDate().atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  public static Choice choose(List<State> states, int dailyCap, Duration pace, Instant now) {
    String best = null;
    Instant bestAt = null;
    for (State s : states) {
      if (s.sentToday() >= dailyCap) continue;
      Instant at = s.lastSend() == null ? now : s.lastSend().plus(pace);
      if (at.isBefore(now)) at = now;
      if (bestAt == null || at.isBefore(bestAt)) {
        best = s.mailbox();
        bestAt = at;
      }
    }
    return best == null ? new Choice(null, Duration.ZERO) : new Choice(best, Duration.between(now, bestAt));
  }
}
