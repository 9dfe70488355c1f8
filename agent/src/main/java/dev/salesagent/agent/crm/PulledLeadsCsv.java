package dev.salesagent.agent.crm;

import dev.salesagent.agent.csv.LeadColumn;
import dev.salesagent.agent.csv.ResultsCsvWriter;
import dev.salesagent.agent.csv.ResultsCsvWriter.CellType;
import dev.salesagent.agent.lead.Lead;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * Pulled leads as a CSV with the HubSpot labels the importer reads ({@code First Name} … {@code Notes}): the input of a
 * run ({@code run --from hubspot}) and what {@code crm pull --out FILE} writes. Typed cells (E.164 phone, employee
 * count) are data; free text is formula-safe ({@link ResultsCsvWriter}); a range of employees is written as HubSpot's
 * {@code numemployees} option that holds it, as the export does.
 */
public final class PulledLeadsCsv {
  private PulledLeadsCsv() {}

  public static void write(Writer out, List<Lead> leads) throws IOException {
    List<String> header = new ArrayList<>();
    List<CellType> types = new ArrayList<>();
    for (LeadColumn c : LeadColumn.values()) {
      header.add(c.label());
      types.add(c == LeadColumn.PHONE ? CellType.PHONE : c == LeadColumn.EMPLOYEES ? CellType.NUMBER : CellType.TEXT);
    }
    try (ResultsCsvWriter w = new ResultsCsvWriter(out, header, types)) {
      for (Lead l : leads) {
        List<String> row = new ArrayList<>(header.size());
        for (LeadColumn c : LeadColumn.values()) {
          String v = switch (c) {
            case FIRST_NAME -> l.firstName();
            case LAST_NAME -> l.lastName();
            case EMAIL -> l.email();
            case COMPANY -> l.company();
            case JOB_TITLE -> l.jobTitle();
            case PHONE -> l.phone();
            case WEBSITE -> l.website();
            case INDUSTRY -> l.industry();
            case EMPLOYEES -> l.employees() == null ? null : l.employees().exact() ? l.employees().toString() : l.employees().hubspotOption();
            case COUNTRY -> l.country();
            case NOTES -> l.notes();
          };
          row.add(v == null ? "" : v);
        }
        w.row(row);
      }
    }
  }
}
