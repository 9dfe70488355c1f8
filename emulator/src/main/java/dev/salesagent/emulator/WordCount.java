package dev.salesagent.emulator;

/**
 * {@code s.split("\\s+").length} without a regex or an array: the answer generator counts the words of every sentence,
 * clause and segment of each prompt, and splitting was its largest remaining cost once emails were scanned by '@'.
 */
final class WordCount {
  private WordCount() {}

  /**
   * The length {@code Pattern.compile("\\s+").split(s)} would return: the runs of non-whitespace, plus the empty
   * first element {@code split} keeps when {@code s} starts with whitespace; {@code ""} is one (empty) element and
   * an all-whitespace string none (split drops trailing empty strings).
   */
  static int of(String s) {
    if (s.isEmpty()) return 1;
    int runs = 0;
    boolean inWord = false;
    for (int i = 0; i < s.length(); i++) {
      boolean space = isRegexSpace(s.charAt(i));
      if (!space && !inWord) runs++;
      inWord = !space;
    }
    return runs == 0 ? 0 : runs + (isRegexSpace(s.charAt(0)) ? 1 : 0);
  }

  /** {@code \s} of java.util.regex without UNICODE_CHARACTER_CLASS: [ \t\n\x0B\f\r]. */
  private static boolean isRegexSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
  }
}
