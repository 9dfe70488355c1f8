package dev.salesagent.agent.pipeline;

import dev.salesagent.agent.csv.ImportIssue;
import dev.salesagent.agent.lead.Lead;
import dev.salesagent.agent.outcome.CostPerOutcome;
import dev.salesagent.agent.outcome.Outcome;
import dev.salesagent.agent.parse.ContactCard;
import dev.salesagent.agent.qualify.Qualification;
import dev.salesagent.agent.qualify.Tier;
import dev.salesagent.agent.schema.AgentJson;
import dev.salesagent.router.routing.UsageRecord;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The numbers of a run and their Markdown. Cost, calls, tokens, latency, fallbacks and upstream failures come from
 * the usage ledger's rows of the run (request ids {@code <runId>:…}), so they equal what a query of the ledger
 * returns; tiers and step outcomes come from the step records.
 */
public final class RunReport {
  private RunReport() {}

  /** One provider × task line of the usage table. */
  public record UsageRow(String provider, String task, long calls, long ok, long failed, long inputTokens,
      long outputTokens, BigDecimal costUsd, long avgLatencyMs, long maxLatencyMs) {}

  /** A contact card the {@code parse} step read from a lead's notes. */
  public record ParsedContact(String leadEmail, ContactCard card, String provider, String model) {}

  public record Data(
      RunInfo run, int leads, long rowsRead, long rejected, long merged, long warnings,
      Map<String, Integer> tiers, Map<Step, Map<StepStatus, Integer>> steps, int repaired,
      List<UsageRow> usage, long ledgerRows, BigDecimal ledgerCostUsd, long requests,
      List<String> fallbacks, long retries, List<String> upstreamFailures, List<String> stepFailures,
      List<ImportIssue> issues, List<ParsedContact> contacts) {}

