package dev.salesagent.emulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What kind of string a schema field wants, read from its {@code format}, its property name and its description —
 * the way a model reads them: an email, a web address, a host, a phone number, a person's name, a short labelled
 * value (title, company, …), a clause (quote, evidence, …) or prose (summary, body, …).
 */
enum FieldKind {
  EMAIL, URL, HOST, WEB, PHONE, PERSON, SHORT, CLAUSE, PROSE;

  private static final Pattern NON_ALNUM = Pattern.compile("[^a-z0-9]+");
  private static final Pattern CAMEL_BOUNDARY = Pattern.compile("([a-z0-9])([A-Z])");

  private static final Set<String> SHORT_WORDS = Set.of("title", "role", "position", "company", "organisation",
      "organization", "org", "employer", "firm", "city", "country", "location", "label", "department", "team", "industry",
      "tag", "category");
  private static final Set<String> CLAUSE_WORDS = Set.of("quote", "evidence", "excerpt", "citation", "snippet", "subject",
      "headline", "heading", "topic");
  private static final Set<String> PARAGRAPH_WORDS = Set.of("body", "summary", "paragraph", "sentences", "description", "overview");
  private static final Set<String> PROSE_WORDS = Set.of("summary", "body", "description", "message", "text", "content",
      "answer", "explanation", "rationale", "reason", "reasons", "point", "points", "detail", "details", "note", "notes",
      "comment", "comments", "sentence", "paragraph", "why", "justification", "analysis");

  /** A value that is found in the text or not at all (a nullable field of such a kind is null when it is absent). */
  boolean located() {
    return this == EMAIL || this == URL || this == HOST || this == WEB || this == PHONE || this == PERSON;
  }

  /** Whether a word of a field's name or description asks for a paragraph rather than one sentence. */
  static boolean paragraphWord(String word) {
    return PARAGRAPH_WORDS.contains(word);
  }

  /** The property name a path ends in: {@code $.a.b[2]~1} → {@code b}. */
  static String fieldName(String path) {
    String p = path;
    int cut = p.indexOf('[', Math.max(0, p.lastIndexOf('.')));
    if (cut >= 0) p = p.substring(0, cut);
    int dot = p.lastIndexOf('.');
    return dot >= 0 ? p.substring(dot + 1) : "";
  }

  /** The lower-case words of a name, label or description. */
  static List<String> words(String s) {
    List<String> out = new ArrayList<>();
    // camelCase → camel case, snake_case → snake case
    String t = CAMEL_BOUNDARY.matcher(s).replaceAll("$1 $2").toLowerCase(java.util.Locale.ROOT);
    for (String w : NON_ALNUM.split(t)) if (!w.isEmpty()) out.add(w);
    return out;
  }

  static FieldKind of(String format, String name, String description) {
    switch (format) {
      case "email", "idn-email" -> { return EMAIL; }
      case "uri", "url", "iri", "uri-reference" -> { return URL; }
      case "hostname", "idn-hostname" -> { return HOST; }
      default -> { }
    }
    List<String> w = words(name);
    String joined = String.join(" ", w);
    String flat = String.join("", w);
    if (flat.contains("email") || w.contains("mail")) return EMAIL;
    if (flat.contains("website") || flat.contains("homepage") || w.contains("url") || w.contains("uri") || w.contains("link")
        || w.contains("site") || w.contains("web")) return WEB;
    if (w.contains("domain") || w.contains("hostname") || w.contains("host")) return HOST;
    if (flat.contains("phone") || w.contains("tel") || w.contains("mobile") || w.contains("fax") || w.contains("cell")) return PHONE;
    if (joined.equals("name") || joined.equals("full name") || joined.equals("fullname") || joined.equals("contact name")
        || joined.equals("person name") || joined.equals("person") || joined.equals("contact")) return PERSON;
    for (String x : w) if (CLAUSE_WORDS.contains(x)) return CLAUSE;
    for (String x : w) if (SHORT_WORDS.contains(x)) return SHORT;
    for (String x : w) if (PROSE_WORDS.contains(x)) return PROSE;
    List<String> d = words(description);
    for (String x : d) if (CLAUSE_WORDS.contains(x)) return CLAUSE;
    if (d.contains("sentence") || d.contains("sentences") || d.contains("paragraph") || d.contains("body")) return PROSE;
    return CLAUSE;
  }
}
