package dev.salesagent.agent.pipeline;

import dev.salesagent.agent.csv.LeadColumn;
import dev.salesagent.agent.csv.ResultsCsvWriter;
import dev.salesagent.agent.csv.ResultsCsvWriter.CellType;
import dev.salesagent.agent.lead.Lead;
import dev.salesagent.agent.outreach.OutreachDraft;
import dev.salesagent.agent.qualify.Qualification;
import dev.salesagent.agent.schema.AgentJson;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code results.csv}: the input columns (values as imported, duplicates merged) then {@code Lead Score},
 * {@code Lead Tier}, {@code Qualification Reasons}, {@code Next Action}, {@code Outreach Subject},
 * {@code Outreach Body}, {@code ICP Fit} (strong, partial, none; empty when no model assessed the lead) and
 * {@code Tier Reason} (why the tier: thresholds, the ICP cap, a disqualifier with its quote). Input columns that
 * already carry one of those names (re-importing our own output) are replaced, not repeated. Leads whose
 * qualification failed have empty result cells; the report lists them.
 *
 * <p>The lead's own columns carry the cleaned values: the phone in E.164, the employee count as a number or, for a
 * range, HubSpot's {@code numemployees} option that covers it. Phone, employees and score are typed columns, written
 * as data; every other cell is formula-safe ({@link ResultsCsvWriter}).
 */
public final class ResultsExport {
  private ResultsExport() {}

  public static void write(Writer out, List<String> inputColumns, List<RunStore.RunLead> runLeads,
      Map<String, Lead> leadsById, Map<String, StepRecord> steps) throws IOException {
    List<String> kept = new ArrayList<>();
    for (String c : inputColumns) {
      boolean added = ResultsCsvWriter.ADDED.stream().anyMatch(a -> a.equalsIgnoreCase(c.strip()));
      if (!added) kept.add(c);
    }
    List<String> header = new ArrayList<>(kept);
    header.addAll(ResultsCsvWriter.ADDED);
    LeadColumn[] mapped = new LeadColumn[kept.size()];
    List<CellType> types = new ArrayList<>(header.size());
    for (int i = 0; i < kept.size(); i++) {
      mapped[i] = LeadColumn.of(kept.get(i));
      types.add(mapped[i] == LeadColumn.PHONE ? CellType.PHONE : mapped[i] == LeadColumn.EMPLOYEES ? CellType.NUMBER : CellType.TEXT);
    }
    for (String a : ResultsCsvWriter.ADDED) types.add(a.equals("Lead Score") ? CellType.NUMBER : CellType.TEXT);
    try (ResultsCsvWriter w = new ResultsCsvWriter(out, header, types)) {
      for (RunStore.RunLead rl : runLeads) {
        Lead lead = leadsById.get(rl.leadId());
        List<String> row = new ArrayList<>(header.size());
        for (int i = 0; i < kept.size(); i++) row.add(cell(kept.get(i), mapped[i], lead, rl.raw()));
        StepRecord q = steps.get(StepRecord.key(rl.leadId(), Step.QUALIFY));
        StepRecord o = steps.get(StepRecord.key(rl.leadId(), Step.OUTREACH));
        Qualification ql = q != null && q.status() == StepStatus.DONE ? AgentJson.read(q.resultJson(), Qualification.class) : null;
        if (ql != null) {
          row.add(Integer.toString(ql.score()));
          row.add(capitalize(ql.tier().wire()));
          row.add(String.join("; ", ql.reasons()));
          row.add(ql.nextAction());
        } else {
          row.add("");
          row.add("");
          row.add(q == null ? "" : q.status() == StepStatus.FAILED ? "qualification failed" : "");
          row.add("");
        }
        if (o != null && o.status() == StepStatus.DONE) {
          OutreachDraft d = AgentJson.read(o.resultJson(), OutreachDraft.class);
          row.add(d.subject());
          row.add(d.fullText());
        } else {
          row.add("");
          row.add("");
        }
        row.add(ql == null || ql.icpFit() == null ? "" : ql.icpFit().wire());
        row.add(ql == null || ql.tierReason() == null ? "" : ql.tierReason());
        w.row(row);
      }
    }
  }

  private static String cell(String column, LeadColumn c, Lead lead, Map<String, String> raw) {
    if (lead != null && c != null) {
      String v = switch (c) {
        case FIRST_NAME -> lead.firstName();
        case LAST_NAME -> lead.lastName();
        case EMAIL -> lead.email();
        case COMPANY -> lead.company();
        case JOB_TITLE -> lead.jobTitle();
        case PHONE -> lead.phone();
        case WEBSITE -> lead.website();
        case INDUSTRY -> lead.industry();
        case EMPLOYEES -> lead.employees() == null ? null
            : lead.employees().exact() ? lead.employees().toString() : lead.employees().hubspotOption();
        case COUNTRY -> lead.country();
        case NOTES -> lead.notes();
      };
      return v == null ? "" : v;
    }
    String v = raw == null ? null : raw.get(column);
    return v == null ? "" : v;
  }

  private static String capitalize(String s) {
    return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
  }
}
