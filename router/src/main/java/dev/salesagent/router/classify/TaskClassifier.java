package dev.salesagent.router.classify;

import dev.salesagent.router.config.RouterConfig;
import dev.salesagent.router.model.ChatRequest;
import dev.salesagent.router.model.Message;
import dev.salesagent.router.model.ResponseFormat;
import dev.salesagent.router.model.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Picks a task for a request that names none, locally and explainably: weighted keyword and feature scores over the
 * messages (no model call). The keywords are the configuration's ({@code tasks.<name>.keywords}); the router itself
 * knows no domain words. The highest score wins, the earlier configured task on a tie; no signal at all falls back to
 * the first configured task. The reason lists the features that scored.
 *
 * <p>Besides keywords, two shape signals score for tasks with fixed, domain-free names when those tasks are
 * configured: structured output (a JSON response format, {@code @} signs, digit-heavy text) for
 * {@value #STRUCTURED_TASK}, and a long input for {@value #LONG_INPUT_TASK}.
 */
public final class TaskClassifier {

  /** The choice and why. */
  public record Classification(String task, String reason) {}

  /** One task's keywords, matched as lower-case substrings of the request's non-assistant messages. */
  public record TaskKeywords(String task, List<String> keywords) {
    public TaskKeywords {
      if (task == null || task.isBlank()) throw new IllegalArgumentException("task name is blank");
      keywords = keywords.stream().map(k -> k.toLowerCase(Locale.ROOT)).toList();
    }
  }

  /** The task that structured-output signals score for. */
  public static final String STRUCTURED_TASK = "parsing";
  /** The task that a long input scores for. */
  public static final String LONG_INPUT_TASK = "research";
  private static final int LONG_INPUT_CHARS = 6000;

  private final String[] tasks;
  private final String[][] keywords;
  private final int structured;
  private final int longInput;

  /** @param tasks in priority order (ties go to the earlier); the first is the fallback; at least one */
  public TaskClassifier(List<TaskKeywords> tasks) {
    if (tasks.isEmpty()) throw new IllegalArgumentException("a classifier needs at least one task");
    this.tasks = new String[tasks.size()];
    this.keywords = new String[tasks.size()][];
    int s = -1;
    int l = -1;
    for (int t = 0; t < tasks.size(); t++) {
      TaskKeywords tk = tasks.get(t);
      this.tasks[t] = tk.task();
      this.keywords[t] = tk.keywords().toArray(String[]::new);
      if (tk.task().equals(STRUCTURED_TASK)) s = t;
      if (tk.task().equals(LONG_INPUT_TASK)) l = t;
    }
    this.structured = s;
    this.longInput = l;
  }

  /** Every configured task with its keywords, in configuration order. */
  public static TaskClassifier fromConfig(RouterConfig config) {
    List<TaskKeywords> list = new ArrayList<>(config.tasks().size());
    for (RouterConfig.TaskConfig t : config.tasks().values()) list.add(new TaskKeywords(t.name(), t.keywords()));
    return new TaskClassifier(list);
  }

  public Classification classify(ChatRequest request) {
    StringBuilder all = new StringBuilder();
    for (Message m : request.messages()) {
      if (m.role() != Role.ASSISTANT) all.append(m.content()).append('\n');
    }
    String text = all.toString().toLowerCase(Locale.ROOT);
    int[] score = new int[tasks.length];
    StringBuilder[] why = new StringBuilder[tasks.length];
    for (int t = 0; t < tasks.length; t++) {
      for (String kw : keywords[t]) {
        if (text.contains(kw)) {
          score[t] += 2;
          note(why, t, "'" + kw + "'");
        }
      }
    }
    if (structured >= 0) {
      if (!(request.responseFormat() instanceof ResponseFormat.Text)) {
        score[structured] += 3;
        note(why, structured, "JSON output requested");
      }
      int emails = count(text, '@');
      if (emails > 0) {
        score[structured] += Math.min(3, emails);
        note(why, structured, emails + " '@' sign(s)");
      }
      int digits = 0;
      for (int i = 0; i < text.length(); i++) if (Character.isDigit(text.charAt(i))) digits++;
      if (text.length() > 0 && digits * 10 > text.length()) {
        score[structured] += 2;
        note(why, structured, "digit-heavy text");
      }
    }
    if (longInput >= 0 && text.length() > LONG_INPUT_CHARS) {
      score[longInput] += 2;
      note(why, longInput, "long input (" + text.length() + " chars)");
    }
    int best = 0;
    for (int t = 1; t < tasks.length; t++) if (score[t] > score[best]) best = t;
    if (score[best] == 0) {
      return new Classification(tasks[0], "no task signal in the messages; defaulted to " + tasks[0] + " (the first configured task)");
    }
    StringBuilder reason = new StringBuilder(tasks[best]).append(" scored ").append(score[best]).append(" (").append(why[best]).append(')');
    for (int t = 0; t < tasks.length; t++) {
      if (t != best && score[t] > 0) reason.append("; ").append(tasks[t]).append(' ').append(score[t]);
    }
    return new Classification(tasks[best], reason.toString());
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
