package dev.salesagent.agent.schema;

import dev.salesagent.agent.access.Actor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.salesagent.agent.lead.LeadCard;
import dev.salesagent.agent.qualify.QualifyUseCase;
import dev.salesagent.agent.qualify.Qualification;
import dev.salesagent.agent.qualify.ScoringConfig;
import dev.salesagent.agent.qualify.Tier;
import dev.salesagent.agent.testing.FakeRouter;
import dev.salesagent.agent.testing.Leads;
import dev.salesagent.router.model.Message;
import dev.salesagent.router.model.Role;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StructuredCallerTest {
  final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close();
  }

  static final String VALID = """
      {"budget":{"score":20,"evidence":"Budget approved for Q1"},
       "authority":{"score":25,"evidence":"VP of Sales"},
       "need":{"score":22,"evidence":"our reps take 2 days to answer web leads"},
       "timeline":{"score":18,"evidence":"evaluating tools this quarter"},
       "icp_fit":"strong","icp_evidence":"Logistics and Supply Chain",
       "reasons":["VP of Sales with an approved budget","slow lead response is their stated pain"],
       "disqualifiers":[]}""";

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void validFirstAnswerIsScoredByTheRubric() throws Exception {
    FakeRouter router = new FakeRouter(vertx, null, 0).script(r -> VALID);
    var uc = new QualifyUseCase(new StructuredCaller(router), ScoringConfig.defaults());
    var r = await(uc.qualify(Leads.vp(), "t:1", Actor.operator()));
    Qualification q = r.value();
    assertThat(q.score()).isEqualTo(85);
    assertThat(q.tier()).isEqualTo(Tier.HOT);
    assertThat(q.nextAction()).contains("24 hours");
    assertThat(r.calls()).isEqualTo(1);
    assertThat(r.promptId()).isEqualTo("qualify.v1");
    assertThat(router.requests.get(0).task()).isEqualTo("qualification");
    assertThat(router.requests.get(0).requestId()).isEqualTo("t:1:1");
    // the last user message is exactly the lead text, so quotes can be taken from it
    var msgs = router.requests.get(0).chat().messages();
    assertThat(msgs.get(msgs.size() - 1).content()).isEqualTo(LeadCard.render(Leads.vp()));
  }

  @Test
  void invalidThenValidIsRepairedOnceQuotingTheErrors() throws Exception {
    String invented = VALID.replace("Budget approved for Q1", "They have a $2M budget");
    FakeRouter router = new FakeRouter(vertx, null, 0);
    router.script(r -> router.calls() == 1 ? invented : VALID);
    var uc = new QualifyUseCase(new StructuredCaller(router), ScoringConfig.defaults());
    var r = await(uc.qualify(Leads.vp(), "t:2", Actor.operator()));
    assertThat(r.calls()).isEqualTo(2);
    assertThat(r.requestIds()).containsExactly("t:2:1", "t:2:2");
    var repair = router.requests.get(1).chat().messages();
    assertThat(repair).hasSize(4);
    assertThat(repair.get(2).role()).isEqualTo(Role.ASSISTANT);
    assertThat(repair.get(2).content()).contains("$2M budget");
    Message last = repair.get(3);
    assertThat(last.content()).contains("$.budget.evidence: \"They have a $2M budget\" is not an exact quote from the lead text")
        .endsWith(LeadCard.render(Leads.vp()));
    assertThat(r.value().score()).isEqualTo(85);
  }

  @Test
  void twoInvalidAnswersFailClearlyWithEveryError() {
    FakeRouter router = new FakeRouter(vertx, null, 0).script(r -> "{\"budget\": {\"score\": 99}}");
    var uc = new QualifyUseCase(new StructuredCaller(router), ScoringConfig.defaults());
    assertThatThrownBy(() -> await(uc.qualify(Leads.vp(), "t:3", Actor.operator())))
        .isInstanceOf(ExecutionException.class).cause()
        .isInstanceOfSatisfying(StructuredOutputException.class, e -> {
          assertThat(e.calls()).isEqualTo(2);
          assertThat(e.task()).isEqualTo("qualification");
          assertThat(e.errors()).anyMatch(m -> m.contains("$.budget.score: 99 is above the maximum 25"))
              .anyMatch(m -> m.contains("missing required property 'authority'"));
          assertThat(e.getMessage()).contains("invalid after one repair attempt");
          assertThat(e.costUsd()).isPositive();
        });
    assertThat(router.calls()).isEqualTo(2);
  }

  @Test
  void notJsonAndConstructorRulesAreRepairable() throws Exception {
    FakeRouter router = new FakeRouter(vertx, null, 0);
    // first: a score without evidence (constructor rule), second: fenced valid JSON
    router.script(r -> router.calls() == 1
        ? VALID.replace("\"score\":25,\"evidence\":\"VP of Sales\"", "\"score\":25,\"evidence\":null")
        : "```json\n" + VALID + "\n```");
    var uc = new QualifyUseCase(new StructuredCaller(router), ScoringConfig.defaults());
    var r = await(uc.qualify(Leads.vp(), "t:4", Actor.operator()));
    assertThat(r.calls()).isEqualTo(2);
    assertThat(router.requests.get(1).chat().messages().get(3).content())
        .contains("$.authority: a BANT sub-score above 0 needs evidence quoted from the lead");
  }

  @Test
  void hardDisqualifierRuleWinsOverAHighScore() throws Exception {
    FakeRouter router = new FakeRouter(vertx, null, 0).script(r -> VALID
        .replace("Budget approved for Q1", "Researching CRM tools").replace("VP of Sales", "Student")
        .replace("our reps take 2 days to answer web leads", "class project")
        .replace("evaluating tools this quarter", "Researching CRM tools for a class project")
        .replace("Logistics and Supply Chain", "State University"));
    var uc = new QualifyUseCase(new StructuredCaller(router), ScoringConfig.defaults());
    var q = await(uc.qualify(Leads.student(), "t:5", Actor.operator())).value();
    assertThat(q.tier()).isEqualTo(Tier.DISQUALIFIED);
    assertThat(q.disqualifiers()).hasSize(1);
    assertThat(q.disqualifiers().get(0).evidence()).isEqualTo("Student");
    assertThat(q.nextAction()).contains("Do not contact");
  }
}
