package dev.salesagent.emulator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Deterministic prose, hashing and token-piece splitting shared by all protocols. */
final class TextGenerator {
  private TextGenerator() {}

  private static final String[] SENTENCES = {
    "Thanks for the detailed context on your team and goals.",
    "The strongest signal here is a clear need paired with budget ownership.",
    "Companies of this size usually feel the pain once manual follow-up stops scaling.",
    "A short discovery call would confirm the timeline and the decision process.",
    "Their recent hiring suggests the sales team is growing quickly this year.",
    "Personalised outreach that references a concrete problem tends to earn a reply.",
    "It is worth checking whether a competing tool is already in place.",
    "The next step is to share a brief case study from a similar company.",
    "Response times matter because warm leads cool down within a few days.",
    "Keep the message short and end with one simple question.",
    "The account looks like a good fit for the mid market plan.",
    "Pricing should come after the value is clear to the buyer.",
    "A champion inside the operations team would make adoption much easier.",
    "Their website points to a strong focus on customer experience.",
    "The industry is moving toward automation, so timing looks favourable.",
    "Expect questions about security, data handling and integration effort.",
    "A pilot with one team keeps the risk low for everyone involved.",
    "Follow up in three business days if there is no answer.",
    "The main risk is that the project has no confirmed budget yet.",
    "Lead scoring works best when it combines fit and intent signals.",
    "This contact appears to own the workflow we would improve.",
    "A clear subject line with the company name lifts open rates.",
    "Research shows the team already uses a modern CRM platform.",
    "Mention the measurable outcome rather than a list of features.",
    "The buyer will likely involve finance before signing anything.",
    "Start with the problem they described and restate it plainly.",
    "Smaller teams often decide faster when the setup is simple.",
    "The recommendation is to prioritise this lead for outreach this week.",
    "Regional expansion plans could open a larger opportunity later.",
    "A friendly tone works better than a formal pitch for this audience.",
    "Summarise the call notes and share them within one day.",
    "Clear next steps help both sides keep momentum.",
    "Their growth stage makes efficiency a top priority.",
    "Offer two meeting times to make scheduling easy.",
    "Data quality in the lead record looks good overall.",
    "Avoid jargon and focus on the results they care about.",
    "The timing is right because their current contract renews soon.",
    "An introduction through a mutual connection would warm up the thread.",
    "Expect a longer cycle if procurement gets involved early.",
    "This is a promising account with room to grow over time.",
  };

  /** 64-bit FNV-1a over UTF-16 code units, then a murmur-style finaliser. */
  static long hash(long h, String s) {
    if (s == null) s = "\u0000";
    for (int i = 0; i < s.length(); i++) {
      h ^= s.charAt(i);
      h *= 0x100000001b3L;
    }
    h ^= 0xff;
    h *= 0x100000001b3L;
    return h;
  }

  static final long SEED = 0xcbf29ce484222325L;

  static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }

  /** A few sentences of plain English, about 20-60 words, fully determined by {@code h}. */
  static String prose(long h) {
    SplittableRandom r = new SplittableRandom(mix(h));
    int target = 20 + r.nextInt(41);
    StringBuilder sb = new StringBuilder(400);
    int words = 0;
    int last = -1;
    while (words < target) {
      int i = r.nextInt(SENTENCES.length);
      if (i == last) i = (i + 1) % SENTENCES.length;
      last = i;
      String s = SENTENCES[i];
      if (sb.length() > 0) sb.append(' ');
      sb.append(s);
      words += countWords(s);
    }
    return sb.toString();
  }

  private static final String[] THOUGHTS = {
    "The user wants a clear and useful answer.",
    "I should keep it short and concrete.",
    "The key facts are in the last message.",
    "A direct recommendation will help most here.",
    "I will mention the next step at the end.",
    "Tone should be friendly and professional.",
  };

  /** Deterministic reasoning text (for thinking / reasoning_content), ~15-30 words. */
  static String reasoning(long h, String lastUser) {
    SplittableRandom r = new SplittableRandom(mix(h ^ 0x5eed));
    StringBuilder sb = new StringBuilder("Let me think about this request.");
    int n = 2 + r.nextInt(3);
    int start = r.nextInt(THOUGHTS.length);
    for (int i = 0; i < n; i++) sb.append(' ').append(THOUGHTS[(start + i) % THOUGHTS.length]);
    return sb.toString();
  }

  static int countWords(String s) {
    int n = 0;
    boolean in = false;
    for (int i = 0; i < s.length(); i++) {
      boolean ws = Character.isWhitespace(s.charAt(i));
      if (!ws && !in) n++;
      in = !ws;
    }
    return n;
  }

  /**
   * Splits text into token-like pieces whose concatenation is exactly the text: optional leading
   * whitespace followed by a run of letters/digits, or by a single other character.
   */
  static List<String> pieces(String text) {
    List<String> out = new ArrayList<>(Math.max(4, text.length() / 4));
    int n = text.length();
    int i = 0;
    while (i < n) {
      int start = i;
      while (i < n && Character.isWhitespace(text.charAt(i))) i++;
      if (i < n) {
        char c = text.charAt(i);
        if (Character.isLetterOrDigit(c)) {
          while (i < n && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '\'')) i++;
        } else {
          i += Character.isHighSurrogate(c) && i + 1 < n ? 2 : 1;
        }
      }
      out.add(text.substring(start, i));
    }
    return out;
  }

  static int utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
