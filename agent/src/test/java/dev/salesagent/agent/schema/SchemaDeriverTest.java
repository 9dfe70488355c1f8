package dev.salesagent.agent.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.salesagent.agent.outreach.OutreachContent;
import dev.salesagent.agent.parse.ContactCard;
import dev.salesagent.agent.qualify.QualificationAssessment;
import dev.salesagent.agent.research.ResearchBrief;
import dev.salesagent.emulator.SchemaInstanceGenerator;
import java.lang.reflect.RecordComponent;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaDeriverTest {
  static final List<Class<? extends Record>> TYPES =
      List.of(QualificationAssessment.class, ResearchBrief.class, OutreachContent.class, ContactCard.class);

  @Test
  void qualificationSchemaIsStrictAndBounded() {
    ObjectNode s = SchemaDeriver.schema(QualificationAssessment.class);
    assertThat(s.get("type").asText()).isEqualTo("object");
    assertThat(s.get("additionalProperties").asBoolean()).isFalse();
    assertThat(s.get("required")).extracting(JsonNode::asText)
        .containsExactly("budget", "authority", "need", "timeline", "icp_fit", "icp_evidence", "reasons", "disqualifiers");
    JsonNode budget = s.at("/properties/budget");
    assertThat(budget.at("/properties/score/minimum").asInt()).isZero();
    assertThat(budget.at("/properties/score/maximum").asInt()).isEqualTo(25);
    assertThat(budget.at("/properties/evidence/type")).extracting(JsonNode::asText).containsExactly("string", "null");
    assertThat(budget.get("additionalProperties").asBoolean()).isFalse();
    assertThat(s.at("/properties/icp_fit/enum")).extracting(JsonNode::asText).containsExactly("strong", "partial", "none");
    assertThat(s.at("/properties/reasons/minItems").asInt()).isEqualTo(1);
    assertThat(s.at("/properties/reasons/maxItems").asInt()).isEqualTo(5);
    assertThat(s.at("/properties/disqualifiers/items/properties/code/enum")).hasSize(7);
  }

  @Test
  void everyRecordComponentIsARequiredPropertyAndNothingElse() {
    for (Class<? extends Record> t : TYPES) check(t, SchemaDeriver.schema(t));
  }

  private static void check(Class<?> t, JsonNode s) {
    RecordComponent[] cs = t.getRecordComponents();
    assertThat(s.get("properties").size()).as(t.getSimpleName()).isEqualTo(cs.length);
    for (RecordComponent c : cs) {
      String n = AgentJson.snake(c.getName());
      assertThat(s.get("properties").has(n)).as(t.getSimpleName() + "." + n).isTrue();
      JsonNode p = s.get("properties").get(n);
      if (c.getType().isRecord()) check(c.getType(), p);
      if (c.getType() == List.class && p.at("/items/type").asText().equals("object")) {
        var arg = (Class<?>) ((java.lang.reflect.ParameterizedType) c.getGenericType()).getActualTypeArguments()[0];
        check(arg, p.get("items"));
      }
    }
    assertThat(s.get("required").size()).isEqualTo(cs.length);
  }

  @Test
  void schemaCopiesAreIndependent() {
    ObjectNode a = SchemaDeriver.schema(ContactCard.class);
    a.put("mutated", true);
    assertThat(SchemaDeriver.schema(ContactCard.class).has("mutated")).isFalse();
  }

  @Test
  void emulatorInstancesValidateAndMapForEveryType() throws Exception {
    String src = "Name: Dana Reyes\nJob title: VP of Sales\nCompany: Northwind\nNotes: call dana@northwind.com";
    for (Class<? extends Record> t : TYPES) {
      for (long seed = 0; seed < 40; seed++) {
        JsonNode inst = SchemaInstanceGenerator.generate(SchemaDeriver.schema(t), seed, src);
        assertThat(SchemaValidator.validate(SchemaDeriver.schema(t), inst)).as(t.getSimpleName() + " " + inst).isEmpty();
      }
    }
  }

  @Test
  void validatorNamesEveryViolationWithItsPath() throws Exception {
    JsonNode bad = AgentJson.MAPPER.readTree("""
        {"budget":{"score":30,"evidence":null},"authority":{"score":"high","evidence":"x"},
         "need":{"score":1},"timeline":{"score":0,"evidence":null,"extra":1},"icp_fit":"perfect",
         "icp_evidence":null,"reasons":[],"disqualifiers":[]}""");
    List<String> errors = SchemaValidator.validate(SchemaDeriver.schema(QualificationAssessment.class), bad);
    assertThat(errors).anyMatch(e -> e.startsWith("$.budget.score: 30 is above the maximum 25"))
        .anyMatch(e -> e.startsWith("$.authority.score: expected integer"))
        .anyMatch(e -> e.equals("$.need: missing required property 'evidence'"))
        .anyMatch(e -> e.startsWith("$.timeline: unexpected property 'extra'"))
        .anyMatch(e -> e.startsWith("$.icp_fit: \"perfect\" is not one of"))
        .anyMatch(e -> e.startsWith("$.reasons: needs at least 1 items"));
  }
}
