package dev.salesagent.agent.qualify;

import java.text.Normalizer;
import java.util.Locale;

/**
 * A text folded for phrase matching — lower case, accents removed ({@code é → e}, {@code ü → u}), curly apostrophes
 * straight, every run of anything that is not a letter, digit or apostrophe one space — that remembers where each
 * folded character came from, so a match can be quoted from the original text.
 *
 * <p>Folding is per code point and total: any string (unpaired surrogates, control characters, combining marks
 * alone) folds without throwing.
 */
public final class FoldedText {
  private final String original;
  private final String folded;
  /** {@code origin[i]} = index in {@link #original} of the code point that produced folded char {@code i}. */
  private final int[] origin;

  private FoldedText(String original, String folded, int[] origin) {
    this.original = original;
    this.folded = folded;
    this.origin = origin;
  }

  public static FoldedText of(String text) {
    String s = text == null ? "" : text;
    StringBuilder out = new StringBuilder(s.length() + 2);
    int[] origin = new int[s.length() * 4 + 2];
    out.append(' ');
    origin[0] = 0;
    int i = 0;
    while (i < s.length()) {
      int cp = s.codePointAt(i);
      int len = Character.charCount(cp);
      String piece = fold(cp);
      for (int k = 0; k < piece.length(); k++) {
        char c = piece.charAt(k);
        if (c == ' ' && out.charAt(out.length() - 1) == ' ') continue;
        if (out.length() >= origin.length) origin = java.util.Arrays.copyOf(origin, origin.length * 2);
        origin[out.length()] = i;
        out.append(c);
      }
      i += len;
    }
    if (out.charAt(out.length() - 1) != ' ') {
      if (out.length() >= origin.length) origin = java.util.Arrays.copyOf(origin, origin.length + 1);
      origin[out.length()] = s.length();
      out.append(' ');
    }
    return new FoldedText(s, out.toString(), origin);
  }

  /** Folds a phrase the same way, without the offsets: {@code "Don’t  E-mail"} → {@code "don't e mail"}. */
  public static String phrase(String p) {
    return of(p).folded.strip();
  }

  private static String fold(int cp) {
    if (cp == '\u2019' || cp == '\u2018' || cp == '\u02bc' || cp == '`' || cp == '\u00b4') return "'";
    if (cp == '\'') return "'";
    if (!Character.isLetterOrDigit(cp)) {
      return Character.getType(cp) == Character.NON_SPACING_MARK ? "" : " ";
    }
    String d = Normalizer.normalize(new String(Character.toChars(cp)), Normalizer.Form.NFD);
    StringBuilder sb = new StringBuilder(d.length());
    for (int k = 0; k < d.length(); ) {
      int c = d.codePointAt(k);
      k += Character.charCount(c);
      if (Character.getType(c) == Character.NON_SPACING_MARK) continue;
      sb.appendCodePoint(c);
    }
    return sb.toString().toLowerCase(Locale.ROOT);
  }

  /**
   * The folded text with a space at both ends, so {@code folded().indexOf(" " + phrase + " ")} finds whole words.
   */
  public String folded() {
    return folded;
  }

  public String original() {
    return original;
  }

  /** The index in the original text of folded character {@code i}. */
  public int originOf(int i) {
    return origin[Math.max(0, Math.min(i, folded.length() - 1))];
  }

  /**
   * The sentence of the original text around the folded span {@code [from, to)}: from the previous sentence end
   * ({@code . ! ? ;} or a line break) to the next, trimmed; at most {@code max} characters, centred on the match.
   */
  public String sentenceAround(int from, int to, int max) {
    if (original.isEmpty()) return "";
    int a = Math.min(originOf(from), original.length());
    int b = Math.min(Math.max(a, originOf(Math.max(from, to - 1))), original.length() - 1);
    int start = a;
    while (start > 0 && !isSentenceEnd(original.charAt(start - 1))) start--;
    int end = b;
    while (end < original.length() && !isSentenceEnd(original.charAt(end))) end++;
    if (end < original.length() && original.charAt(end) != '\n' && original.charAt(end) != '\r') end++;
    String s = original.substring(start, end).strip();
    if (s.length() <= max) return s;
    int centre = Math.max(0, Math.min(a - start, s.length()));
    int lo = Math.max(0, Math.min(centre - max / 2, s.length() - max));
    return s.substring(lo, lo + max).strip();
  }

  private static boolean isSentenceEnd(char c) {
    return c == '.' || c == '!' || c == '?' || c == ';' || c == '\n' || c == '\r';
  }
}
