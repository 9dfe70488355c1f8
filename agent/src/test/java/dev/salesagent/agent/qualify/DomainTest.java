package dev.salesagent.agent.qualify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.salesagent.agent.lead.Company;
import dev.salesagent.agent.lead.Evidence;
import dev.salesagent.agent.lead.Lead;
import dev.salesagent.agent.lead.LeadCard;
import dev.salesagent.agent.outreach.OutreachContent;
import dev.salesagent.agent.outreach.OutreachDraft;
import dev.salesagent.agent.outreach.OutreachUseCase;
import dev.salesagent.agent.outreach.PersonalisationPoint;
import dev.salesagent.agent.parse.ContactCard;
import dev.salesagent.agent.parse.ParseUseCase;
import dev.salesagent.agent.research.LeadField;
import dev.salesagent.agent.research.ResearchBrief;
import dev.salesagent.agent.research.ResearchUseCase;
import dev.salesagent.agent.research.SourcedPoint;
import dev.salesagent.agent.schema.AgentJson;
import dev.salesagent.agent.testing.Leads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DomainTest {
  @Test
  void leadIsValidatedAndNormalisedOnConstruction() {
    Lead l = new Lead(null, "  Dana ", "", " Dana.Reyes@Northwind.COM ", null, null, null, null, null, null, null, null);
    assertThat(l.email()).isEqualTo("dana.reyes@northwind.com");
    assertThat(l.firstName()).isEqualTo("Dana");
    assertThat(l.lastName()).isNull();
    assertThat(l.id()).isEqualTo(Lead.idFor("DANA.REYES@northwind.com")).startsWith("L-").hasSize(18);
    assertThatThrownBy(() -> Lead.of("a", "b", "not-an-email", null, null)).hasMessageContaining("not a valid address");
    assertThatThrownBy(() -> Lead.of("a", "b", "  ", null, null)).hasMessageContaining("email is required");
    assertThatThrownBy(() -> new Lead(null, null, null, "a@b.co", null, null, "12", null, null, null, null, null)).hasMessageContaining("phone");
    assertThatThrownBy(() -> dev.salesagent.agent.lead.EmployeeCount.exactly(-1)).hasMessageContaining("employees");
    assertThatThrownBy(() -> new Lead(null, "x".repeat(301), null, "a@b.co", null, null, null, null, null, null, null, null)).hasMessageContaining("longer than 300");
  }

  @Test
  void companyDomainFromWebsiteElseBusinessEmail() {
    assertThat(Company.of(Leads.vp()).domain()).isEqualTo("northwind-logistics.com");
    assertThat(Company.of(Lead.of("a", "b", "a@acme.io", "Acme", null)).domain()).isEqualTo("acme.io");
    assertThat(Company.of(Leads.student()).domain()).isNull();
    assertThat(Company.domainOf("HTTPS://www.Acme.com:443/about?x")).isEqualTo("acme.com");
    assertThat(Company.domainOf("not a site")).isNull();
  }

  @Test
  void evidenceIsACaseAndWhitespaceInsensitiveQuote() {
    String card = LeadCard.render(Leads.vp());
    assertThat(Evidence.foundIn("budget APPROVED   for q1", card)).isTrue();
    assertThat(Evidence.foundIn("\u201cVP of Sales.\u201d", card)).isTrue();
    assertThat(Evidence.foundIn("budget of $2M", card)).isFalse();
    assertThat(Evidence.foundIn("  ", card)).isFalse();
    assertThat(Evidence.unsupportedNumber("850 people, 40% growth", card)).isEqualTo("40");
    assertThat(Evidence.unsupportedNumber("850 people in Q1", card)).isNull();
  }

  static BantCriterion c(int s, String e) {
    return new BantCriterion(s, e);
  }

  @Test
  void qualificationInvariants() {
    assertThatThrownBy(() -> c(26, "x")).hasMessageContaining("0..25");
    assertThatThrownBy(() -> c(5, null)).hasMessageContaining("needs evidence");
    assertThat(c(0, " ").evidence()).isNull();
    assertThatThrownBy(() -> new Qualification(50, Tier.WARM, c(10, "a"), c(10, "b"), c(10, "c"), c(10, "d"), IcpFit.STRONG, "x",
        List.of("r"), List.of(), List.of(), "next", "v")).hasMessageContaining("not the BANT sum 40");
    assertThatThrownBy(() -> new Qualification(40, Tier.WARM, c(10, "a"), c(10, "b"), c(10, "c"), c(10, "d"), IcpFit.STRONG, "x",
        List.of("r"), List.of(new Disqualifier(DisqualifierCode.COMPETITOR, "x")), List.of(), "next", "v"))
        .hasMessageContaining("must be tier disqualified");
    assertThatThrownBy(() -> new QualificationAssessment(c(0, null), c(0, null), c(0, null), c(0, null), IcpFit.PARTIAL, null, List.of("r"), List.of()))
        .hasMessageContaining("icp_evidence");
  }

  @Test
  void rubricTiersComeFromConfigurationAndCaps() {
    Rubric r = new Rubric(ScoringConfig.defaults());
    Lead vp = Leads.vp();
    var hot = new QualificationAssessment(c(20, "Budget approved"), c(25, "VP of Sales"), c(15, "two days"), c(10, "this quarter"),
        IcpFit.STRONG, "Logistics", List.of("fits"), List.of());
    assertThat(r.apply(hot, vp).tier()).isEqualTo(Tier.HOT);
    assertThat(r.apply(hot, vp).score()).isEqualTo(70);
    var partial = new QualificationAssessment(hot.budget(), hot.authority(), hot.need(), hot.timeline(), IcpFit.PARTIAL, "Logistics", List.of("fits"), List.of());
    assertThat(r.apply(partial, vp).tier()).isEqualTo(Tier.WARM);
    var none = new QualificationAssessment(hot.budget(), hot.authority(), hot.need(), hot.timeline(), IcpFit.NONE, null, List.of("fits"), List.of());
    assertThat(r.apply(none, vp).tier()).isEqualTo(Tier.COLD);
    var low = new QualificationAssessment(c(5, "Budget"), c(5, "VP"), c(5, "leads"), c(5, "tools"), IcpFit.STRONG, "x", List.of("meh"), List.of());
    assertThat(r.apply(low, vp).tier()).isEqualTo(Tier.COLD);
    // a disqualifier the quote does not show is kept for audit but does not count
    var unsupported = new QualificationAssessment(hot.budget(), hot.authority(), hot.need(), hot.timeline(), IcpFit.STRONG, "x",
        List.of("r"), List.of(new Disqualifier(DisqualifierCode.COMPETITOR, "Northwind Logistics")));
    Qualification q = r.apply(unsupported, vp);
    assertThat(q.tier()).isEqualTo(Tier.HOT);
    assertThat(q.unconfirmedDisqualifiers()).hasSize(1);
    var supported = new QualificationAssessment(hot.budget(), hot.authority(), hot.need(), hot.timeline(), IcpFit.STRONG, "x",
        List.of("r"), List.of(new Disqualifier(DisqualifierCode.COMPETITOR, "we lose deals to faster competitors")));
    assertThat(r.apply(supported, vp).tier()).isEqualTo(Tier.DISQUALIFIED);
    // rule-based: the job title says student
    assertThat(r.ruleDisqualifiers(Leads.student())).extracting(Disqualifier::code).containsExactly(DisqualifierCode.STUDENT_OR_JOB_SEEKER);
  }

  @Test
  void qualificationRoundTripsThroughJson() {
    Qualification q = new Rubric(ScoringConfig.defaults()).apply(new QualificationAssessment(c(20, "Budget approved"), c(25, "VP of Sales"),
        c(15, "two days"), c(10, "this quarter"), IcpFit.STRONG, "Logistics", List.of("fits"), List.of()), Leads.vp());
    String json = AgentJson.write(q);
    assertThat(json).contains("\"tier\":\"hot\"").contains("\"icp_fit\":\"strong\"").contains("\"next_action\"");
    assertThat(AgentJson.read(json, Qualification.class)).isEqualTo(q);
  }

  @Test
  void scoringConfigOverrideFileAndUnknownKeys(@TempDir Path dir) throws Exception {
    String yaml = new String(getClass().getResourceAsStream("/sales-agent/scoring.yaml").readAllBytes())
        .replace("hot: 70 ", "hot: 90 ").replace("version: default-2026-11", "version: strict-1");
    Path f = dir.resolve("icp.yaml");
    Files.writeString(f, yaml);
    ScoringConfig c = ScoringConfig.resolve(null, Map.of("SALES_AGENT_ICP", f.toString()));
    assertThat(c.rubric().hot()).isEqualTo(90);
    assertThat(c.version()).isEqualTo("strict-1");
    Files.writeString(f, yaml.replace("  hot: 90", "  hott: 90\n  hot: 90"));
    assertThatThrownBy(() -> ScoringConfig.load(f)).hasMessageContaining("unknown key 'hott'").hasMessageContaining("rubric");
    Files.writeString(f, yaml.replace("warm: 40", "warm: 95"));
    assertThatThrownBy(() -> ScoringConfig.load(f)).hasMessageContaining("warm < hot");
  }

  @Test
  void outreachDraftRulesAndGrounding() {
    var pp = List.of(new PersonalisationPoint("slow response", "two days"));
    assertThatThrownBy(() -> new OutreachDraft("Re: your demo", "Hi", pp, "Worth a chat?", "unsub")).hasMessageContaining("fake a reply");
    assertThatThrownBy(() -> new OutreachDraft("Hi [First Name]", "Hi", pp, "Worth a chat?", "unsub")).hasMessageContaining("placeholder");
    assertThatThrownBy(() -> new OutreachDraft("Hello", "Hi {{company}}", pp, "Worth a chat?", "unsub")).hasMessageContaining("placeholder");
    assertThatThrownBy(() -> new OutreachDraft("Hello", "Hi", List.of(), "Worth a chat?", "unsub")).hasMessageContaining("personalisation");
    assertThatThrownBy(() -> new OutreachDraft("Hello", "word ".repeat(230), pp, "Worth a chat?", "unsub")).hasMessageContaining("230 words");
    OutreachDraft d = new OutreachDraft("Faster lead response", "Hi Dana, two days is long.", pp, "Worth a chat?", "Reply unsubscribe.");
    assertThat(d.fullText()).isEqualTo("Hi Dana, two days is long.\n\nWorth a chat?\n\nReply unsubscribe.");
    String sources = LeadCard.render(Leads.vp());
    var invented = new OutreachContent("Cut response time by 80%", "Hi Dana, teams like Acme saw 3x more meetings.",
        List.of(new PersonalisationPoint("growth", "doubled revenue")), "Worth a chat?");
    assertThat(OutreachUseCase.check(invented, sources, "unsub")).anyMatch(e -> e.contains("doubled revenue"))
        .anyMatch(e -> e.contains("figure 80")).anyMatch(e -> e.contains("figure 3"));
    var grounded = new OutreachContent("Two-day lead response at Northwind", "Hi Dana, you mentioned reps take two days to answer web leads.",
        List.of(new PersonalisationPoint("slow response", "our reps take two days")), "Would faster routing help this quarter?");
    assertThat(OutreachUseCase.check(grounded, sources.replace("2 days", "two days"), "unsub")).isEmpty();
  }

  @Test
  void researchPointsMustQuoteTheLeadAndAreAttributedToTheirField() {
    Lead vp = Leads.vp();
    String card = LeadCard.render(vp);
    var brief = new ResearchBrief("Northwind sells freight.",
        List.of(new SourcedPoint("Slow responses", LeadField.COMPANY, "take 2 days to answer web leads")),
        List.of(new SourcedPoint("Budget is approved", LeadField.NOTES, "Budget approved for Q1")),
        List.of(new SourcedPoint("850 staff", LeadField.EMPLOYEES, "Employees: 850")));
    assertThat(ResearchUseCase.check(brief, card)).isEmpty();
    ResearchBrief fixed = ResearchUseCase.attribute(brief, vp);
    assertThat(fixed.likelyPains().get(0).source()).isEqualTo(LeadField.NOTES);
    assertThat(fixed.talkingPoints().get(0).source()).isEqualTo(LeadField.EMPLOYEES);
    var invented = new ResearchBrief("They raised 20M.", List.of(new SourcedPoint("x", LeadField.NOTES, "raised a Series B")), List.of(),
        List.of(new SourcedPoint("y", LeadField.NOTES, "Budget approved")));
    assertThat(ResearchUseCase.check(invented, card)).hasSize(2);
  }

  @Test
  void contactCardValuesMustOccurInTheText() {
    String sig = "Best,\nDana Reyes | VP of Sales\nNorthwind Logistics\nd.reyes@northwind.com · +1 (312) 555-0142\nnorthwind.com";
    var ok = new ContactCard("Dana Reyes", "VP of Sales", "Northwind Logistics", "d.reyes@northwind.com", "+1 312 555 0142", "northwind.com");
    assertThat(ParseUseCase.check(ok, sig)).isEmpty();
    var invented = new ContactCard("Dana Reyes", "CEO", null, "dana@northwind.com", "+1 312 555 9999", null);
    assertThat(ParseUseCase.check(invented, sig)).hasSize(3);
    assertThatThrownBy(() -> new ContactCard(null, null, null, null, null, null)).hasMessageContaining("at least one");
    assertThatThrownBy(() -> new ContactCard("x", null, null, "not-an-email", null, null)).hasMessageContaining("valid address");
    assertThatThrownBy(() -> new ContactCard("x", null, null, null, null, "no site")).hasMessageContaining("web address");
  }
}
