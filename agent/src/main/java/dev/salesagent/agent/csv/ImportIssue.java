package dev.salesagent.agent.csv;

/**
 * A problem with one input row.
 *
 * @param line     the 1-based line of the file where the row starts (the header is line 1)
 * @param severity {@code error}: the row was not imported; {@code warning}: imported, one value ignored;
 *                 {@code merged}: a duplicate email merged into the first row with that email
 */
public record ImportIssue(long line, String severity, String reason) {
  public static final String ERROR = "error";
  public static final String WARNING = "warning";
  public static final String MERGED = "merged";

  @Override
  public String toString() {
    return "line " + line + ": " + severity + ": " + reason;
  }
}
