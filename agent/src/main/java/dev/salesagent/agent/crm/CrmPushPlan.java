package dev.salesagent.agent.crm;

import dev.salesagent.agent.lead.Lead;
import dev.salesagent.agent.outreach.OutreachDraft;
import dev.salesagent.agent.pipeline.LeadRepository;
import dev.salesagent.agent.pipeline.RunStore;
import dev.salesagent.agent.pipeline.Step;
import dev.salesagent.agent.pipeline.StepRecord;
import dev.salesagent.agent.pipeline.StepStatus;
import dev.salesagent.agent.qualify.Qualification;
import dev.salesagent.agent.research.ResearchBrief;
import dev.salesagent.agent.schema.AgentJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The records to push for a run: one per lead of the run, in input order, with the done qualification, the research
 * brief and the approved draft ({@link DraftApprovals}: as the reviewer left it). A lead without a done qualification is still listed (its
 * contact is written with what is known: nothing is silently left out). Blocking (reads the store).
 */
public final class CrmPushPlan {
  private CrmPushPlan() {}

  public static List<PushRecord> forRun(String runId, RunStore runs, LeadRepository leads, DraftApprovals approvals) {
    List<RunStore.RunLead> runLeads = runs.runLeads(runId);
    Map<String, StepRecord> steps = runs.steps(runId);
    Map<String, Lead> byId = leads.findAll(runLeads.stream().map(RunStore.RunLead::leadId).toList()).stream()
        .collect(Collectors.toMap(Lead::id, Function.identity(), (a, b) -> a));
    List<PushRecord> out = new ArrayList<>(runLeads.size());
    for (RunStore.RunLead rl : runLeads) {
      Lead lead = byId.get(rl.leadId());
      if (lead == null) continue; // erased since the run: nothing of that person goes anywhere
      Qualification q = done(steps, rl.leadId(), Step.QUALIFY, Qualification.class);
      ResearchBrief brief = done(steps, rl.leadId(), Step.RESEARCH, ResearchBrief.class);
      OutreachDraft recorded = done(steps, rl.leadId(), Step.OUTREACH, OutreachDraft.class);
      OutreachDraft draft = recorded == null ? null : approvals.approved(runId, rl.leadId(), recorded);
      out.add(new PushRecord(lead, runId,
          q == null ? null : q.score(), q == null ? null : q.tier().wire(), q == null ? null : q.tierReason(),
          q == null ? null : q.nextAction(), q == null || q.icpFit() == null ? null : q.icpFit().wire(),
          draft == null ? null : draft.subject(), draft == null ? null : draft.fullText(),
          brief == null ? null : brief.render()));
    }
    return out;
  }

  private static <T> T done(Map<String, StepRecord> steps, String leadId, Step step, Class<T> type) {
    StepRecord r = steps.get(StepRecord.key(leadId, step));
    return r != null && r.status() == StepStatus.DONE ? AgentJson.read(r.resultJson(), type) : null;
  }
}
