package dev.salesagent.agent.send;

import java.util.List;

/**
 * The port to "approved drafts to send": drafts whose latest review decision is an approval and that have no send
 * record yet (see {@link SendLog}). Implemented over the review queue's decisions; blocking.
 */
public interface ApprovedDrafts {
  /**
   * Up to {@code limit} approved, unsent drafts, oldest approval first.
   *
   * @param runIdOrNull only this run's drafts, or every run's
   */
  List<ApprovedDraft> pending(String runIdOrNull, int limit);
}
