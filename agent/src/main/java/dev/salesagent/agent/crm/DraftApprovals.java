package dev.salesagent.agent.crm;

import dev.salesagent.agent.access.Actor;
import dev.salesagent.agent.outreach.OutreachDraft;
import dev.salesagent.agent.review.Draft;
import dev.salesagent.agent.review.DraftStatus;
import dev.salesagent.agent.review.DraftStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which outreach draft of a run goes to the CRM for a lead, if any. Only an approved draft is pushed: a draft nobody
 * reviewed must not look final to a rep reading the contact. The review queue decides ({@link #reviewed}); an
 * approved draft is pushed as the reviewer left it (their edit when there is one). {@link #NONE} pushes no draft;
 * {@link #ALL} every recorded draft as it stands (for a caller that says so).
 */
@FunctionalInterface
public interface DraftApprovals {
  DraftApprovals NONE = (runId, leadId, recorded) -> null;
  DraftApprovals ALL = (runId, leadId, recorded) -> recorded;

  /**
   * The draft to push for this lead of the run, or null when it is not approved.
   *
   * @param recorded the outreach step's draft as the run recorded it
   */
  OutreachDraft approved(String runId, String leadId, OutreachDraft recorded);

  /**
   * The review queue's approved drafts (status {@code approved} of the draft version the run holds), read once per run
   * through {@code store} as the operator sees them. Blocking; not thread-safe (one push at a time).
   */
  static DraftApprovals reviewed(DraftStore store) {
    Map<String, Map<String, OutreachDraft>> byRun = new HashMap<>();
    return (runId, leadId, recorded) -> byRun.computeIfAbsent(runId, r -> approvedIn(store, r)).get(leadId);
  }

  private static Map<String, OutreachDraft> approvedIn(DraftStore store, String runId) {
    Map<String, OutreachDraft> out = new HashMap<>();
    DraftStore.DraftQuery q = new DraftStore.DraftQuery(DraftStatus.APPROVED, runId);
    DraftStore.Cursor cursor = null;
    while (true) {
      List<Draft> page = store.page(Actor.operator(), q, cursor, 200);
      for (Draft d : page) if (d.readyToSend()) out.put(d.id().leadId(), d.current());
      if (page.size() < 200) return out;
      cursor = DraftStore.Cursor.after(page.get(page.size() - 1));
    }
  }
}
