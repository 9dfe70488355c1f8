package dev.salesagent.agent.csv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.salesagent.agent.lead.ContactCleaner;
import dev.salesagent.agent.lead.EmployeeCount;
import dev.salesagent.agent.lead.Lead;
import dev.salesagent.agent.pipeline.ResultsExport;
import dev.salesagent.agent.pipeline.RunStore;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.junit.jupiter.api.Test;

/** The reported import/export damage: placeholder phones rejecting leads, 51-200 becoming 51, apostrophes before +. */
class ContactCleaningTest {
  static final String HEADER = "First Name,Last Name,Email,Company,Phone Number,Number of Employees,Country,Notes\n";

  @Test
  void placeholderPhonesAreBlankedWithAWarningAndTheLeadKept() throws Exception {
    var r = new LeadCsvImporter().read(new StringReader(HEADER
        + "Ana,Ruiz,ana@orbit.io,Orbit,n/a,51-200,Spain,x\n"
        + "Tom,Baker,tom@acme.com,Acme,TBD,10,United States,y\n"
        + "Li,Wei,li@big.cn,Big,-,5000+,China,z\n"
        + "Kim,Park,kim@k.kr,K,call me maybe,12,South Korea,w\n"));
    assertThat(r.leads()).extracting(Lead::email).containsExactly("ana@orbit.io", "tom@acme.com", "li@big.cn", "kim@k.kr");
    assertThat(r.leads()).allMatch(l -> l.phone() == null);
    assertThat(r.issues()).extracting(ImportIssue::toString).containsExactly(
        "line 2: warning: Phone Number 'n/a' is a placeholder; left empty",
        "line 3: warning: Phone Number 'TBD' is a placeholder; left empty",
        "line 4: warning: Phone Number '-' is a placeholder; left empty",
        "line 5: warning: Phone Number 'call me maybe' is a placeholder; left empty");
    assertThat(r.leads().get(0).employees()).hasToString("51-200");
    assertThat(r.leads().get(2).employees()).hasToString("5000+");
  }

  @Test
  void phonesBecomeE164InTheLeadsCountry() {
    assertThat(ContactCleaner.phone("+1 (206) 555-0162", null).value()).isEqualTo("+12065550162");
    assertThat(ContactCleaner.phone("(206) 555-0162", "US").value()).isEqualTo("+12065550162");
    assertThat(ContactCleaner.phone("030 1234567", "DE").value()).isEqualTo("+49301234567");
    assertThat(ContactCleaner.phone("0049 30 1234567", null).value()).isEqualTo("+49301234567");
    assertThat(ContactCleaner.phone("06 55 55 01 88", "FR").value()).isEqualTo("+33655550188");
    var noRegion = ContactCleaner.phone("030 1234567", null);
    assertThat(noRegion.value()).isNull();
    assertThat(noRegion.warnings()).singleElement().asString().contains("no country code");
    assertThat(ContactCleaner.phone("12", "US").warnings()).singleElement().asString().contains("not a possible number");
  }

  @Test
  void namesSplitEmailsLowerCasedCountsKeptAsGiven() throws Exception {
    var r = new LeadCsvImporter().read(new StringReader("Name,Email,Employees\n"
        + "Dr. Mary Ann Smith PhD,mailto:Mary.Smith@Acme.COM,\"1,200\"\n"
        + "\"Reyes, Dana\",Dana Reyes <DANA@northwind.com>,51 – 200\n"
        + "Ludwig van Beethoven,ludwig@bonn.de,10k\n"));
    assertThat(r.issues()).isEmpty();
    assertThat(r.leads()).extracting(Lead::firstName).containsExactly("Mary Ann", "Dana", "Ludwig");
    assertThat(r.leads()).extracting(Lead::lastName).containsExactly("Smith", "Reyes", "van Beethoven");
    assertThat(r.leads()).extracting(Lead::email).containsExactly("mary.smith@acme.com", "dana@northwind.com", "ludwig@bonn.de");
    assertThat(r.leads()).extracting(l -> l.employees().toString()).containsExactly("1200", "51-200", "10000");
    var oneColumn = new LeadCsvImporter().read(new StringReader("First Name,Last Name,Email\nDana Reyes,,dana@n.com\n"));
    assertThat(oneColumn.leads().get(0).lastName()).isEqualTo("Reyes");
  }

  @Test
  void rangesMapToHubSpotsEmployeeOptions() {
    assertThat(EmployeeCount.parse("51-200").hubspotOption()).isEqualTo("100-500"); // midpoint 125
    assertThat(EmployeeCount.parse("120-400").hubspotOption()).isEqualTo("100-500"); // held whole
    assertThat(EmployeeCount.parse("1-10").hubspotOption()).isEqualTo("1-5"); // midpoint 5: a shared end goes low
    assertThat(EmployeeCount.parse("5000+").hubspotOption()).isEqualTo("1000+");
    assertThat(EmployeeCount.parse("25").hubspotOption()).isEqualTo("5-25");
    for (String o : EmployeeCount.HUBSPOT_OPTIONS) assertThat(EmployeeCount.parse(o).hubspotOption()).isEqualTo(o);
    assertThat(EmployeeCount.parse("lots")).isNull();
    assertThat(EmployeeCount.parse("200-51")).isNull();
  }

  /** Export: typed columns as data (no apostrophe before +), formulas neutralised in free text, and it re-imports unchanged. */
  @Test
  void exportWritesTypedColumnsAsDataAndRoundTrips() throws Exception {
    String input = HEADER
        + "Ana,Ruiz,ana@orbit.io,Orbit,+34 912 345 678,51-200,Spain,=HYPERLINK(\"http://evil.example\")\n"
        + "Tom,Baker,tom@acme.com,-Acme,(206) 555-0162,850,United States,+ call back\n";
    ImportResult first = new LeadCsvImporter().read(new StringReader(input));
    String exported = export(first);
    var rows = CSVFormat.RFC4180.builder().setHeader().get().parse(new StringReader(exported)).getRecords();
    assertThat(rows.get(0).get("Phone Number")).isEqualTo("+34912345678");
    assertThat(rows.get(0).get("Number of Employees")).isEqualTo("100-500");
    assertThat(rows.get(0).get("Notes")).isEqualTo("'=HYPERLINK(\"http://evil.example\")");
    assertThat(rows.get(1).get("Phone Number")).isEqualTo("+12065550162");
    assertThat(rows.get(1).get("Number of Employees")).isEqualTo("850");
    assertThat(rows.get(1).get("Company")).isEqualTo("'-Acme");
    assertThat(rows.get(1).get("Notes")).isEqualTo("'+ call back");
    assertThat(rows.get(0).getParser().getHeaderNames()).endsWith("Outreach Body", "ICP Fit", "Tier Reason", "Draft Status");
    // our own output imports again to the same phones and employee options, and exports identically
    ImportResult again = new LeadCsvImporter().read(new StringReader(exported));
    assertThat(again.leads()).extracting(Lead::phone).containsExactly("+34912345678", "+12065550162");
    assertThat(export(again)).isEqualTo(exported);
  }

  static String export(ImportResult r) throws Exception {
    List<RunStore.RunLead> rls = new java.util.ArrayList<>();
    Map<String, Lead> byId = new HashMap<>();
    for (Lead l : r.leads()) {
      rls.add(new RunStore.RunLead(l.id(), rls.size(), r.rawById().get(l.id())));
      byId.put(l.id(), l);
    }
    StringWriter w = new StringWriter();
    ResultsExport.write(w, r.header(), rls, byId, Map.of());
    return w.toString();
  }
}
