package dev.salesagent.router.classify;

import dev.salesagent.router.model.ChatRequest;
import dev.salesagent.router.model.Message;
import dev.salesagent.router.model.ResponseFormat;
import dev.salesagent.router.model.Role;
import java.util.Locale;

/**
 * Picks a task for a request that names none, locally and explainably: weighted keyword and feature scores over the
 * messages (no model call). The highest score wins; ties and no signal at all fall back to {@code qualification}
 * (the cheapest, fastest chain). The reason lists the features that scored.
 */
public final class TaskClassifier {

  /** The choice and why. */
  public record Classification(String task, String reason) {}

  private static final String[] TASKS = {"qualification", "content", "research", "parsing"};

  private static final String[][] KEYWORDS = {
      // qualification
      {"qualif", "lead score", "score this lead", "icp", "ideal customer", "fit", "bant", "budget authority", "decision maker",
          "tier", "hot lead", "cold lead", "prioriti", "is this a good lead", "disqualif"},
      // content
      {"write", "draft", "email", "outreach", "subject line", "compose", "message to", "follow-up", "follow up", "linkedin",
          "rewrite", "tone", "cold email", "personali", "copy", "pitch"},
      // research
      {"research", "company", "account", "competitor", "market", "industry", "news", "funding", "background", "analy",
          "insight", "brief", "summar", "tech stack", "pain point", "why"},
      // parsing
      {"parse", "extract", "json", "fields", "structured", "contact card", "phone", "e-mail address", "email address",
          "signature", "vcard", "normalize", "normalise", "csv", "name, title"},
  };

  public Classification classify(ChatRequest request) {
    StringBuilder all = new StringBuilder();
    for (Message m : request.messages()) {
      if (m.role() != Role.ASSISTANT) all.append(m.content()).append('\n');
    }
    String text = all.toString().toLowerCase(Locale.ROOT);
    int[] score = new int[TASKS.length];
    StringBuilder[] why = new StringBuilder[TASKS.length];
    for (int t = 0; t < TASKS.length; t++) {
      for (String kw : KEYWORDS[t]) {
        if (text.contains(kw)) {
          score[t] += 2;
          note(why, t, "'" + kw + "'");
        }
      }
    }
    if (!(request.responseFormat() instanceof ResponseFormat.Text)) {
      score[3] += 3;
      note(why, 3, "JSON output requested");
    }
    int emails = count(text, '@');
    if (emails > 0) {
      score[3] += Math.min(3, emails);
      note(why, 3, emails + " '@' sign(s)");
    }
    int digits = 0;
    for (int i = 0; i < text.length(); i++) if (Character.isDigit(text.charAt(i))) digits++;
    if (text.length() > 0 && digits * 10 > text.length()) {
      score[3] += 2;
      note(why, 3, "digit-heavy text");
    }
    if (text.length() > 6000) {
      score[2] += 2;
      note(why, 2, "long input (" + text.length() + " chars)");
    }
    int best = 0;
    for (int t = 1; t < TASKS.length; t++) if (score[t] > score[best]) best = t;
    if (score[best] == 0) {
      return new Classification("qualification", "no task signal in the messages; defaulted to qualification (cheapest, fastest chain)");
    }
    StringBuilder reason = new StringBuilder(TASKS[best]).append(" scored ").append(score[best]).append(" (").append(why[best]).append(')');
    for (int t = 0; t < TASKS.length; t++) {
      if (t != best && score[t] > 0) reason.append("; ").append(TASKS[t]).append(' ').append(score[t]);
    }
    return new Classification(TASKS[best], reason.toString());
  }

  private static void note(StringBuilder[] why, int t, String s) {
    if (why[t] == null) why[t] = new StringBuilder(s);
    else why[t].append(", ").append(s);
  }

  private static int count(String s, char c) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) if (s.charAt(i) == c) n++;
    return n;
  }
}
