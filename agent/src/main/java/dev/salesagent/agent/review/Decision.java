package dev.salesagent.agent.review;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * One recorded decision on a draft: who ({@code actorKeyId}, {@code null} = the operator at the command line), when,
 * what, and the text before and after (the same for approve and reject; an edit changes it).
 */
public record Decision(Action action, Instant at, String actorKeyId, boolean actorAdmin, String beforeSubject,
                       String beforeBody, String afterSubject, String afterBody, String reason) {

  public enum Action {
    APPROVE, EDIT, REJECT;

    public String wire() { return name().toLowerCase(Locale.ROOT); }

    public static Action fromWire(String s) { return valueOf(s.toUpperCase(Locale.ROOT)); }
  }

  public Decision {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(at, "at");
  }
}
