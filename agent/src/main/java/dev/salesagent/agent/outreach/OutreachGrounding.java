package dev.salesagent.agent.outreach;

import dev.salesagent.agent.lead.Lead;
import dev.salesagent.agent.lead.LeadCard;
import dev.salesagent.agent.prompt.PromptTemplate;
import dev.salesagent.agent.qualify.ScoringConfig;
import dev.salesagent.agent.research.ResearchBrief;
import java.util.List;
import java.util.Map;

/**
 * The outreach prompt and the sources a draft may draw on: the rendered prompt (lead card and research brief) plus
 * the sender's offering, company and name. One place, so a draft the model wrote and a draft a person edited in the
 * review queue are checked against exactly the same text ({@link OutreachUseCase#check}).
 */
public final class OutreachGrounding {
  private final ScoringConfig config;
  private final PromptTemplate template;

  public OutreachGrounding(ScoringConfig config) {
    this.config = config;
    this.template = PromptTemplate.load("outreach", "v1");
  }

  public ScoringConfig config() { return config; }

  /** The prompt that drafts an email for {@code lead} from {@code brief}. */
  public PromptTemplate.Rendered prompt(Lead lead, ResearchBrief brief) {
    var s = config.sender();
    return template.render(Map.of("sender_name", s.name(), "sender_title", s.title() == null ? "" : s.title(),
        "sender_company", s.company(), "offering", s.offering(), "lead", LeadCard.render(lead), "brief", brief.render()));
  }

  /** Everything a draft's quotes and figures may come from. */
  public String sources(PromptTemplate.Rendered prompt) {
    var s = config.sender();
    return prompt.user() + "\n" + s.offering() + "\n" + s.company() + "\n" + s.name();
  }

  /** The grounding violations of {@code content} written for {@code lead} from {@code brief}; empty = grounded. */
  public List<String> check(Lead lead, ResearchBrief brief, OutreachContent content) {
    return OutreachUseCase.check(content, sources(prompt(lead, brief)), config.sender().unsubscribeLine());
  }

  /** The stored draft {@code content} becomes: the unsubscribe line from configuration. */
  public OutreachDraft toDraft(OutreachContent content) {
    return OutreachUseCase.toDraft(content, config.sender().unsubscribeLine());
  }
}
