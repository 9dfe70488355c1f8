package dev.salesagent.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The generator's answers are a contract (emulator/README.md: the same seed gives the same bytes). This pins them:
 * for every (schema, text) pair of a corpus — the schemas of {@link SchemaInstanceGeneratorTest} plus schemas whose
 * field names, descriptions, formats and patterns steer every kind of string — the SHA-256 of the answers for 12
 * seeds must equal the digest recorded in {@code schema-instance-golden.txt}. To re-record after an intended change:
 * run with {@code -Dgolden.write=<path of that file>} and review the diff of the answers, not just of the digests.
 */
class SchemaInstanceGoldenTest {

  static final String[] TEXTS = {
    SchemaInstanceGeneratorTest.SOURCE,
    SchemaInstanceGeneratorTest.SIGNATURE,
    "",
    "Met Ana Souza at the expo, she wants a follow-up call.",
    "Call (415) 555-0199 or see https://brightpath.io/pricing, mail m.chen@brightpath.io.",
    "Name: Priya Natarajan\nTitle: Head of Operations\nCompany: Lumen Freight -- Rotterdam | NL\n"
        + "Notes: evaluating three vendors; decision by Q3. Budget: 120k EUR. See lumenfreight.nl or www.lumen.example/about.\n"
        + "\"We lose 2 hours a day to manual re-keying,\" she said. Ticket ABC-1234 is open.",
  };

  static final String[] EXTRA_SCHEMAS = {
    "{\"type\":\"object\",\"required\":[\"quote\",\"evidence\",\"subject\",\"summary\",\"body\",\"reason\",\"notes\",\"title\",\"company\","
        + "\"city\",\"name\",\"contact\",\"domain\",\"website\",\"link\",\"homepage\",\"fax\",\"mobile\",\"mail\",\"other\"],\"properties\":{"
        + "\"quote\":{\"type\":\"string\"},\"evidence\":{\"type\":\"array\",\"minItems\":2,\"items\":{\"type\":\"string\"}},"
        + "\"subject\":{\"type\":\"string\",\"maxLength\":80},\"summary\":{\"type\":\"string\"},\"body\":{\"type\":\"string\",\"maxLength\":1200},"
        + "\"reason\":{\"type\":\"string\",\"minLength\":10,\"maxLength\":200},\"notes\":{\"type\":[\"string\",\"null\"]},"
        + "\"title\":{\"type\":\"string\"},\"company\":{\"type\":\"string\",\"maxLength\":40},\"city\":{\"type\":[\"string\",\"null\"]},"
        + "\"name\":{\"type\":\"string\"},\"contact\":{\"type\":[\"string\",\"null\"]},\"domain\":{\"type\":\"string\"},"
        + "\"website\":{\"type\":[\"string\",\"null\"]},\"link\":{\"type\":\"string\"},\"homepage\":{\"type\":\"string\",\"format\":\"uri\"},"
        + "\"fax\":{\"type\":[\"string\",\"null\"]},\"mobile\":{\"type\":\"string\"},\"mail\":{\"type\":\"string\"},"
        + "\"other\":{\"type\":\"string\",\"description\":\"a short excerpt\"}}}",
    "{\"type\":\"object\",\"required\":[\"a\",\"b\",\"c\",\"d\"],\"properties\":{"
        + "\"a\":{\"type\":\"string\",\"description\":\"two sentences about the lead\"},"
        + "\"b\":{\"type\":\"string\",\"description\":\"the paragraph body\",\"maxLength\":600},"
        + "\"c\":{\"type\":\"string\",\"description\":\"Job title\"},\"d\":{\"type\":\"string\",\"description\":\"Notes\"}}}",
    "{\"type\":\"object\",\"required\":[\"code\",\"ref\",\"alt\",\"bad\",\"look\",\"word\",\"esc\",\"neg\"],\"properties\":{"
        + "\"code\":{\"type\":\"string\",\"pattern\":\"^[A-Z]{3}-\\\\d{4}$\"},\"ref\":{\"type\":[\"string\",\"null\"],\"pattern\":\"^INV-\\\\d+$\"},"
        + "\"alt\":{\"type\":\"string\",\"pattern\":\"^(yes|no)(, because [a-z]+)?$\"},\"bad\":{\"type\":\"string\",\"pattern\":\"([a-\"},"
        + "\"look\":{\"type\":\"string\",\"pattern\":\"^(?=x)x+$\"},\"word\":{\"type\":\"string\",\"pattern\":\"\\\\bq\\\\w+\",\"minLength\":12},"
        + "\"esc\":{\"type\":\"string\",\"pattern\":\"^\\\\.\\\\s\\\\S{2,}\\\\D+?$\",\"maxLength\":20},"
        + "\"neg\":{\"type\":\"string\",\"pattern\":\"^[^a-z0-9 ]{4}(?:_[a-c]*){1,}$\"}}}",
    "{\"type\":\"object\",\"required\":[\"t\",\"h\",\"i\",\"d\",\"u\",\"e\",\"n\",\"x\"],\"properties\":{"
        + "\"t\":{\"type\":\"string\",\"format\":\"time\"},\"h\":{\"type\":\"string\",\"format\":\"hostname\"},"
        + "\"i\":{\"type\":\"string\",\"format\":\"ipv4\"},\"d\":{\"type\":\"string\",\"format\":\"date\",\"maxLength\":4},"
        + "\"u\":{\"type\":\"string\",\"format\":\"uri\",\"maxLength\":12},\"e\":{\"type\":\"string\",\"format\":\"idn-email\",\"maxLength\":5},"
        + "\"n\":{\"type\":\"number\",\"minimum\":-3.5},\"x\":{\"type\":\"integer\",\"maximum\":-7,\"multipleOf\":4}}}",
    "{\"$ref\":\"#/$defs/node\",\"$defs\":{\"node\":{\"type\":\"object\",\"required\":[\"label\",\"children\"],\"properties\":{"
        + "\"label\":{\"type\":\"string\"},\"children\":{\"type\":\"array\",\"maxItems\":2,\"items\":{\"$ref\":\"#/$defs/node\"}}}}}}",
    "{\"type\":\"object\",\"required\":[\"k\"],\"properties\":{\"k\":{\"oneOf\":[{\"$ref\":\"#/$defs/missing\"},{\"type\":\"null\"}]},"
        + "\"m\":{\"allOf\":[{\"allOf\":[{\"properties\":{\"p\":{\"type\":\"string\",\"format\":\"email\"}},\"required\":[\"p\"]}]},"
        + "{\"type\":\"object\",\"properties\":{\"q\":{\"enum\":[null]}},\"required\":[\"q\"]}]},"
        + "\"arr\":{\"type\":\"array\",\"items\":[{\"type\":\"boolean\"},{\"const\":3}],\"minItems\":4},"
        + "\"set\":{\"type\":\"array\",\"items\":{\"type\":\"boolean\"},\"minItems\":3,\"uniqueItems\":true}}}",
    "true",
    "{\"type\":\"array\",\"items\":{\"type\":\"string\",\"description\":\"phone number\"},\"minItems\":3,\"uniqueItems\":true}",
  };

