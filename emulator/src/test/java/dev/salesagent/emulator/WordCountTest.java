package dev.salesagent.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class WordCountTest {
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  @Test
  void countsLikeSplit() {
    assertThat(WordCount.of("Fewer picking errors.")).isEqualTo(3);
    assertThat(WordCount.of("a\t b\n\nc ")).isEqualTo(3);
    assertThat(WordCount.of(" leading")).isEqualTo(2); // split keeps the empty first element
    assertThat(WordCount.of("")).isEqualTo(1);
    assertThat(WordCount.of("  \t")).isZero();
    assertThat(WordCount.of("no\u00a0break")).isEqualTo(1); // \s is ASCII whitespace only
  }

  @Test
  void agreesWithSplitOnRandomText() {
    String alphabet = "ab \t\n\u000b\f\r\u00a0\u2003.";
    Random r = new Random(7);
    for (int i = 0; i < 20_000; i++) {
      StringBuilder sb = new StringBuilder();
      int len = r.nextInt(12);
      for (int k = 0; k < len; k++) sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
      String s = sb.toString();
      assertThat(WordCount.of(s)).as("[%s]", s).isEqualTo(WHITESPACE.split(s).length);
    }
  }
}
