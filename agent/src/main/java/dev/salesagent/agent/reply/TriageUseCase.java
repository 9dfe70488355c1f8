package dev.salesagent.agent.reply;

import dev.salesagent.agent.access.Actor;
import dev.salesagent.agent.lead.Evidence;
import dev.salesagent.agent.prompt.PromptTemplate;
import dev.salesagent.agent.schema.StructuredCaller;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Triage of an inbound reply: the {@link FreeRules} first (no model, no cost), else the router's {@code triage} task
 * (Cerebras first by default) through the structured-output path. The model's evidence must be a quote of the reply
 * ({@link Evidence#foundIn}, the check the qualifier applies to BANT evidence); a miss gets the one repair call.
 */
public final class TriageUseCase {
  public static final String TASK = "triage";
  public static final int MAX_TEXT = 6000;
  private final FreeRules rules;
  private final StructuredCaller caller;
  private final PromptTemplate template;

  public TriageUseCase(FreeRules rules, StructuredCaller caller) {
    this.rules = rules;
    this.caller = caller;
    this.template = PromptTemplate.load("triage", "v1");
  }

  public Future<Triage> triage(InboundReply reply, String requestId, Actor actor) {
    var free = rules.decide(reply);
    if (free.isPresent()) return Future.succeededFuture(free.get());
    String text = modelText(reply);
    if (text.isBlank()) return Future.succeededFuture(Triage.byRule(ReplyCategory.OTHER, "empty", "(no text)"));
    var prompt = template.render(Map.of("text", text));
    return caller.call(TASK, ReplyAssessment.class, prompt, requestId, actor.keyId(), 200, a -> check(a, text))
        .map(r -> new Triage(r.value().category(), r.value().evidence(), "model", null, r.provider(), r.model(),
            r.costUsd(), requestId));
  }

  /** What the model reads: the subject and the reply's own words (quoted history already cut), bounded. */
  static String modelText(InboundReply r) {
    String t = (r.subject().isBlank() ? "" : "Subject: " + r.subject() + "\n\n") + r.text();
    return t.length() > MAX_TEXT ? t.substring(0, MAX_TEXT) : t;
  }

  static List<String> check(ReplyAssessment a, String text) {
    List<String> errors = new ArrayList<>();
    if (!Evidence.foundIn(a.evidence(), text)) errors.add("$.evidence: \"" + a.evidence() + "\" is not quoted from the reply");
    return errors;
  }
}
