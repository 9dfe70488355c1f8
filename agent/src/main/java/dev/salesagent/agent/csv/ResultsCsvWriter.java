package dev.salesagent.agent.csv;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Writes HubSpot-import-ready CSV: RFC 4180, UTF-8, every cell that a spreadsheet would read as a formula
 * (starting with {@code = + - @}, or a tab/carriage return) prefixed with a single quote.
 */
public final class ResultsCsvWriter implements AutoCloseable {
  public static final List<String> ADDED = List.of("Lead Score", "Lead Tier", "Qualification Reasons", "Next Action",
      "Outreach Subject", "Outreach Body");

  private final CSVPrinter printer;
  private final int width;

  public ResultsCsvWriter(Writer out, List<String> header) throws IOException {
    this.printer = new CSVPrinter(out, CSVFormat.RFC4180.builder().setRecordSeparator("\r\n").get());
    this.width = header.size();
    List<String> safe = new ArrayList<>(header.size());
    for (String h : header) safe.add(neutralize(h));
    printer.printRecord(safe);
  }

  public void row(List<String> cells) throws IOException {
    if (cells.size() != width) throw new IllegalArgumentException("row has " + cells.size() + " cells, header " + width);
    List<String> safe = new ArrayList<>(cells.size());
    for (String c : cells) safe.add(neutralize(c));
    printer.printRecord(safe);
  }

  /** Formula-injection guard (OWASP CSV injection): {@code =1+1} → {@code '=1+1}. */
  public static String neutralize(String cell) {
    if (cell == null || cell.isEmpty()) return cell == null ? "" : cell;
    char c = cell.charAt(0);
    if (c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r') return "'" + cell;
    return cell;
  }

  @Override
  public void close() throws IOException {
    printer.close(true);
  }
}
