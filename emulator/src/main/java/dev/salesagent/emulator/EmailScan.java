package dev.salesagent.emulator;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds email addresses in text with the same result as {@code EMAIL.matcher(text).find()} in a loop, without trying
 * the pattern at every position. The local part {@code [A-Za-z0-9._%+-]+} is not a literal, so the regex engine
 * starts a greedy scan of each word and gives up only at its end: every request's prompt (2–3 KB) cost ~100 µs, the
 * largest single cost of answering a structured request. A match must contain an '@', and the local part cannot
 * cross one, so the leftmost match (if any) begins where the run of local-part characters before the next '@'
 * begins; starting later in that run gives the same '@' and domain, so the pattern only needs trying once per '@'.
 */
final class EmailScan {
  static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}");

  private EmailScan() {}

  /** Appends each address in {@code text} not yet in {@code into}, in text order. */
  static void collect(String text, List<String> into) {
    Matcher m = null;
    int from = 0; // where the previous match ended: find() never looks before it
    for (int at = text.indexOf('@'); at >= 0; at = text.indexOf('@', at + 1)) {
      int start = at;
      while (start > from && isLocalPart(text.charAt(start - 1))) start--;
      if (start == at) continue; // nothing before this '@' can be a local part
      if (m == null) m = EMAIL.matcher(text);
      m.region(start, text.length());
      if (m.lookingAt()) {
        String found = m.group();
        if (!into.contains(found)) into.add(found);
        from = m.end();
      }
    }
  }

  private static boolean isLocalPart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
  }
}
