package dev.salesagent.agent.review;

import dev.salesagent.agent.access.Actor;
import dev.salesagent.agent.lead.Lead;
import dev.salesagent.agent.outreach.OutreachContent;
import dev.salesagent.agent.outreach.OutreachDraft;
import dev.salesagent.agent.outreach.OutreachGrounding;
import dev.salesagent.agent.pipeline.LeadRepository;
import dev.salesagent.agent.pipeline.ResultsExport;
import dev.salesagent.agent.research.ResearchBrief;
import dev.salesagent.agent.schema.AgentJson;
import java.time.Clock;
import java.util.List;

/**
 * The review queue's rules: a person approves a draft as it stands, edits it (the edit must pass the same grounding
 * rules as the model's draft — every figure supported by the lead or brief, no placeholders, no fake Re:, at most 220
 * words; violations are returned and nothing is saved) or rejects it with a reason. Every decision is recorded with
 * who (the actor's key id, {@code null} = the operator), when, and the text before and after.
 *
 * <p>Transitions: approve from pending or rejected; reject from pending or approved (a reason is required); edit from
 * any state, leaving the draft pending (changed text needs a fresh approval). Anything else, or a draft that someone
 * else decided or that was re-drafted meanwhile, is a {@link Conflict}. Only approved drafts are ready to send
 * ({@code Draft Status} in the export). Blocking: call it off the event loop.
 */
public final class DraftReview {
  public static final int MAX_PAGE = 200;
  public static final int MAX_REASON = 2000;

  private final DraftStore store;
  private final LeadRepository leads;
  private final OutreachGrounding grounding;
  private final Clock clock;

  public DraftReview(DraftStore store, LeadRepository leads, OutreachGrounding grounding, Clock clock) {
    this.store = store;
    this.leads = leads;
    this.grounding = grounding;
    this.clock = clock == null ? Clock.systemUTC() : clock;
  }

  /**
   * The export's view of the queue: for an outreach record, its draft's status and the text that would be sent
   * ({@code Draft Status} in {@code results.csv} and {@code GET /v1/leads/export}).
   */
  public ResultsExport.Reviews exportReviews() {
    return o -> store.find(Actor.operator(), new DraftId(o.runId(), o.leadId()))
        .filter(d -> o.finishedAt() == null || d.draftedAt().equals(o.finishedAt()))
        .map(d -> new ResultsExport.Reviewed(d.status().wire(), d.current())).orElse(null);
  }

  /** A page of drafts and the cursor of the next one ({@code null} = last page). */
  public record Page(List<Draft> drafts, DraftStore.Cursor next) {}

  public Page list(Actor who, DraftStore.DraftQuery query, DraftStore.Cursor cursor, int limit) {
    int n = Math.max(1, Math.min(MAX_PAGE, limit));
    List<Draft> rows = store.page(who, query, cursor, n + 1);
    boolean more = rows.size() > n;
    List<Draft> page = more ? rows.subList(0, n) : rows;
    return new Page(List.copyOf(page), more ? DraftStore.Cursor.after(page.get(n - 1)) : null);
  }

  public Draft show(Actor who, DraftId id) {
    return store.find(who, id).orElseThrow(() -> new NotFound(id));
  }

  public List<Decision> history(Actor who, DraftId id) {
    show(who, id);
    return store.decisions(id);
  }

  public Draft approve(Actor who, DraftId id) {
    Draft d = show(who, id);
    if (d.status() == DraftStatus.APPROVED) throw new Conflict(id, "draft " + id + " is already approved");
    OutreachDraft text = d.current();
    return decide(who, d, DraftStatus.APPROVED, d.edited(), Decision.Action.APPROVE, text, text, null);
  }

  public Draft reject(Actor who, DraftId id, String reason) {
    if (reason == null || reason.isBlank()) throw new IllegalArgumentException("a rejection needs a reason");
    if (reason.length() > MAX_REASON) throw new IllegalArgumentException("reason is longer than " + MAX_REASON + " characters");
    Draft d = show(who, id);
    if (d.status() == DraftStatus.REJECTED) throw new Conflict(id, "draft " + id + " is already rejected");
    OutreachDraft text = d.current();
    return decide(who, d, DraftStatus.REJECTED, d.edited(), Decision.Action.REJECT, text, text, reason.strip());
  }

  /**
   * Replaces the draft's subject and body (and call to action when given), keeping its personalisation points and
   * the configured unsubscribe line, after checking the grounding rules against the lead and the run's research brief.
   *
   * @throws GroundingFailed with every violation; nothing is saved
   */
  public Draft edit(Actor who, DraftId id, String subject, String body, String callToActionOrNull) {
    Draft d = show(who, id);
    OutreachDraft before = d.current();
    String unsubscribe = grounding.config().sender().unsubscribeLine();
    String b = body == null ? null : stripTrailing(body.strip(), unsubscribe);
    OutreachContent c = new OutreachContent(subject, b, before.personalisationPoints(),
        callToActionOrNull == null || callToActionOrNull.isBlank() ? before.callToAction() : callToActionOrNull);
    if (subject == null || subject.isBlank() || b == null || b.isBlank()) {
      throw new GroundingFailed(List.of((subject == null || subject.isBlank() ? "$.subject" : "$.body") + ": required"));
    }
    Lead lead = leads.find(d.id().leadId()).orElseThrow(() -> new NotFound(id));
    ResearchBrief brief = store.researchJson(id).map(j -> AgentJson.read(j, ResearchBrief.class))
        .orElseThrow(() -> new Conflict(id, "draft " + id + " has no research brief to check an edit against"));
    List<String> violations = grounding.check(lead, brief, c);
    if (!violations.isEmpty()) throw new GroundingFailed(violations);
    OutreachDraft after = grounding.toDraft(c);
    return decide(who, d, DraftStatus.PENDING, after, Decision.Action.EDIT, before, after, null);
  }

  private static String stripTrailing(String body, String line) {
    String l = line == null ? "" : line.strip();
    return !l.isEmpty() && body.endsWith(l) ? body.substring(0, body.length() - l.length()).strip() : body;
  }

  private Draft decide(Actor who, Draft d, DraftStatus status, OutreachDraft edited, Decision.Action action,
                       OutreachDraft before, OutreachDraft after, String reason) {
    Decision dec = new Decision(action, clock.instant(), who.keyId(), who.admin(), before.subject(), before.fullText(),
        after.subject(), after.fullText(), reason);
    if (!store.decide(d, status, edited == null ? null : AgentJson.write(edited), dec)) {
      throw new Conflict(d.id(), "draft " + d.id() + " changed while it was being reviewed (decided or re-drafted): reload it");
    }
    return show(who, d.id());
  }

  /** No draft with this id, or not one the actor may see (the same answer, so it tells nothing of other tenants). */
  public static final class NotFound extends RuntimeException {
    public NotFound(DraftId id) {
      super("no draft " + id, null, false, false);
    }
  }

  /** The decision does not apply to the draft's current state. */
  public static final class Conflict extends RuntimeException {
    public Conflict(DraftId id, String message) {
      super(message, null, false, false);
    }
  }

  /** An edit broke the grounding rules: every violation, in the order checked. */
  public static final class GroundingFailed extends RuntimeException {
    private final List<String> violations;

    public GroundingFailed(List<String> violations) {
      super("the edited draft breaks " + violations.size() + " grounding rule(s): " + String.join("; ", violations),
          null, false, false);
      this.violations = List.copyOf(violations);
    }

    public List<String> violations() { return violations; }
  }
}
