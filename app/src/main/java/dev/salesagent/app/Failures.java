package dev.salesagent.app;

import dev.salesagent.router.error.LlmException;
import java.sql.SQLException;

/** One line for a failure the user should read, instead of a stack trace: the innermost useful message, secrets redacted. */
final class Failures {
  private Failures() {}

  static String describe(Throwable t) {
    Throwable c = t;
    SQLException sql = null;
    while (c.getCause() != null && c.getCause() != c) {
      if (c instanceof SQLException s && sql == null) sql = s;
      c = c.getCause();
    }
    if (c instanceof SQLException s) sql = s;
    String msg = c.getMessage() == null || c.getMessage().isBlank() ? c.getClass().getSimpleName() : c.getMessage();
    if (sql != null) {
      msg = "cannot use the database (SALES_AGENT_DB_URL, or the H2 file under ./data): " + firstLine(sql.getMessage());
    }
    return LlmException.safeMessage(firstLine(msg));
  }

  private static String firstLine(String s) {
    if (s == null) return "";
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).strip();
  }
}
