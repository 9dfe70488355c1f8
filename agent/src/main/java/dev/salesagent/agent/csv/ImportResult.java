package dev.salesagent.agent.csv;

import dev.salesagent.agent.lead.Lead;
import java.util.List;
import java.util.Map;

/**
 * What an import produced: the leads (first-seen order, duplicates merged), every issue, the input header (so the
 * export can repeat the input columns) and each lead's raw input cells (from its first row).
 */
public record ImportResult(
    List<Lead> leads, List<ImportIssue> issues, List<String> header, Map<String, Map<String, String>> rawById, long rowsRead) {

  public long errors() {
    return issues.stream().filter(i -> i.severity().equals(ImportIssue.ERROR)).count();
  }

  public long merged() {
    return issues.stream().filter(i -> i.severity().equals(ImportIssue.MERGED)).count();
  }
}
