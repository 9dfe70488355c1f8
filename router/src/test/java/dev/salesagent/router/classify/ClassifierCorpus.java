package dev.salesagent.router.classify;

import dev.salesagent.router.model.ChatRequest;
import dev.salesagent.router.model.Message;
import dev.salesagent.router.model.ResponseFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded corpus of requests for the auto-task classifier: keyword phrases (sales words included), filler, e-mail
 * addresses, digit runs, long inputs, JSON response formats, system and assistant messages. The golden file
 * {@code classifier-golden.tsv} holds the choice and reason the classifier made for each request before its keywords
 * moved to the configuration, so the default configuration is checked to classify exactly as the hard-coded one did.
 */
final class ClassifierCorpus {
  static final int SIZE = 600;

  private static final String[] PHRASES = {
      "qualif", "lead score", "score this lead", "icp", "ideal customer", "fit", "bant", "budget authority",
      "decision maker", "tier", "hot lead", "cold lead", "prioriti", "is this a good lead", "disqualif",
      "write", "draft", "email", "outreach", "subject line", "compose", "message to", "follow-up", "follow up",
      "linkedin", "rewrite", "tone", "cold email", "personali", "copy", "pitch",
      "research", "company", "account", "competitor", "market", "industry", "news", "funding", "background", "analy",
      "insight", "brief", "summar", "tech stack", "pain point", "why",
      "parse", "extract", "json", "fields", "structured", "contact card", "phone", "e-mail address", "email address",
      "signature", "vcard", "normalize", "normalise", "csv", "name, title",
      "LEAD SCORE", "Outreach", "BANT", "Qualification"};
  private static final String[] FILLER = {"hello", "please", "the", "team", "our", "product", "thanks", "today", "a",
      "quick", "question", "about", "next", "steps", "for", "them", "ok", "sure"};

  private ClassifierCorpus() {}

  static List<ChatRequest> requests() {
    SplittableRandom r = new SplittableRandom(20261203L);
    List<ChatRequest> out = new ArrayList<>(SIZE);
    for (int i = 0; i < SIZE; i++) {
      List<Message> messages = new ArrayList<>();
      if (r.nextInt(5) == 0) messages.add(Message.system(sentence(r, r.nextInt(3))));
      if (r.nextInt(6) == 0) messages.add(Message.assistant(sentence(r, 1 + r.nextInt(3))));
      StringBuilder user = new StringBuilder(sentence(r, r.nextInt(5)));
      if (r.nextInt(5) == 0) {
        for (int e = r.nextInt(5); e >= 0; e--) user.append(" p").append(r.nextInt(100)).append("@acme.io");
      }
      if (r.nextInt(6) == 0) {
        for (int d = r.nextInt(12); d >= 0; d--) user.append(' ').append(r.nextLong(1_000_000_000L));
      }
      if (r.nextInt(15) == 0) {
        while (user.length() < 6500) user.append(' ').append(FILLER[r.nextInt(FILLER.length)]);
      }
      messages.add(Message.user(user.toString()));
      ChatRequest req = ChatRequest.of(messages);
      if (r.nextInt(6) == 0) req = req.withResponseFormat(ResponseFormat.JSON_OBJECT);
      out.add(req);
    }
    return out;
  }

  private static String sentence(SplittableRandom r, int phrases) {
    StringBuilder sb = new StringBuilder();
    for (int w = 2 + r.nextInt(6); w > 0; w--) sb.append(FILLER[r.nextInt(FILLER.length)]).append(' ');
    for (int p = 0; p < phrases; p++) {
      sb.append(PHRASES[r.nextInt(PHRASES.length)]).append(' ');
      sb.append(FILLER[r.nextInt(FILLER.length)]).append(' ');
    }
    return sb.toString().trim();
  }
}
