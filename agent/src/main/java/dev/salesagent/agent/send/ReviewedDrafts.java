package dev.salesagent.agent.send;

import dev.salesagent.agent.access.Actor;
import dev.salesagent.agent.review.Draft;
import dev.salesagent.agent.review.DraftStatus;
import dev.salesagent.agent.review.DraftStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@link ApprovedDrafts} over the review queue ({@link DraftStore}): drafts whose current review is {@code approved}
 * (the text a person approved: their edit when they edited), every tenant (the operator sends), without a send record,
 * oldest draft first. Blocking.
 */
public final class ReviewedDrafts implements ApprovedDrafts {
  private static final int PAGE = 200;
  private final DraftStore store;
  private final SendLog log;

  public ReviewedDrafts(DraftStore store, SendLog log) {
    this.store = store;
    this.log = log;
  }

  @Override
  public List<ApprovedDraft> pending(String runIdOrNull, int limit) {
    List<Draft> approved = new ArrayList<>();
    DraftStore.Cursor cursor = null;
    while (true) {
      List<Draft> page = store.page(Actor.operator(), new DraftStore.DraftQuery(DraftStatus.APPROVED, runIdOrNull), cursor, PAGE);
      for (Draft d : page) if (!log.hasRecord(d.id().runId(), d.id().leadId())) approved.add(d);
      if (page.size() < PAGE) break;
      Draft last = page.get(page.size() - 1);
      cursor = new DraftStore.Cursor(last.draftedAt(), last.id().runId(), last.id().leadId());
    }
    approved.sort(Comparator.comparing(Draft::draftedAt));
    return approved.stream().limit(Math.max(0, limit))
        .map(d -> new ApprovedDraft(d.id().runId(), d.id().leadId(), d.lead().email(), d.current())).toList();
  }
}
