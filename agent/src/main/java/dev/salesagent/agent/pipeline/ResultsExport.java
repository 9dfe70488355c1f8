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
 * {@code Tier Reason} (why the tier: thresholds, the ICP cap, a disqualifier with its quote) and {@code Draft Status}
 * (the review queue's {@code pending}, {@code approved} or {@code rejected}; empty without a draft; only an
 * {@code approved} draft is ready to send, and the subject and body are the reviewed text, a person's edit included).
 * Input columns that
 * already carry one of those names (re-importing our own output) are replaced, not repeated. Leads whose
 * qualification failed have empty result cells; the report lists them.
 *
 * <p>The lead's own columns carry the cleaned values: the phone in E.164, the employee count as a number or, for a
 * range, HubSpot's {@code numemployees} option that covers it. Phone, employees and score are typed columns, written
 * as data; every other cell is formula-safe ({@link ResultsCsvWriter}).
 */
public final class ResultsExport {
  private ResultsExport() {}

  /** A draft's review as the export shows it: its status and the text that would be sent. */
  public record Reviewed(String status, OutreachDraft text) {}

  /** The review of the draft an outreach record holds; {@code null} = none known (the draft is then pending). */
  @FunctionalInterface
  public interface Reviews {
    Reviews NONE = outreach -> null;

    Reviewed of(StepRecord outreach);
  }

  /** Without review state: every draft is {@code pending}. */
  public static void write(Writer out, List<String> inputColumns, List<RunStore.RunLead> runLeads,
      Map<String, Lead> leadsById, Map<String, StepRecord> steps) throws IOException {
    write(out, inputColumns, runLeads, leadsById, steps, Reviews.NONE);
  }

  public static void write(Writer out, List<String> inputColumns, List<RunStore.RunLead> runLeads,
      Map<String, Lead> leadsById, Map<String, StepRecord> steps, Reviews reviews) throws IOException {
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
        String draftStatus = "";
        if (o != null && o.status() == StepStatus.DONE) {
          Reviewed rv = reviews.of(o);
          OutreachDraft d = rv != null && rv.text() != null ? rv.text() : AgentJson.read(o.resultJson(), OutreachDraft.class);
          row.add(d.subject());
          row.add(d.fullText());
          draftStatus = rv == null ? "pending" : rv.status();
        } else {
          row.add("");
          row.add("");
        }
        row.add(ql == null || ql.icpFit() == null ? "" : ql.icpFit().wire());
        row.add(ql == null || ql.tierReason() == null ? "" : ql.tierReason());
        row.add(draftStatus);
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
