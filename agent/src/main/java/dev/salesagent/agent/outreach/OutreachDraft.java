package dev.salesagent.agent.outreach;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A ready-to-review first-touch email. Validated on construction: subject and body present, no leaked template
 * placeholders, no fake reply/forward prefix, at least one personalisation point, a call to action and an
 * unsubscribe line. Grounding (no unsupported claim) is checked against the sources by {@link OutreachUseCase}.
 */
public record OutreachDraft(
    String subject,
    String body,
    List<PersonalisationPoint> personalisationPoints,
    String callToAction,
    String unsubscribeLine) {

  /** {@code {{x}}}, {@code [First Name]}, {@code <company>}, {@code %NAME%}: template residue a model may leak. */
  public static final Pattern PLACEHOLDER =
      Pattern.compile("\\{\\{|\\}\\}|\\[(?:your|first|last|company|name|insert|recipient|prospect)[^\\]]*\\]|<(?:name|company|first[ _]?name)>|%[A-Z_]{3,}%",
          Pattern.CASE_INSENSITIVE);

  public static final int MAX_BODY_WORDS = 220;

  public OutreachDraft {
    subject = req(subject, "subject").strip();
    body = req(body, "body").strip();
    callToAction = req(callToAction, "call to action").strip();
    unsubscribeLine = req(unsubscribeLine, "unsubscribe line").strip();
    personalisationPoints = personalisationPoints == null ? List.of() : List.copyOf(personalisationPoints);
    if (personalisationPoints.isEmpty()) throw new IllegalArgumentException("a draft needs at least one personalisation point");
    if (subject.length() > 120) throw new IllegalArgumentException("subject is longer than 120 characters");
    if (subject.matches("(?i)^(re|fwd?|aw|wg)\\s*:.*")) throw new IllegalArgumentException("subject must not fake a reply or forward (" + subject + ")");
    for (String[] f : new String[][] {{"subject", subject}, {"body", body}, {"call to action", callToAction}}) {
      var m = PLACEHOLDER.matcher(f[1]);
      if (m.find()) throw new IllegalArgumentException(f[0] + " contains the placeholder '" + m.group() + "'");
    }
    int words = body.split("\\s+").length;
    if (words > MAX_BODY_WORDS) throw new IllegalArgumentException("body has " + words + " words; at most " + MAX_BODY_WORDS);
  }

  private static String req(String s, String name) {
    if (s == null || s.isBlank()) throw new IllegalArgumentException(name + " is required");
    return s;
  }

  /** The email as sent: body, the call to action (unless the body already ends with it) and the unsubscribe line. */
  public String fullText() {
    StringBuilder sb = new StringBuilder(body);
    if (!body.contains(callToAction)) sb.append("\n\n").append(callToAction);
    sb.append("\n\n").append(unsubscribeLine);
    return sb.toString();
  }
}
