package dev.salesagent.emulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the generator can quote from the text a model would have read (the last user message, and the whole prompt for
 * addresses the message lacks): its non-blank lines, e-mail addresses, URLs, host names and phone numbers, sentences
 * (and the ones of 4+ words with the line each came from, for paragraphs), clauses, labelled values
 * ({@code Title: …}) and short segments of form-like lines, each in text order. Read once per answer; read-only after.
 */
final class SourceText {
  // Precompiled: these run for every generated answer (String.split/matches/replaceAll would compile per call).
  private static final Pattern LINE_BREAK = Pattern.compile("\\R");
  private static final Pattern NUMBER = Pattern.compile("\\d+([.]\\d+)?");
  private static final Pattern HAS_SEPARATOR = Pattern.compile(".*(\\||\u00b7|\u2022|,|;).*");
  private static final Pattern ENDS_LIKE_PROSE = Pattern.compile(".*[.!?,:][\"'\u201d\u2019)]*$");
  private static final Pattern HAS_LETTER = Pattern.compile(".*\\p{L}.*");
  private static final Pattern TRAILING_DOTS = Pattern.compile("[.]+$");
  private static final Pattern TRAILING_DOT_SEMI_COMMA = Pattern.compile("[.;,]+$");
  private static final Pattern TRAILING_COMMA_SEMI_COLON = Pattern.compile("[,;:]+$");
  private static final Pattern LEADING_QUOTES = Pattern.compile("^[\"'\u201c\u2018(]+");
  private static final Pattern TRAILING_PUNCT_QUOTES = Pattern.compile("[,.;:!?\"'\u201d\u2019)]+$");
  private static final Pattern URL = Pattern.compile("https?://[A-Za-z0-9.-]+(?:/[A-Za-z0-9._~%/-]*)?");
  private static final Pattern HOST = Pattern.compile(
      "(?<![@\\w.-])(?:www\\.)?[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\\.[a-z]{2,24}(?![\\w@-]|\\.[a-z0-9])");
  private static final Pattern PHONE = Pattern.compile("(?<![\\w+])\\+?(?:\\(\\d{1,4}\\)[ .-]?)?\\d[\\d .()-]{5,22}\\d(?![\\w])");
  private static final Pattern ISO_DATE = Pattern.compile("\\d{4}-\\d\\d-\\d\\d");
  private static final Pattern LABEL = Pattern.compile("^\\s*([A-Z][A-Za-z]*(?: [A-Za-z]+){0,2}):\\s+(?=\\S)");
  private static final Pattern SENTENCE_END = Pattern.compile("[.!?]+[\"'\u201d\u2019)]*\\s+(?=[\"'\u201c\u2018(]?[A-Z0-9])");
  private static final Pattern CLAUSE_SPLIT = Pattern.compile(",\\s+|;\\s+|:\\s+|\\s+[-\u2013\u2014|\u00b7\u2022]\\s+");
  private static final Pattern SEGMENT_SPLIT = Pattern.compile("\\s+[|\u00b7\u2022\u2013\u2014-]\\s+|,\\s+|;\\s+|:\\s+|\\t+|\\s{2,}|\\s*\\|\\s*");
  private static final Pattern CHUNK_SPLIT = Pattern.compile("\\s+-{2,}\\s+|\\s+[\u2013\u2014]\\s+");

  final String src;
  final List<String> lines = new ArrayList<>(); // non-blank lines of the source text
  final List<String> emails = new ArrayList<>();
  final List<String> urls = new ArrayList<>();
  final List<String> hosts = new ArrayList<>();
  final List<String> phones = new ArrayList<>();
  final List<String> sentences = new ArrayList<>();
  final List<String> longSentences = new ArrayList<>();
  final List<Integer> longSentenceLine = new ArrayList<>();
  final List<String> clauses = new ArrayList<>();
  final List<String> segments = new ArrayList<>();
  final Map<String, String> labelled = new LinkedHashMap<>();
  final boolean hasDigits;

