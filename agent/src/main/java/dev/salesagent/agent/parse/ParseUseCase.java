package dev.salesagent.agent.parse;

import dev.salesagent.agent.access.Actor;
import dev.salesagent.agent.lead.Evidence;
import dev.salesagent.agent.prompt.PromptTemplate;
import dev.salesagent.agent.schema.StructuredCaller;
import dev.salesagent.agent.schema.StructuredResult;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses a {@link ContactCard} from free text through the router's {@code parsing} task (a local model by
 * default). Anti-hallucination rule: every value must occur in the text (phones compared by digits).
 */
public final class ParseUseCase {
  public static final String TASK = "parsing";
  public static final int MAX_TEXT = 8000;
  private static final Pattern EMAIL_IN_TEXT = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}");
  private static final Pattern PHONE_IN_TEXT = Pattern.compile("\\+?\\(?\\d[\\d ().-]{5,22}\\d");
  private static final Pattern WEB_IN_TEXT = Pattern.compile("(?i)\\bhttps?://\\S+|\\bwww\\.[a-z0-9-]+\\.[a-z]{2,}");
  private final StructuredCaller caller;
  private final PromptTemplate template;

  public ParseUseCase(StructuredCaller caller) {
    this.caller = caller;
    this.template = PromptTemplate.load("parse", "v1");
  }

  /** {@code actor} pays: its key\'s budget is checked before each router call and the ledger rows carry its key. */
  public Future<StructuredResult<ContactCard>> parseContact(String text, String requestId, Actor actor) {
    if (text == null || text.isBlank()) return Future.failedFuture(new IllegalArgumentException("text is empty"));
    if (text.length() > MAX_TEXT) {
      return Future.failedFuture(new IllegalArgumentException("text is longer than " + MAX_TEXT + " characters"));
    }
    var prompt = template.render(Map.of("text", text.strip()));
    return caller.call(TASK, ContactCard.class, prompt, requestId, actor.keyId(), 400, c -> check(c, text));
  }

  /**
   * True when {@code text} carries contact details worth parsing (a signature block, a reply with a footer): an email
   * address, a phone number (7+ digits) or a web address. The pipeline's {@code parse} step runs only on such notes.
   */
  public static boolean hasContactDetails(String text) {
    if (text == null || text.isBlank()) return false;
    if (EMAIL_IN_TEXT.matcher(text).find() || WEB_IN_TEXT.matcher(text).find()) return true;
    Matcher m = PHONE_IN_TEXT.matcher(text);
    while (m.find()) {
      long digits = m.group().chars().filter(Character::isDigit).count();
      if (digits >= 7 && digits <= 15) return true;
    }
    return false;
  }

  public static List<String> check(ContactCard c, String text) {
    List<String> errors = new ArrayList<>();
    String[][] fields = {{"name", c.name()}, {"title", c.title()}, {"company", c.company()}, {"email", c.email()},
        {"website", c.website()}};
    for (String[] f : fields) {
      if (f[1] != null && !Evidence.foundIn(f[1], text)) errors.add("$." + f[0] + ": \"" + f[1] + "\" does not occur in the text");
    }
    if (c.phone() != null) {
      String digits = c.phone().replaceAll("\\D", "");
      String textDigits = text.replaceAll("\\D", "");
      if (!textDigits.contains(digits)) errors.add("$.phone: \"" + c.phone() + "\" does not occur in the text");
    }
    return errors;
  }
}
