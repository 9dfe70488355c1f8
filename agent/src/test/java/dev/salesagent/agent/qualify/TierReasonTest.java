package dev.salesagent.agent.qualify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.salesagent.agent.lead.Lead;
import dev.salesagent.agent.schema.AgentJson;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reported case: a score of 84 showed as cold with nothing saying why (the ICP cap was not exported). */
class TierReasonTest {
  final Rubric rubric = new Rubric(ScoringConfig.defaults());
  final Lead lead = Lead.of("Dana", "Reyes", "dana@northwind.com", "Northwind", "VP Sales");

  static BantCriterion c(int s) {
    return new BantCriterion(s, "VP Sales");
  }

  @Test
  void aHighScoreCappedByTheIcpFitSaysSo() {
    var a = new QualificationAssessment(c(21), c(21), c(21), c(21), IcpFit.NONE, null, List.of("strong intent"), List.of());
    Qualification q = rubric.apply(a, lead);
    assertThat(q.score()).isEqualTo(84);
    assertThat(q.tier()).isEqualTo(Tier.COLD);
    assertThat(q.icpFit()).isEqualTo(IcpFit.NONE);
    assertThat(q.tierReason()).isEqualTo("score 84 would be hot (≥ 70); ICP fit none caps it at cold");
  }

  @Test
  void everyTierHasAReason() {
    assertThat(rubric.apply(new QualificationAssessment(c(20), c(20), c(20), c(20), IcpFit.STRONG, "VP Sales",
        List.of("r"), List.of()), lead).tierReason()).isEqualTo("score 80 ≥ hot 70");
    assertThat(rubric.apply(new QualificationAssessment(c(5), c(5), c(5), c(5), IcpFit.STRONG, "VP Sales",
        List.of("r"), List.of()), lead).tierReason()).isEqualTo("score 20 < warm 40");
    assertThat(rubric.apply(new QualificationAssessment(c(20), c(20), c(20), c(20), IcpFit.PARTIAL, "VP Sales",
        List.of("r"), List.of()), lead).tierReason()).isEqualTo("score 80 would be hot (≥ 70); ICP fit partial caps it at warm");
  }

  @Test
  void recordsWrittenBeforeTheReasonExistedStillRead() {
    String old = "{\"score\":0,\"tier\":\"cold\",\"budget\":{\"score\":0,\"evidence\":null},\"authority\":{\"score\":0,"
        + "\"evidence\":null},\"need\":{\"score\":0,\"evidence\":null},\"timeline\":{\"score\":0,\"evidence\":null},"
        + "\"icp_fit\":\"none\",\"icp_evidence\":null,\"reasons\":[\"r\"],\"disqualifiers\":[],"
        + "\"unconfirmed_disqualifiers\":[],\"next_action\":\"n\",\"rubric_version\":\"v\"}";
    Qualification q = AgentJson.read(old, Qualification.class);
    assertThat(q.tierReason()).isNull();
    assertThat(AgentJson.read(AgentJson.write(rubric.beforeModel(Lead.of(null, null, "a@b.co", null, "No longer with the company"))),
        Qualification.class).icpFit()).isNull();
  }
}
