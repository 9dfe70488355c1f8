package dev.salesagent.emulator;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generates a string matching a simple regular expression: literals, escapes ({@code \d \w \s} and escaped
 * characters), classes ({@code [a-z0-9_]}, negated ones), {@code .}, groups with alternation, quantifiers
 * ({@code ? * + {n} {n,} {n,m}}, lazy or possessive suffixes ignored) and anchors. Throws on what it cannot read.
 */
final class RegexSampler {
  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_.@:/";
  private final String re;
  private final SplittableRandom r;
  private int i;

  private RegexSampler(String re, SplittableRandom r) {
    this.re = re;
    this.r = r;
  }

  static String sample(String re, SplittableRandom r) {
    RegexSampler s = new RegexSampler(re, r);
    StringBuilder sb = new StringBuilder();
    s.alternation(sb);
    if (s.i != re.length()) throw new IllegalArgumentException("unsupported regex at " + s.i);
    return sb.toString();
  }

  private void alternation(StringBuilder out) {
    List<StringBuilder> alts = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    alts.add(cur);
    while (i < re.length() && re.charAt(i) != ')') {
      if (re.charAt(i) == '|') {
        i++;
        cur = new StringBuilder();
        alts.add(cur);
        continue;
      }
      atomWithQuantifier(cur);
    }
    out.append(alts.get(r.nextInt(alts.size())));
  }

  private void atomWithQuantifier(StringBuilder out) {
    char c = re.charAt(i);
    if (c == '^' || c == '$') {
      i++;
      return;
    }
    // parse the atom once to find where it ends, then generate it n times
    java.util.function.Consumer<StringBuilder> gen = atom();
    int lo = 1, hi = 1;
    boolean quantified = false;
    if (i < re.length()) {
      char q = re.charAt(i);
      quantified = true;
      if (q == '?') { lo = 0; hi = 1; i++; }
      else if (q == '*') { lo = 0; hi = 3; i++; }
      else if (q == '+') { lo = 1; hi = 3; i++; }
      else if (q == '{') {
        int close = re.indexOf('}', i);
        if (close < 0) throw new IllegalArgumentException("unclosed quantifier");
        String[] parts = re.substring(i + 1, close).split(",", -1);
        lo = Integer.parseInt(parts[0].strip());
        hi = parts.length == 1 ? lo : (parts[1].isBlank() ? lo + 2 : Integer.parseInt(parts[1].strip()));
        i = close + 1;
      } else {
        quantified = false;
      }
      if (quantified && i < re.length() && (re.charAt(i) == '?' || re.charAt(i) == '+')) i++;
    }
    int n = lo + (hi > lo ? r.nextInt(Math.min(hi, lo + 3) - lo + 1) : 0);
    for (int k = 0; k < n; k++) gen.accept(out);
  }

  private java.util.function.Consumer<StringBuilder> atom() {
    char c = re.charAt(i);
    if (c == '(') {
      i++;
      if (re.startsWith("?:", i)) i += 2;
      else if (re.startsWith("?<", i) && !re.startsWith("?<=", i) && !re.startsWith("?<!", i)) i = re.indexOf('>', i) + 1;
      else if (re.charAt(i) == '?') throw new IllegalArgumentException("lookaround");
      int start = i;
      // find the matching ')' by sampling once to advance, then re-sample per repetition from the same text
      StringBuilder probe = new StringBuilder();
      alternation(probe);
      int end = i;
      if (i >= re.length() || re.charAt(i) != ')') throw new IllegalArgumentException("unbalanced group");
      i++;
      String inner = re.substring(start, end);
      return sb -> sb.append(sample(inner, r));
    }
    if (c == '[') {
      String cls = charClass();
      return sb -> sb.append(cls.charAt(r.nextInt(cls.length())));
    }
    if (c == '.') {
      i++;
      return sb -> sb.append(ALPHABET.charAt(r.nextInt(26)));
    }
    if (c == '\\') {
      String cls = escape();
      return sb -> sb.append(cls.charAt(r.nextInt(cls.length())));
    }
    if ("*+?{".indexOf(c) >= 0) throw new IllegalArgumentException("dangling quantifier");
    i++;
    return sb -> sb.append(c);
  }

  /** The characters an escape stands for (one string of choices); {@code \b} and anchors stand for nothing. */
  private String escape() {
    char e = re.charAt(i + 1);
    i += 2;
    return switch (e) {
      case 'd' -> "0123456789";
      case 'w' -> "abcdefghijklmnopqrstuvwxyz0123456789";
      case 's' -> " ";
      case 'D' -> "abcxyz";
      case 'W' -> " -.";
      case 'S' -> "abcxyz";
      case 'n' -> "\n";
      case 't' -> "\t";
      case 'b', 'B', 'A', 'z', 'Z' -> throw new IllegalArgumentException("boundary");
      default -> {
        if (Character.isLetterOrDigit(e)) throw new IllegalArgumentException("escape \\" + e);
        yield String.valueOf(e);
      }
    };
  }

  private String charClass() {
    i++; // [
    boolean negate = false;
    if (i < re.length() && re.charAt(i) == '^') {
      negate = true;
      i++;
    }
    StringBuilder set = new StringBuilder();
    boolean firstChar = true;
    while (i < re.length() && (re.charAt(i) != ']' || firstChar)) {
      firstChar = false;
      char c = re.charAt(i);
      String piece;
      if (c == '\\') {
        piece = escape();
      } else {
        i++;
        piece = String.valueOf(c);
      }
      if (piece.length() == 1 && i + 1 < re.length() && re.charAt(i) == '-' && re.charAt(i + 1) != ']') {
        i++;
        char to = re.charAt(i) == '\\' ? escape().charAt(0) : re.charAt(i++);
        for (char x = piece.charAt(0); x <= to; x++) set.append(x);
      } else {
        set.append(piece);
      }
    }
    if (i >= re.length()) throw new IllegalArgumentException("unclosed class");
    i++; // ]
    if (!negate) {
      if (set.length() == 0) throw new IllegalArgumentException("empty class");
      return set.toString();
    }
    StringBuilder rest = new StringBuilder();
    for (char x : ALPHABET.toCharArray()) if (set.indexOf(String.valueOf(x)) < 0) rest.append(x);
    if (rest.length() == 0) throw new IllegalArgumentException("empty negated class");
    return rest.toString();
  }
}