  public static Data compute(RunInfo run, List<RunStore.RunLead> runLeads, Map<String, Lead> leadsById,
      Map<String, StepRecord> steps, List<ImportIssue> issues, List<UsageRecord> ledger) {
    long rejected = issues.stream().filter(i -> i.severity().equals(ImportIssue.ERROR)).count();
    long merged = issues.stream().filter(i -> i.severity().equals(ImportIssue.MERGED)).count();
    long warnings = issues.stream().filter(i -> i.severity().equals(ImportIssue.WARNING)).count();
    Map<String, Integer> tiers = new LinkedHashMap<>();
    for (Tier t : Tier.values()) tiers.put(t.wire(), 0);
    tiers.put("not qualified", 0);
    Map<Step, Map<StepStatus, Integer>> stepCounts = new EnumMap<>(Step.class);
    for (Step s : Step.values()) stepCounts.put(s, new EnumMap<>(StepStatus.class));
    int repaired = 0;
    List<String> stepFailures = new ArrayList<>();
    List<ParsedContact> contacts = new ArrayList<>();
    for (RunStore.RunLead rl : runLeads) {
      StepRecord q = steps.get(StepRecord.key(rl.leadId(), Step.QUALIFY));
      if (q != null && q.status() == StepStatus.DONE) {
        tiers.merge(AgentJson.read(q.resultJson(), Qualification.class).tier().wire(), 1, Integer::sum);
      } else {
        tiers.merge("not qualified", 1, Integer::sum);
      }
      for (Step s : Step.values()) {
        StepRecord r = steps.get(StepRecord.key(rl.leadId(), s));
        if (r == null) continue;
        stepCounts.get(s).merge(r.status(), 1, Integer::sum);
        if (r.status() == StepStatus.DONE && r.calls() > 1) repaired++;
        if (s == Step.PARSE && r.status() == StepStatus.DONE) {
          Lead l = leadsById.get(rl.leadId());
          contacts.add(new ParsedContact(l == null ? rl.leadId() : l.email(), AgentJson.read(r.resultJson(), ContactCard.class),
              r.provider(), r.model()));
        }
        if (r.status() == StepStatus.FAILED) {
          Lead l = leadsById.get(rl.leadId());
          stepFailures.add((l == null ? rl.leadId() : l.email()) + " · " + s.wire() + " · " + r.error());
        }
      }
    }
    // usage from the ledger
    Map<String, List<UsageRecord>> byPair = new TreeMap<>();
    Map<String, List<UsageRecord>> byRequest = new LinkedHashMap<>();
    List<UsageRecord> sorted = new ArrayList<>(ledger);
    sorted.sort(Comparator.comparing(UsageRecord::at));
    BigDecimal total = BigDecimal.ZERO;
    for (UsageRecord u : sorted) {
      byPair.computeIfAbsent(u.provider() + "\u0000" + (u.task() == null ? "-" : u.task()), k -> new ArrayList<>()).add(u);
      byRequest.computeIfAbsent(u.requestId(), k -> new ArrayList<>()).add(u);
      total = total.add(BigDecimal.valueOf(u.costUsd()));
    }
    List<UsageRow> usage = new ArrayList<>();
    for (var e : byPair.entrySet()) {
      String[] pt = e.getKey().split("\u0000", 2);
      List<UsageRecord> rs = e.getValue();
      long ok = rs.stream().filter(r -> "ok".equals(r.outcome())).count();
      long in = rs.stream().mapToLong(r -> r.inputTokens() == null ? 0 : r.inputTokens()).sum();
      long out = rs.stream().mapToLong(r -> r.outputTokens() == null ? 0 : r.outputTokens()).sum();
      BigDecimal cost = rs.stream().map(r -> BigDecimal.valueOf(r.costUsd())).reduce(BigDecimal.ZERO, BigDecimal::add);
      long avg = Math.round(rs.stream().mapToLong(UsageRecord::latencyMs).average().orElse(0));
      long max = rs.stream().mapToLong(UsageRecord::latencyMs).max().orElse(0);
      usage.add(new UsageRow(pt[0], pt[1], rs.size(), ok, rs.size() - ok, in, out, cost, avg, max));
    }
    List<String> fallbacks = new ArrayList<>();
    List<String> upstreamFailures = new ArrayList<>();
    long retries = 0;
    for (var e : byRequest.entrySet()) {
      List<UsageRecord> rs = e.getValue();
      UsageRecord okRow = rs.stream().filter(r -> "ok".equals(r.outcome())).reduce((a, b) -> b).orElse(null);
      String first = rs.get(0).provider();
      for (int i = 1; i < rs.size(); i++) if (rs.get(i).provider().equals(rs.get(i - 1).provider())) retries++;
      if (okRow == null) {
        upstreamFailures.add(e.getKey() + ": " + chain(rs));
      } else if (!okRow.provider().equals(first)) {
        fallbacks.add(e.getKey() + " (" + okRow.task() + "): " + chain(rs));
      }
    }
    return new Data(run, runLeads.size(), runLeads.size() + merged + rejected, rejected, merged, warnings, tiers,
        stepCounts, repaired, usage, ledger.size(), total, byRequest.size(), fallbacks, retries, upstreamFailures,
        stepFailures, issues, contacts);
  }

  /** The steps a report shows: those the run was asked for, and any with records (a resume may have changed them). */
  private static boolean shown(Data d, Step s) {
    Map<StepStatus, Integer> m = d.steps().get(s);
    if (m != null && !m.isEmpty()) return true;
    String steps = d.run().steps() == null ? "" : d.run().steps();
    for (String x : steps.split(",")) if (x.strip().equals(s.wire())) return true;
    return false;
  }

  private static String orDash(String s) {
    return s == null ? "—" : s.replace("|", "\\|").replace('\n', ' ');
  }

  private static String chain(List<UsageRecord> rs) {
    List<String> parts = new ArrayList<>();
    for (UsageRecord r : rs) parts.add(r.provider() + "/" + r.model() + " " + r.outcome());
    return String.join(" → ", parts);
  }

  public static String usd(BigDecimal v) {
    return "$" + v.setScale(6, RoundingMode.HALF_UP).toPlainString();
  }

