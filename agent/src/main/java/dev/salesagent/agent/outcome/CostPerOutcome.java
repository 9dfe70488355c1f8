package dev.salesagent.agent.outcome;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Cost per outcome by task and provider: for each (task, provider) its spend from the usage ledger divided by the count
 * of each outcome it leads to ({@link Outcome#carries}); the total row divides the spend of all tasks that lead to the
 * outcome. A cell is {@code null} when the task does not lead to the outcome or the outcome never happened (a cost per
 * zero outcomes is not a number). Pure: the store supplies the spend and the counts.
 */
public record CostPerOutcome(Map<Outcome, Long> counts, List<Row> rows, Row total) {

  /** Spend of one task on one provider: attempts and cost (USD). */
  public record Spend(String task, String provider, long attempts, BigDecimal costUsd) {}

  /** A line of the table: {@code perOutcome} holds the cost per outcome, {@code null} where it does not apply. */
  public record Row(String task, String provider, long attempts, BigDecimal costUsd, Map<Outcome, BigDecimal> perOutcome) {}

  public static CostPerOutcome of(List<Spend> spend, Map<Outcome, Long> counts) {
    List<Row> rows = new ArrayList<>();
    Map<Outcome, BigDecimal> carried = new EnumMap<>(Outcome.class);
    BigDecimal total = BigDecimal.ZERO;
    long attempts = 0;
    for (Spend s : spend) {
      Map<Outcome, BigDecimal> per = new EnumMap<>(Outcome.class);
      for (Outcome o : Outcome.values()) {
        boolean carries = s.task() != null && o.carries(s.task());
        if (carries) carried.merge(o, s.costUsd(), BigDecimal::add);
        per.put(o, carries ? divide(s.costUsd(), counts.getOrDefault(o, 0L)) : null);
      }
      rows.add(new Row(s.task(), s.provider(), s.attempts(), s.costUsd(), per));
      total = total.add(s.costUsd());
      attempts += s.attempts();
    }
    Map<Outcome, BigDecimal> totalPer = new EnumMap<>(Outcome.class);
    for (Outcome o : Outcome.values()) totalPer.put(o, divide(carried.getOrDefault(o, BigDecimal.ZERO), counts.getOrDefault(o, 0L)));
    Map<Outcome, Long> c = new EnumMap<>(Outcome.class);
    for (Outcome o : Outcome.values()) c.put(o, counts.getOrDefault(o, 0L));
    return new CostPerOutcome(c, rows, new Row("total", "", attempts, total, totalPer));
  }

  private static BigDecimal divide(BigDecimal cost, long n) {
    return n <= 0 ? null : cost.divide(BigDecimal.valueOf(n), 6, RoundingMode.HALF_UP);
  }

  /** The table in Markdown (report.md, {@code bin/sales-agent outcomes}). */
  public String markdown() {
    StringBuilder sb = new StringBuilder();
    sb.append("| outcome | count |\n|---|---:|\n");
    counts.forEach((o, n) -> sb.append("| ").append(o.wire()).append(" | ").append(n).append(" |\n"));
    sb.append("\n| task | provider | attempts | cost (USD) | per qualified lead | per approved draft | per sent email | per interested reply |\n");
    sb.append("|---|---|---:|---:|---:|---:|---:|---:|\n");
    for (Row r : rows) line(sb, r.task(), r.provider(), r);
    line(sb, "**total**", "", total);
    return sb.toString();
  }

  private static void line(StringBuilder sb, String task, String provider, Row r) {
    sb.append("| ").append(task).append(" | ").append(provider).append(" | ").append(r.attempts()).append(" | ")
        .append(r.costUsd().setScale(6, RoundingMode.HALF_UP).toPlainString());
    for (Outcome o : Outcome.values()) {
      BigDecimal v = r.perOutcome().get(o);
      sb.append(" | ").append(v == null ? "—" : v.toPlainString());
    }
    sb.append(" |\n");
  }
}
