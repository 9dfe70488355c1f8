package dev.salesagent.agent.pipeline;

import dev.salesagent.agent.lead.Lead;
import dev.salesagent.agent.outreach.OutreachDraft;
import dev.salesagent.agent.outreach.OutreachUseCase;
import dev.salesagent.agent.parse.ContactCard;
import dev.salesagent.agent.parse.ParseUseCase;
import dev.salesagent.agent.pipeline.ResumableSteps.StepFailed;
import dev.salesagent.agent.qualify.Qualification;
import dev.salesagent.agent.qualify.QualifyUseCase;
import dev.salesagent.agent.research.ResearchBrief;
import dev.salesagent.agent.research.ResearchUseCase;
import io.vertx.core.Future;

/**
 * Which steps one lead gets, in which order: with {@code parse}, a contact card from notes that carry contact
 * details; then qualify, and for hot and warm leads research, then outreach built on the brief
 * ({@link Step#prerequisite()}). A cold lead's research and outreach are recorded as skipped, and so is outreach
 * after a failed research. Every call is charged to the run's key ({@link RunInfo#actor()}).
 */
final class LeadChain {
  private final QualifyUseCase qualify;
  private final ResearchUseCase research;
  private final OutreachUseCase outreach;
  private final ParseUseCase parse;

  LeadChain(QualifyUseCase qualify, ResearchUseCase research, OutreachUseCase outreach, ParseUseCase parse) {
    this.qualify = qualify;
    this.research = research;
    this.outreach = outreach;
    this.parse = parse;
  }

  Future<Void> process(ResumableSteps s, Lead lead) {
    return parseNotes(s, lead)
        // a failed parse is recorded; the lead's qualification chain still runs
        .recover(t -> t instanceof StepFailed ? Future.succeededFuture() : Future.failedFuture(t))
        .compose(v -> s.wanted(Step.QUALIFY) ? qualifyChain(s, lead) : Future.succeededFuture());
  }

  /** The {@code parse} step: a contact card from the lead's notes when they carry contact details, else skipped. */
  private Future<Void> parseNotes(ResumableSteps s, Lead lead) {
    if (!s.wanted(Step.PARSE)) return Future.succeededFuture();
    if (parse == null) return s.skip(lead, "parsing is not configured", Step.PARSE);
    String text = lead.notes();
    if (!ParseUseCase.hasContactDetails(text)) return s.skip(lead, "no contact details in notes", Step.PARSE);
    return s.step(lead, Step.PARSE, ContactCard.class,
        () -> parse.parseContact(text, s.requestId(lead, Step.PARSE), s.run.actor())).mapEmpty();
  }

  private Future<Void> qualifyChain(ResumableSteps s, Lead lead) {
    return s.step(lead, Step.QUALIFY, Qualification.class, () -> qualify.qualify(lead, s.requestId(lead, Step.QUALIFY), s.run.actor()))
        .compose(q -> {
          if (!s.wanted(Step.RESEARCH)) return Future.succeededFuture();
          if (!q.tier().engaged()) return s.skip(lead, "tier " + q.tier().wire(), Step.RESEARCH, Step.OUTREACH);
          return s.step(lead, Step.RESEARCH, ResearchBrief.class,
                  () -> research.research(lead, q, s.requestId(lead, Step.RESEARCH), s.run.actor()))
              .recover(t -> t instanceof StepFailed
                  ? s.skip(lead, "research failed", Step.OUTREACH).compose(x -> Future.failedFuture(t))
                  : Future.failedFuture(t))
              .compose(brief -> {
                if (!s.wanted(Step.OUTREACH)) return Future.succeededFuture();
                return s.step(lead, Step.OUTREACH, OutreachDraft.class,
                    () -> outreach.draft(lead, brief, s.requestId(lead, Step.OUTREACH), s.run.actor())).mapEmpty();
              });
        });
  }
}