  public static String markdown(Data d) {
    StringBuilder sb = new StringBuilder(4096);
    RunInfo r = d.run();
    sb.append("# Sales Agent run `").append(r.id()).append("`\n\n");
    sb.append("- Input: `").append(r.inputPath()).append("`\n");
    sb.append("- Output: `").append(r.outDir()).append("`\n");
    sb.append("- Steps: ").append(r.steps()).append(" · concurrency ").append(r.concurrency()).append('\n');
    sb.append("- Status: ").append(r.status()).append(" · started ").append(r.startedAt());
    if (r.finishedAt() != null) sb.append(" · finished ").append(r.finishedAt());
    sb.append("\n\n## Leads\n\n| rows read | imported | duplicates merged | rows rejected | warnings |\n|---:|---:|---:|---:|---:|\n");
    sb.append("| ").append(d.rowsRead()).append(" | ").append(d.leads()).append(" | ").append(d.merged()).append(" | ")
        .append(d.rejected()).append(" | ").append(d.warnings()).append(" |\n\n");
    sb.append("## Tiers\n\n| tier | leads |\n|---|---:|\n");
    d.tiers().forEach((t, n) -> sb.append("| ").append(t).append(" | ").append(n).append(" |\n"));
    sb.append("\n## Steps\n\n| step | done | failed | skipped | unfinished |\n|---|---:|---:|---:|---:|\n");
    d.steps().forEach((s, m) -> {
      if (shown(d, s)) sb.append("| ").append(s.wire()).append(" | ").append(m.getOrDefault(StepStatus.DONE, 0))
        .append(" | ").append(m.getOrDefault(StepStatus.FAILED, 0)).append(" | ").append(m.getOrDefault(StepStatus.SKIPPED, 0))
        .append(" | ").append(m.getOrDefault(StepStatus.RUNNING, 0)).append(" |\n");
    });
    sb.append("\nAnswers repaired after a validation error: ").append(d.repaired()).append("\n\n");
    sb.append("## Cost and latency by provider and task\n\nFrom the usage ledger (").append(d.ledgerRows())
        .append(" attempts, ").append(d.requests()).append(" requests tagged with this run's id).\n\n");
    sb.append("| provider | task | attempts | ok | failed | input tokens | output tokens | cost (USD) | avg latency ms | max latency ms |\n");
    sb.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (UsageRow u : d.usage()) {
      sb.append("| ").append(u.provider()).append(" | ").append(u.task()).append(" | ").append(u.calls()).append(" | ")
          .append(u.ok()).append(" | ").append(u.failed()).append(" | ").append(u.inputTokens()).append(" | ")
          .append(u.outputTokens()).append(" | ").append(usd(u.costUsd())).append(" | ").append(u.avgLatencyMs())
          .append(" | ").append(u.maxLatencyMs()).append(" |\n");
    }
    sb.append("| **total** | | ").append(d.ledgerRows()).append(" | | | | | **").append(usd(d.ledgerCostUsd())).append("** | | |\n\n");
    Map<StepStatus, Integer> parseCounts = d.steps().get(Step.PARSE);
    if (!d.contacts().isEmpty() || (parseCounts != null && !parseCounts.isEmpty())) {
      sb.append("## Contacts parsed from notes\n\nThe `parse` step (router task `parsing`) on notes that carry a signature or a "
          + "reply; every value occurs in the notes.\n\n");
      sb.append("| lead | name | title | company | email | phone | website | provider |\n|---|---|---|---|---|---|---|---|\n");
      for (ParsedContact c : d.contacts()) {
        ContactCard k = c.card();
        sb.append("| ").append(orDash(c.leadEmail())).append(" | ").append(orDash(k.name())).append(" | ").append(orDash(k.title()))
            .append(" | ").append(orDash(k.company())).append(" | ").append(orDash(k.email())).append(" | ").append(orDash(k.phone()))
            .append(" | ").append(orDash(k.website())).append(" | ").append(orDash(c.provider() + "/" + c.model())).append(" |\n");
      }
      if (d.contacts().isEmpty()) sb.append("| (none parsed) | | | | | | | |\n");
      sb.append('\n');
    }
    sb.append(costPerOutcome(d));
    sb.append("## Fallbacks and failures\n\n");
    sb.append("- Requests answered by a fallback provider: ").append(d.fallbacks().size()).append('\n');
    sb.append("- Retries on the same provider: ").append(d.retries()).append('\n');
    sb.append("- Requests that failed on every provider: ").append(d.upstreamFailures().size()).append('\n');
    sb.append("- Steps failed: ").append(d.stepFailures().size()).append("\n\n");
    list(sb, "Fallbacks", d.fallbacks());
    list(sb, "Upstream failures", d.upstreamFailures());
    list(sb, "Failed steps", d.stepFailures());
    if (!d.issues().isEmpty()) {
      sb.append("## Import issues\n\n");
      for (ImportIssue i : d.issues()) sb.append("- line ").append(i.line()).append(" — ").append(i.severity()).append(": ").append(i.reason()).append('\n');
      sb.append('\n');
    }
    return sb.toString();
  }

