package dev.salesagent.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;

class EmailScanTest {
  /** The definition EmailScan must agree with: the pattern tried at every position. */
  private static List<String> byFind(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = EmailScan.EMAIL.matcher(text);
    while (m.find()) if (!out.contains(m.group())) out.add(m.group());
    return out;
  }

  private static List<String> scan(String text) {
    List<String> out = new ArrayList<>();
    EmailScan.collect(text, out);
    return out;
  }

  @Test
  void findsAddressesInProse() {
    String text = "Contact Marco (marco.b+sales@finch-robotics.co.uk) or ops@finch.io; not @handle, x@y, or a@b.c.";
    assertThat(scan(text)).containsExactly("marco.b+sales@finch-robotics.co.uk", "ops@finch.io");
  }

  @Test
  void keepsFirstOccurrenceOnly() {
    assertThat(scan("a@b.com, then A@b.com and a@b.com")).containsExactly("a@b.com", "A@b.com");
  }

  @Test
  void aMatchEndsWhereTheNextCanStart() {
    // the domain of the first address stops before ".x", which find() then starts a new local part from
    String text = "a@b.com.x@c.com and q@@r.com and @s.com t@u.co@v.org";
    assertThat(scan(text)).isEqualTo(byFind(text)).isNotEmpty();
  }

  @Test
  void agreesWithTheRegexOnRandomText() {
    // pieces dense in what matters: local-part punctuation, '@', dots, top-level domains, separators
    String[] pieces = {"ab", "z", "9", ".", "@", "@", ".com", ".c", ".io", "-", "_", "%", "+", " ", ",", "(", "\n", "x.y", "@q"};
    Random r = new Random(42);
    int withAddresses = 0;
    for (int i = 0; i < 20_000; i++) {
      StringBuilder sb = new StringBuilder();
      int len = r.nextInt(30);
      for (int k = 0; k < len; k++) sb.append(pieces[r.nextInt(pieces.length)]);
      String text = sb.toString();
      List<String> expected = byFind(text);
      if (!expected.isEmpty()) withAddresses++;
      assertThat(scan(text)).as("text %s", text).isEqualTo(expected);
    }
    assertThat(withAddresses).as("the random texts exercise matches, not only misses").isGreaterThan(1_000);
  }
}
