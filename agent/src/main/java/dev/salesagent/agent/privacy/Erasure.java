package dev.salesagent.agent.privacy;

import java.util.Map;

/**
 * Forgetting a person ({@code leads forget EMAIL}): every row that names them or their lead ids goes — leads, run
 * inputs, step results (qualifications, briefs, drafts), draft reviews, sends, replies, CRM queue entries, import
 * issues that quote the address — in every tenant; the usage ledger keeps its rows and costs with the lead id in
 * their request ids replaced by an anonymous token; the suppression list keeps only the address's salted hash
 * (reason {@code erased}, unless it was already suppressed) so the person is never emailed again. One transaction.
 */
public interface Erasure {
  /** What was removed or rewritten, per table (rows). */
  record Report(String anonymousToken, Map<String, Integer> rows) {
    public int total() {
      return rows.values().stream().mapToInt(Integer::intValue).sum();
    }
  }

  Report forget(String email);
}
