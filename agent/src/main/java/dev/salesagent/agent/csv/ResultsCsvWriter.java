package dev.salesagent.agent.csv;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Writes HubSpot-import-ready CSV: RFC 4180, UTF-8. Typed columns ({@link CellType#PHONE} in E.164,
 * {@link CellType#NUMBER}, {@link CellType#DATE}) are written as data when their value has that type, so a HubSpot
 * import reads {@code +12065550162} as the phone number it is; free-text cells, and typed cells whose value does not
 * have the type, that a spreadsheet would read as a formula (starting with {@code = + - @}, or a tab/carriage return)
 * get a leading single quote (OWASP CSV injection).
 */
public final class ResultsCsvWriter implements AutoCloseable {
  /**
   * The contract's six result columns, then our additions: the ICP fit that caps the tier, why the tier is what it is,
   * and the draft's review status ({@code pending|approved|rejected}; only {@code approved} is ready to send).
   */
  public static final List<String> ADDED = List.of("Lead Score", "Lead Tier", "Qualification Reasons", "Next Action",
      "Outreach Subject", "Outreach Body", "ICP Fit", "Tier Reason", "Draft Status");

  /** What a column holds: free text, or a value of a type that is written as data. */
  public enum CellType {
    TEXT(null),
    /** E.164: {@code +} and 2 to 15 digits, the first not 0. */
    PHONE(Pattern.compile("\\+[1-9]\\d{1,14}")),
    /** An integer or decimal, or a count range as HubSpot's employee options write it ({@code 51-200}, {@code 1000+}). */
    NUMBER(Pattern.compile("-?\\d{1,15}(\\.\\d{1,15})?|\\d{1,9}-\\d{1,9}|\\d{1,9}\\+")),
    /** ISO 8601 date or date-time. */
    DATE(Pattern.compile("\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:?\\d{2})?)?"));

    private final Pattern shape;

    CellType(Pattern shape) {
      this.shape = shape;
    }

    /** True when {@code value} is this type's data (never for {@link #TEXT}). */
    public boolean holds(String value) {
      return shape != null && shape.matcher(value).matches();
    }
  }

  private final CSVPrinter printer;
  private final List<CellType> types;

  public ResultsCsvWriter(Writer out, List<String> header) throws IOException {
    this(out, header, Collections.nCopies(header.size(), CellType.TEXT));
  }

  public ResultsCsvWriter(Writer out, List<String> header, List<CellType> types) throws IOException {
    if (types.size() != header.size()) throw new IllegalArgumentException("one type per column: " + types.size() + " for " + header.size());
    this.printer = new CSVPrinter(out, CSVFormat.RFC4180.builder().setRecordSeparator("\r\n").get());
    this.types = List.copyOf(types);
    List<String> safe = new ArrayList<>(header.size());
    for (String h : header) safe.add(neutralize(h));
    printer.printRecord(safe);
  }

  public void row(List<String> cells) throws IOException {
    if (cells.size() != types.size()) throw new IllegalArgumentException("row has " + cells.size() + " cells, header " + types.size());
    List<String> safe = new ArrayList<>(cells.size());
    for (int i = 0; i < cells.size(); i++) safe.add(cell(cells.get(i), types.get(i)));
    printer.printRecord(safe);
  }

  /** A typed value as data; anything else formula-safe. */
  public static String cell(String value, CellType type) {
    if (value != null && type.holds(value)) return value;
    return neutralize(value);
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
