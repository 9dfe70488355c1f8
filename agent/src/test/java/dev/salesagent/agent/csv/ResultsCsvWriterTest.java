package dev.salesagent.agent.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.io.StringWriter;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.junit.jupiter.api.Test;

class ResultsCsvWriterTest {
  @Test
  void formulaCellsAreNeutralised() {
    assertThat(ResultsCsvWriter.neutralize("=HYPERLINK(\"http://evil\")")).isEqualTo("'=HYPERLINK(\"http://evil\")");
    assertThat(ResultsCsvWriter.neutralize("+1 312 555")).isEqualTo("'+1 312 555");
    assertThat(ResultsCsvWriter.neutralize("-2+3")).isEqualTo("'-2+3");
    assertThat(ResultsCsvWriter.neutralize("@SUM(A1)")).isEqualTo("'@SUM(A1)");
    assertThat(ResultsCsvWriter.neutralize("\t=1")).isEqualTo("'\t=1");
    assertThat(ResultsCsvWriter.neutralize("Dana")).isEqualTo("Dana");
    assertThat(ResultsCsvWriter.neutralize("a=b")).isEqualTo("a=b");
    assertThat(ResultsCsvWriter.neutralize("")).isEmpty();
  }

  @Test
  void writtenFileParsesBackWithNeutralisedCellsAndQuotedNewlines() throws Exception {
    StringWriter w = new StringWriter();
    try (var out = new ResultsCsvWriter(w, List.of("Email", "=cmd|' /C calc'!A0", "Outreach Body"))) {
      out.row(List.of("a@x.com", "@evil", "Hi Dana,\n\nline, with comma and \"quotes\""));
    }
    var records = CSVFormat.RFC4180.parse(new StringReader(w.toString())).getRecords();
    assertThat(records.get(0).get(1)).isEqualTo("'=cmd|' /C calc'!A0");
    assertThat(records.get(1).get(1)).isEqualTo("'@evil");
    assertThat(records.get(1).get(2)).isEqualTo("Hi Dana,\n\nline, with comma and \"quotes\"");
  }
}
