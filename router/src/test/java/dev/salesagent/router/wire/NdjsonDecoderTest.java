package dev.salesagent.router.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NdjsonDecoderTest {
  private final List<String> got = new ArrayList<>();
  private final NdjsonDecoder d = new NdjsonDecoder((b, off, len) -> got.add(new String(b, off, len, StandardCharsets.UTF_8)));

  @Test
  void splitsLinesToleratesCrlfAndSkipsBlankLines() {
    d.feed(Buffer.buffer("{\"a\":1}\r\n\n  \n{\"b\":"));
    d.feed(Buffer.buffer("2}\n"));
    assertThat(got).containsExactly("{\"a\":1}", "{\"b\":2}");
    assertThat(d.end()).isFalse();
  }

  @Test
  void finalFragmentWithoutNewlineIsIncomplete() {
    d.feed(Buffer.buffer("{\"a\":1}\n{\"done\":tr"));
    assertThat(d.end()).isTrue();
    assertThat(got).containsExactly("{\"a\":1}");
  }

  @Test
  void splitInsideMultiByteCharacter() {
    byte[] b = "{\"c\":\"東京 🗼\"}\n".getBytes(StandardCharsets.UTF_8);
    for (byte x : b) d.feed(new byte[] {x}, 0, 1);
    assertThat(got).containsExactly("{\"c\":\"東京 🗼\"}");
  }
}
