package dev.salesagent.agent.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.salesagent.agent.lead.Lead;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeadCsvImporterTest {
  final LeadCsvImporter importer = new LeadCsvImporter();

  ImportResult read(String csv) throws Exception {
    return importer.read(new StringReader(csv));
  }

  @Test
  void hubSpotHeadersCaseInsensitiveWithBom() throws Exception {
    var r = read("\uFEFFFIRST NAME,last name,Email,Company,Job Title,Phone Number,Website URL,Industry,Number of Employees,Country,Notes\r\n"
        + "Dana,Reyes,Dana.Reyes@Northwind.com,Northwind,VP Sales,+1 312 555 0142,northwind.com,Logistics,\"1,200\",US,hi\r\n");
    assertThat(r.issues()).isEmpty();
    Lead l = r.leads().get(0);
    assertThat(l.email()).isEqualTo("dana.reyes@northwind.com");
    assertThat(l.firstName()).isEqualTo("Dana");
    assertThat(l.employees()).isEqualTo(dev.salesagent.agent.lead.EmployeeCount.exactly(1200));
    assertThat(l.phone()).isEqualTo("+13125550142"); // E.164
    assertThat(r.header().get(0)).isEqualTo("FIRST NAME");
  }

  @Test
  void snakeCaseHeadersAndMissingOptionalColumns() throws Exception {
    var r = read("email,first_name,job_title,number_of_employees,website_url\nsam@acme.io,Sam,CTO,51-200,https://acme.io\n");
    assertThat(r.issues()).isEmpty();
    Lead l = r.leads().get(0);
    assertThat(l.jobTitle()).isEqualTo("CTO");
    assertThat(l.employees()).hasToString("51-200"); // kept as a range, not its lower bound
    assertThat(l.website()).isEqualTo("https://acme.io");
    assertThat(l.company()).isNull();
  }

  @Test
  void quotedNewlinesKeepLineNumbersRight() throws Exception {
    var r = read("Email,Notes\n"
        + "a@x.com,\"line one\nline two, with comma\"\n"
        + "not-an-email,x\n"
        + "b@x.com,\"say \"\"hi\"\"\"\n");
    assertThat(r.leads()).extracting(Lead::email).containsExactly("a@x.com", "b@x.com");
    assertThat(r.leads().get(0).notes()).isEqualTo("line one\nline two, with comma");
    assertThat(r.leads().get(1).notes()).isEqualTo("say \"hi\"");
    assertThat(r.issues()).singleElement().satisfies(i -> {
      assertThat(i.line()).isEqualTo(4);
      assertThat(i.severity()).isEqualTo("error");
      assertThat(i.reason()).contains("not-an-email").contains("not a valid address");
    });
  }

  @Test
  void everyBadRowIsReportedWithLineAndReason() throws Exception {
    var r = read("Email,First Name,Number of Employees\n"
        + ",NoEmail,10\n"
        + "bad@,Broken,10\n"
        + "ok@acme.com,Ok,lots\n"
        + "x@acme.com,Too,many,fields\n"
        + "\n"
        + "y@acme.com,Y,5\n");
    assertThat(r.leads()).extracting(Lead::email).containsExactly("ok@acme.com", "y@acme.com");
    assertThat(r.issues()).extracting(ImportIssue::toString).containsExactly(
        "line 2: error: email is required",
        "line 3: error: email 'bad@' is not a valid address",
        "line 4: warning: Number of Employees 'lots' is not a count or a range; left empty",
        "line 5: error: has 4 fields but the header has 3 (unbalanced quotes or a stray comma?)");
    assertThat(r.rowsRead()).isEqualTo(5);
  }

  @Test
  void duplicatesByEmailAreMergedAndReported() throws Exception {
    var r = read("Email,First Name,Company,Notes\n"
        + "dana@northwind.com,Dana,,first touch\n"
        + "other@acme.com,O,Acme,\n"
        + "DANA@northwind.com,,Northwind,asked for pricing\n");
    assertThat(r.leads()).hasSize(2);
    Lead d = r.leads().get(0);
    assertThat(d.company()).isEqualTo("Northwind");
    assertThat(d.firstName()).isEqualTo("Dana");
    assertThat(d.notes()).isEqualTo("first touch\nasked for pricing");
    assertThat(r.issues()).singleElement().satisfies(i -> {
      assertThat(i.line()).isEqualTo(4);
      assertThat(i.severity()).isEqualTo("merged");
      assertThat(i.reason()).contains("line 2");
    });
  }

  @Test
  void fileWithoutEmailColumnIsRefusedAsAWhole() {
    assertThatThrownBy(() -> read("Name,Company\nDana,Northwind\n")).isInstanceOf(LeadCsvImporter.ImportException.class)
        .hasMessageContaining("no Email column").hasMessageContaining("Name, Company");
    assertThatThrownBy(() -> read("")).hasMessageContaining("empty");
  }

  @Test
  void nonUtf8FileIsRefused(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("latin1.csv");
    Files.write(f, "Email,Notes\nj@x.com,caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
    assertThatThrownBy(() -> importer.read(f)).hasMessageContaining("not UTF-8");
  }

  @Test
  void nonUtf8BytesAnywhereRefuseTheWholeStream() {
    StringBuilder sb = new StringBuilder("\uFEFFEmail,Notes\n");
    for (int i = 0; i < 2000; i++) sb.append("p").append(i).append("@x.com,fine\n");
    byte[] head = sb.toString().getBytes(StandardCharsets.UTF_8);
    byte[] tail = "late@x.com,caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
    byte[] all = java.util.Arrays.copyOf(head, head.length + tail.length);
    System.arraycopy(tail, 0, all, head.length, tail.length);
    assertThatThrownBy(() -> importer.read(new java.io.ByteArrayInputStream(all)))
        .isInstanceOf(LeadCsvImporter.ImportException.class)
        .hasMessageContaining("not UTF-8").hasMessageContaining("nothing was imported");
  }

  @Test
  void malformedCsvIsRefusedWithTheLineAndPlainWords() {
    String unterminated = "Email,Notes\na@x.com,ok\nb@x.com,\"never closed\nc@x.com,more\n";
    assertThatThrownBy(() -> importer.read(new StringReader(unterminated)))
        .isInstanceOf(LeadCsvImporter.ImportException.class)
        .hasMessage("a quoted field opened on line 3 is never closed (an unbalanced \"): nothing was imported");
    String trailing = "Email,Notes\na@x.com,\"quoted\"junk\n";
    assertThatThrownBy(() -> importer.read(new StringReader(trailing)))
        .isInstanceOf(LeadCsvImporter.ImportException.class)
        .hasMessageContaining("line 2 has text after a closing quote").hasMessageNotContaining("encapsulated");
  }

  @Test
  void tenThousandRowsWithDuplicatesAndJunk(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("big.csv");
    StringBuilder sb = new StringBuilder("First Name,Last Name,Email,Company,Job Title,Notes\n");
    for (int i = 0; i < 10_000; i++) {
      String email = i % 100 == 99 ? "junk" + i : "lead" + (i % 9_500) + "@company" + (i % 300) + ".com";
      sb.append("F").append(i).append(",L,").append(email).append(",Co ").append(i % 300).append(",VP,\"note ").append(i).append("\n\"\n");
    }
    Files.writeString(f, sb);
    // the importing thread's CPU time, not the wall clock: on a busy machine the wall clock also counts the time other
    // processes had the CPU, which says nothing about the importer
    java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    assertThat(threads.isCurrentThreadCpuTimeSupported() && threads.isThreadCpuTimeEnabled()).as("this JVM measures thread CPU time").isTrue();
    long t0 = threads.getCurrentThreadCpuTime();
    var r = importer.read(f);
    long ms = (threads.getCurrentThreadCpuTime() - t0) / 1_000_000;
    assertThat(r.rowsRead()).isEqualTo(10_000);
    assertThat(r.errors()).isEqualTo(100);
    assertThat(r.leads().size() + r.merged() + r.errors()).isEqualTo(10_000);
    assertThat(r.leads()).hasSize(r.leads().stream().map(Lead::email).distinct().toList().size());
    // each row spans two lines (quoted newline): the junk row i starts on line 2 + 2*i
    assertThat(r.issues().stream().filter(i -> i.severity().equals("error")).findFirst().orElseThrow().line()).isEqualTo(2 + 2 * 99);
    assertThat(ms).isLessThan(5_000);
  }
}