  /**
   * "Cost per outcome" as of the end of the run: qualified leads are known then; approvals, sends and replies come
   * later, so their columns say "—" until {@code bin/sales-agent outcomes --run ID} or {@code GET /v1/outcomes/cost?run=ID}
   * (the same table, read from the database) is asked.
   */
  static String costPerOutcome(Data d) {
    List<CostPerOutcome.Spend> spend = new ArrayList<>();
    for (UsageRow u : d.usage()) spend.add(new CostPerOutcome.Spend(u.task(), u.provider(), u.calls(), u.costUsd()));
    long qualified = d.tiers().getOrDefault(Tier.HOT.wire(), 0) + d.tiers().getOrDefault(Tier.WARM.wire(), 0);
    CostPerOutcome c = CostPerOutcome.of(spend, Map.of(Outcome.QUALIFIED_LEAD, qualified));
    return "## Cost per outcome\n\nSpend of the tasks that lead to each outcome (on every lead) over the number of outcomes; "
        + "qualified = hot or warm. Approvals, sends and interested replies happen after the run: `bin/sales-agent outcomes "
        + "--run " + d.run().id() + "` or `GET /v1/outcomes/cost?run=" + d.run().id() + "` gives the current table.\n\n"
        + c.markdown() + "\n";
  }

  private static void list(StringBuilder sb, String title, List<String> items) {
    if (items.isEmpty()) return;
    sb.append("### ").append(title).append("\n\n");
    int n = 0;
    for (String s : items) {
      if (n++ == 50) {
        sb.append("- … and ").append(items.size() - 50).append(" more\n");
        break;
      }
      sb.append("- ").append(s.replace('\n', ' ')).append('\n');
    }
    sb.append('\n');
  }

  /** A one-screen summary for the terminal. */
  public static String summary(Data d) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%d leads (%d rows rejected, %d duplicates merged)%n", d.leads(), d.rejected(), d.merged()));
    sb.append("tiers: ");
    List<String> parts = new ArrayList<>();
    d.tiers().forEach((t, n) -> parts.add(t + " " + n));
    sb.append(String.join(", ", parts)).append('\n');
    for (UsageRow u : d.usage()) {
      sb.append(String.format(Locale.ROOT, "  %-10s %-14s %4d attempts (%d failed)  %s  avg %d ms%n", u.provider(), u.task(),
          u.calls(), u.failed(), usd(u.costUsd()), u.avgLatencyMs()));
    }
    sb.append(String.format(Locale.ROOT, "total cost %s · %d fallbacks · %d retries · %d failed steps%n",
        usd(d.ledgerCostUsd()), d.fallbacks().size(), d.retries(), d.stepFailures().size()));
    for (String f : d.fallbacks().subList(0, Math.min(3, d.fallbacks().size()))) sb.append("  fallback: ").append(f).append('\n');
    Map<StepStatus, Integer> parse = d.steps().get(Step.PARSE);
    if (parse != null && !parse.isEmpty()) {
      sb.append(String.format(Locale.ROOT, "contacts parsed from notes: %d (%d failed, %d leads without contact details)%n",
          d.contacts().size(), parse.getOrDefault(StepStatus.FAILED, 0), parse.getOrDefault(StepStatus.SKIPPED, 0)));
      for (ParsedContact c : d.contacts().subList(0, Math.min(5, d.contacts().size()))) {
        ContactCard k = c.card();
        List<String> vals = new ArrayList<>();
        for (String v : new String[] {k.name(), k.title(), k.company(), k.email(), k.phone(), k.website()}) if (v != null) vals.add(v);
        sb.append("  parsed ").append(c.leadEmail()).append(" → ").append(String.join(" · ", vals))
            .append(" (").append(c.provider()).append(")\n");
      }
    }
    return sb.toString();
  }
}