  static final int SEEDS = 12;

  static List<String> schemas() {
    List<String> all = new ArrayList<>(List.of(SchemaInstanceGeneratorTest.SCHEMAS));
    try {
      all.add(SchemaInstanceGeneratorTest.contactSchema().toString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    all.addAll(List.of(EXTRA_SCHEMAS));
    return all;
  }

  /** One line per (schema, text): indexes and the digest of the answers for every seed, plus JSON mode's object. */
  static List<String> digests() throws Exception {
    List<String> out = new ArrayList<>();
    List<String> schemas = schemas();
    for (int s = 0; s < schemas.size(); s++) {
      JsonNode schema = SchemaInstanceGeneratorTest.M.readTree(schemas.get(s));
      for (int t = 0; t < TEXTS.length; t++) {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (long seed = 0; seed < SEEDS; seed++) {
          long sd = seed * 1_000_003L - 5;
          md.update(SchemaInstanceGenerator.generate(schema, sd, TEXTS[t]).toString().getBytes(StandardCharsets.UTF_8));
          md.update((byte) '\n');
          md.update(SchemaInstanceGenerator.generate(schema, sd, TEXTS[t], TEXTS[(t + 1) % TEXTS.length]).toString()
              .getBytes(StandardCharsets.UTF_8));
          md.update((byte) '\n');
        }
        out.add("schema " + s + " text " + t + " " + HexFormat.of().formatHex(md.digest()));
      }
    }
    for (int t = 0; t < TEXTS.length; t++) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (long seed = 0; seed < SEEDS; seed++) {
        md.update(SchemaInstanceGenerator.smallObject(seed * 31, TEXTS[t]).toString().getBytes(StandardCharsets.UTF_8));
      }
      out.add("small-object text " + t + " " + HexFormat.of().formatHex(md.digest()));
    }
    return out;
  }

  @Test
  void answersAreByteIdenticalToTheRecordedOnes() throws Exception {
    List<String> got = digests();
    String write = System.getProperty("golden.write");
    if (write != null) Files.write(Path.of(write), got);
    List<String> want;
    try (InputStream in = getClass().getResourceAsStream("schema-instance-golden.txt")) {
      assertThat(in).as("golden file").isNotNull();
      want = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    assertThat(got).hasSize(schemas().size() * TEXTS.length + TEXTS.length);
    assertThat(got).containsExactlyElementsOf(want);
  }
}
