package dev.salesagent.agent.csv;

import dev.salesagent.agent.lead.ContactCleaner;
import dev.salesagent.agent.lead.Lead;
import dev.salesagent.agent.lead.Regions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Imports leads from a CSV file (RFC 4180, UTF-8 with or without BOM, quoted fields may hold newlines and commas).
 * Headers are matched by {@link LeadColumn}. Every row that is not imported is reported with the line it starts on
 * and why; none is dropped silently. Rows with the same email are merged into the first one (reported as
 * {@code merged}). A file without an Email column is refused as a whole.
 */
public final class LeadCsvImporter {
  /** Files larger than this many data rows are refused (HubSpot's own import limit is 250,000). */
  public static final int MAX_ROWS = 250_000;

  public static final class ImportException extends IllegalArgumentException {
    public ImportException(String m) { super(m); }
  }

  public ImportResult read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in);
    } catch (ImportException e) {
      throw new ImportException(file + ": " + e.getMessage());
    }
  }

  /**
   * Reads CSV bytes: UTF-8, with or without BOM. Bytes that are not UTF-8 (a Latin-1 or Windows-1252 export) refuse
   * the whole file — decoding them anyway would store mojibake. The command line and the HTTP import both come here.
   */
  public ImportResult read(InputStream bytes) throws IOException {
    var decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      return read(new BufferedReader(new InputStreamReader(bytes, decoder), 1 << 16));
    } catch (CharacterCodingException e) {
      throw new ImportException(NOT_UTF8);
    }
  }

  private static final String NOT_UTF8 = "the file is not UTF-8 text (save it as CSV UTF-8): nothing was imported";

  public ImportResult read(Reader in) throws IOException {
    Reader r = in.markSupported() ? in : new BufferedReader(in);
    r.mark(1);
    int first = r.read();
    if (first != '\uFEFF' && first != -1) r.reset();
    if (first == -1) throw new ImportException("the file is empty: expected a header row with at least an Email column");
    CSVFormat fmt = CSVFormat.RFC4180.builder().setIgnoreEmptyLines(false).setTrim(false).get();
    List<Lead> leads = new ArrayList<>();
    Map<String, Integer> indexByEmail = new HashMap<>();
    Map<String, Long> firstLineByEmail = new HashMap<>();
    List<ImportIssue> issues = new ArrayList<>();
    Map<String, Map<String, String>> raw = new HashMap<>();
    List<String> header;
    long rows = 0;
    try (CSVParser p = CSVParser.builder().setReader(r).setFormat(fmt).get()) {
      var it = p.iterator();
      if (!it.hasNext()) throw new ImportException("the file is empty: expected a header row with at least an Email column");
      CSVRecord h = it.next();
      header = new ArrayList<>();
      Map<LeadColumn, Integer> cols = new EnumMap<>(LeadColumn.class);
      int fullNameAt = -1;
      for (int i = 0; i < h.size(); i++) {
        String name = h.get(i).replace("\uFEFF", "").strip();
        header.add(name);
        LeadColumn c = LeadColumn.of(name);
        if (c != null && !cols.containsKey(c)) cols.put(c, i);
        if (c == null && fullNameAt < 0 && LeadColumn.isFullName(name)) fullNameAt = i;
      }
      if (!cols.containsKey(LeadColumn.EMAIL)) {
        throw new ImportException("no Email column in the header (found: " + String.join(", ", header)
            + "); the importer needs Email (or email, email_address) to identify leads");
      }
      long prevEnd = p.getCurrentLineNumber();
      while (true) {
        CSVRecord rec;
        try {
          if (!it.hasNext()) break;
          rec = it.next();
        } catch (java.io.UncheckedIOException e) {
          throw unreadable(e.getCause(), prevEnd + 1);
        }
        long line = prevEnd + 1;
        prevEnd = p.getCurrentLineNumber();
        if (isBlank(rec)) continue;
        rows++;
        if (rows > MAX_ROWS) {
          issues.add(new ImportIssue(line, ImportIssue.ERROR, "more than " + MAX_ROWS + " rows: this row and the rest were not imported"));
          break;
        }
        if (rec.size() != header.size()) {
          issues.add(new ImportIssue(line, ImportIssue.ERROR,
              "has " + rec.size() + " fields but the header has " + header.size() + " (unbalanced quotes or a stray comma?)"));
          continue;
        }
        Map<LeadColumn, String> v = new EnumMap<>(LeadColumn.class);
        cols.forEach((c, i) -> v.put(c, rec.get(i)));
        Lead lead;
        try {
          lead = clean(v, fullNameAt < 0 ? null : rec.get(fullNameAt), w -> issues.add(new ImportIssue(line, ImportIssue.WARNING, w)));
        } catch (IllegalArgumentException e) {
          issues.add(new ImportIssue(line, ImportIssue.ERROR, e.getMessage()));
          continue;
        }
        Integer at = indexByEmail.get(lead.email());
        if (at != null) {
          leads.set(at, leads.get(at).mergedWith(lead));
          issues.add(new ImportIssue(line, ImportIssue.MERGED,
              "duplicate of " + lead.email() + " (line " + firstLineByEmail.get(lead.email()) + "); merged into it"));
          continue;
        }
        indexByEmail.put(lead.email(), leads.size());
        firstLineByEmail.put(lead.email(), line);
        leads.add(lead);
        Map<String, String> cells = new LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) cells.put(header.get(i), rec.get(i));
        raw.put(lead.id(), cells);
      }
    } catch (java.io.UncheckedIOException e) {
      throw unreadable(e.getCause(), 1);
    }
    return new ImportResult(List.copyOf(leads), List.copyOf(issues), List.copyOf(header), raw, rows);
  }

  private static boolean isBlank(CSVRecord rec) {
    for (String s : rec) if (!s.isBlank()) return false;
    return true;
  }

  /**
   * The lead of one row, its contact data cleaned rather than rejected ({@link ContactCleaner}): a placeholder or
   * unreadable phone is left empty, an employee count kept as given (a range too), a full name in one column split when
   * the first and last name columns are empty. Each change worth knowing is passed to {@code warn}. Throws
   * {@link IllegalArgumentException} only for what makes a lead impossible (no valid email, a field too long).
   */
  static Lead clean(Map<LeadColumn, String> v, String fullName, java.util.function.Consumer<String> warn) {
    String country = v.get(LeadColumn.COUNTRY);
    var phone = ContactCleaner.phone(v.get(LeadColumn.PHONE), Regions.of(country));
    phone.warnings().forEach(warn);
    var employees = ContactCleaner.employees(v.get(LeadColumn.EMPLOYEES));
    employees.warnings().forEach(warn);
    String first = v.get(LeadColumn.FIRST_NAME);
    String last = v.get(LeadColumn.LAST_NAME);
    boolean noFirst = first == null || first.isBlank();
    boolean noLast = last == null || last.isBlank();
    if (noFirst && noLast && fullName != null && !fullName.isBlank()) {
      var n = ContactCleaner.splitName(fullName);
      first = n.first();
      last = n.last();
    } else if (!noFirst && noLast && first.strip().contains(" ")) {
      // "Dana Reyes" in First Name and nothing in Last Name: a full name in one column
      var n = ContactCleaner.splitName(first);
      first = n.first();
      last = n.last();
    }
    return new Lead(null, first, last, ContactCleaner.email(v.get(LeadColumn.EMAIL)), v.get(LeadColumn.COMPANY),
        v.get(LeadColumn.JOB_TITLE), phone.value(), v.get(LeadColumn.WEBSITE), v.get(LeadColumn.INDUSTRY),
        employees.value(), country, v.get(LeadColumn.NOTES));
  }

  /**
   * What the reader's failure means for the user: bytes that are not UTF-8 and malformed CSV refuse the whole file
   * with the line and the problem in plain words (never the parser's own text); any other I/O error is rethrown.
   */
  static IOException unreadable(IOException e, long line) throws ImportException {
    if (e instanceof CharacterCodingException) {
      throw new ImportException(NOT_UTF8.replace("(", "(near line " + line + "; "));
    }
    if (e instanceof CSVException) {
      String m = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
      String what = m.contains("eof reached before encapsulated token finished")
          ? "a quoted field opened on line " + line + " is never closed (an unbalanced \")"
          : m.contains("between encapsulated token and delimiter")
          ? "line " + line + " has text after a closing quote (a quoted field must end at a comma or the end of the line)"
          : "line " + line + " is not valid CSV";
      throw new ImportException(what + ": nothing was imported");
    }
    return e;
  }
}