  SourceText(String sourceText, String promptText) {
    String src = sourceText == null ? "" : sourceText;
    this.src = src;
    for (String l : LINE_BREAK.split(src)) if (!l.isBlank()) lines.add(l);
    String all = (promptText == null ? "" : promptText) + "\n" + src;
    EmailScan.collect(src, emails);
    if (emails.isEmpty()) EmailScan.collect(all, emails);
    collect(URL, src, urls);
    if (urls.isEmpty()) collect(URL, all, urls);
    urls.replaceAll(u -> TRAILING_DOTS.matcher(u).replaceAll(""));
    Set<String> h = new LinkedHashSet<>();
    for (String u : urls) h.add(u.replaceFirst("https?://", "").replaceFirst("/.*", ""));
    Matcher hm = HOST.matcher(src);
    while (hm.find()) h.add(hm.group());
    hosts.addAll(h);
    Matcher pm = PHONE.matcher(src);
    Set<String> ph = new LinkedHashSet<>();
    while (pm.find()) {
      String p = pm.group().strip();
      long digits = p.chars().filter(Character::isDigit).count();
      if (digits >= 7 && digits <= 15 && !ISO_DATE.matcher(p).find() && !NUMBER.matcher(p).matches()) ph.add(p);
    }
    phones.addAll(ph);
    this.hasDigits = src.chars().anyMatch(Character::isDigit);
    split();
  }

  private static void collect(Pattern p, String text, List<String> into) {
    Matcher m = p.matcher(text);
    while (m.find()) if (!into.contains(m.group())) into.add(m.group());
  }

  /** Sentences, clauses, labelled values and short segments of the source text, in text order. */
  private void split() {
    Set<String> cl = new LinkedHashSet<>();
    Set<String> formSegs = new LinkedHashSet<>(), proseSegs = new LinkedHashSet<>();
    for (int li = 0; li < lines.size(); li++) {
      String v = lines.get(li).strip();
      Matcher lm = LABEL.matcher(v);
      if (lm.find()) {
        String value = v.substring(lm.end()).strip();
        labelled.putIfAbsent(String.join(" ", FieldKind.words(lm.group(1))), TRAILING_DOT_SEMI_COMMA.matcher(value).replaceAll(""));
        v = value;
      }
      if (v.isEmpty()) continue;
      int from = 0;
      Matcher se = SENTENCE_END.matcher(v);
      List<String> ss = new ArrayList<>();
      while (se.find()) {
        ss.add(v.substring(from, se.end()).strip());
        from = se.end();
      }
      ss.add(v.substring(from).strip());
      for (String sentence : ss) {
        if (sentence.isEmpty()) continue;
        sentences.add(sentence);
        int nw = WordCount.of(sentence);
        if (nw >= 4) {
          longSentences.add(sentence);
          longSentenceLine.add(li);
        }
        if (nw <= 16 && Character.isLetterOrDigit(sentence.charAt(0))) cl.add(sentence);
        for (String c : CLAUSE_SPLIT.split(sentence)) {
          String t = TRAILING_COMMA_SEMI_COLON.matcher(c.strip()).replaceAll("");
          if (t.isEmpty() || !Character.isLetterOrDigit(t.charAt(0)) || WordCount.of(t) < 2) continue;
          if (t.chars().filter(ch -> ch == '(').count() != t.chars().filter(ch -> ch == ')').count()) continue;
          if (sentence.contains(t)) cl.add(t);
        }
      }
      // Short segments, per chunk (a sentence, or a part after " -- "). A chunk that ends like a sentence (or like a
      // closing such as "Best regards,") is prose; one without punctuation at the end is form-like (a signature
      // line, "a | b | c"), and its segments come first.
      for (String sentence : ss) {
        for (String chunk : CHUNK_SPLIT.split(sentence)) {
          String c = chunk.strip();
          if (c.isEmpty()) continue;
          boolean separated = HAS_SEPARATOR.matcher(c).matches();
          boolean prose = ENDS_LIKE_PROSE.matcher(c).matches() || (!separated && WordCount.of(c) > 12);
          for (String seg : SEGMENT_SPLIT.split(c)) {
            String t = TRAILING_PUNCT_QUOTES.matcher(LEADING_QUOTES.matcher(seg.strip()).replaceAll("")).replaceAll("").strip();
            if (t.length() < 2 || t.length() > 60 || WordCount.of(t) > 6 || !HAS_LETTER.matcher(t).matches()) continue;
            if (t.contains("@") || t.contains("://") || t.chars().filter(Character::isDigit).count() >= 3) continue;
            if (HOST.matcher(t).find()) continue;
            if (!v.contains(t)) continue;
            (prose ? proseSegs : formSegs).add(t);
          }
        }
      }
    }
    if (longSentences.isEmpty()) {
      longSentences.addAll(sentences);
      for (int k = 0; k < sentences.size(); k++) longSentenceLine.add(-1 - k); // no paragraphs across these
    }
    clauses.addAll(cl);
    segments.addAll(formSegs);
    for (String t : proseSegs) if (!segments.contains(t)) segments.add(t);
  }
}
