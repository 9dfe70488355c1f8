package dev.salesagent.agent.review;

import dev.salesagent.agent.access.Actor;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where drafts and their reviews live. Drafts are read from the outreach step records; reviews and decisions are
 * written here. Every read for someone takes the {@link Actor}: a client key sees only its own leads' drafts, admins
 * all. Blocking: call it off the event loop.
 */
public interface DraftStore {

  /** Drafts {@code who} may see, newest first, after {@code cursorOrNull}, at most {@code limit}. */
  List<Draft> page(Actor who, DraftQuery query, Cursor cursorOrNull, int limit);

  Optional<Draft> find(Actor who, DraftId id);

  /** The research brief (JSON) the draft was written from: the same run's research record. */
  Optional<String> researchJson(DraftId id);

  /**
   * Stores {@code draft}'s new review state ({@code status}, {@code editedOrNull} as JSON) and appends
   * {@code decision}, in one transaction, only if the draft is still the version {@code draft.draftedAt()} and still
   * in {@code draft.status()} (else false: someone decided or re-drafted in between).
   */
  boolean decide(Draft draft, DraftStatus status, String editedJsonOrNull, Decision decision);

  /** Every decision on this draft id (all its versions), oldest first. */
  List<Decision> decisions(DraftId id);

  /** What to list: a status ({@code null} = any) and a run ({@code null} = any). */
  record DraftQuery(DraftStatus status, String runId) {}

  /** A keyset position: the last draft of the previous page. */
  record Cursor(Instant draftedAt, String runId, String leadId) {
    /** Opaque to clients: base64url of {@code <instant>|<draft id>}. */
    public String wire() {
      String raw = draftedAt + "|" + new DraftId(runId, leadId).wire();
      return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** @throws IllegalArgumentException when {@code s} is not a cursor this class wrote */
    public static Cursor parse(String s) {
      try {
        String raw = new String(java.util.Base64.getUrlDecoder().decode(s), java.nio.charset.StandardCharsets.UTF_8);
        int bar = raw.indexOf('|');
        DraftId id = DraftId.parse(raw.substring(bar + 1));
        return new Cursor(Instant.parse(raw.substring(0, bar)), id.runId(), id.leadId());
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("cursor is not one this API returned");
      }
    }

    public static Cursor after(Draft d) {
      return new Cursor(d.draftedAt(), d.id().runId(), d.id().leadId());
    }
  }
}
