package dev.salesagent.router.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseDecoderTest {
  private final List<String> got = new ArrayList<>();
  private final SseDecoder d = new SseDecoder((ev, data, len) -> got.add(ev + "|" + new String(data, 0, len, StandardCharsets.UTF_8)));

  private void feed(String s) {
    d.feed(Buffer.buffer(s.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void dispatchesOnBlankLineWithEventName() {
    feed("event: message_start\ndata: {\"a\":1}\n\n");
    assertThat(got).containsExactly("message_start|{\"a\":1}");
  }

  @Test
  void joinsMultiLineDataAndStripsOneSpaceOnly() {
    feed("data:  two spaces\ndata:none\ndata\n\n");
    assertThat(got).containsExactly("null| two spaces\nnone\n");
  }

  @Test
  void ignoresCommentsIdRetryAndUnknownFields() {
    feed(": keep-alive\n\nid: 7\nretry: 100\nfoo: bar\ndata: x\n\n");
    assertThat(got).containsExactly("null|x");
  }

  @Test
  void eventWithoutDataIsNotDispatchedAndNameDoesNotLeak() {
    feed("event: ping\n\ndata: y\n\n");
    assertThat(got).containsExactly("null|y");
  }

  @Test
  void crAtChunkEndFollowedByLfIsOneLineEnd() {
    feed("data: a\r");
    feed("\n\r");
    feed("\ndata: b\r\r");
    assertThat(got).containsExactly("null|a", "null|b");
  }

  @Test
  void crOnlyLineEnds() {
    feed("event: e\rdata: 1\r\rdata: 2\r\r");
    assertThat(got).containsExactly("e|1", "null|2");
  }

  @Test
  void splitInsideMultiByteCharacter() {
    byte[] b = "data: 中文👋\n\n".getBytes(StandardCharsets.UTF_8);
    for (byte x : b) d.feed(new byte[] {x}, 0, 1);
    assertThat(got).containsExactly("null|中文👋");
  }

  @Test
  void endReportsAndDiscardsAnUnterminatedEvent() {
    feed("data: done\n\ndata: partial\n");
    assertThat(d.end()).isTrue();
    assertThat(got).containsExactly("null|done");
  }

  @Test
  void endReportsAnUnterminatedLine() {
    feed("data: done\n\ndata: par");
    assertThat(d.end()).isTrue();
  }

  @Test
  void cleanEndReportsNothing() {
    feed("data: done\n\n: trailing comment\n");
    assertThat(d.end()).isFalse();
    assertThat(got).containsExactly("null|done");
  }

  @Test
  void closeStopsDecoding() {
    SseDecoder[] self = new SseDecoder[1];
    self[0] = new SseDecoder((ev, data, len) -> {
      got.add(new String(data, 0, len, StandardCharsets.UTF_8));
      self[0].close();
    });
    self[0].feed(Buffer.buffer("data: 1\n\ndata: 2\n\n"));
    assertThat(got).containsExactly("1");
  }

  @Test
  void leadingBomIsDropped() {
    byte[] b = "\uFEFFdata: x\n\n".getBytes(StandardCharsets.UTF_8);
    for (byte x : b) d.feed(new byte[] {x}, 0, 1);
    assertThat(got).containsExactly("null|x");
  }

  @Test
  void bomLikeBytesLaterAreContent() {
    feed("data: \uFEFFy\n\n");
    assertThat(got).containsExactly("null|\uFEFFy");
  }

  @Test
  void endlessLineIsRefused() {
    byte[] mb = new byte[1 << 20];
    java.util.Arrays.fill(mb, (byte) 'x');
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> {
      for (int i = 0; i < 17; i++) d.feed(mb, 0, mb.length);
    }).isInstanceOf(FrameTooLargeException.class);
  }

  @Test
  void endlessLineFailsTheStreamAsMalformed() {
    var p = new dev.salesagent.router.provider.openai.OpenAiStreamParser(e -> {}, true, dev.salesagent.router.provider.FixtureSupport.ERRORS);
    byte[] mb = new byte[1 << 20];
    java.util.Arrays.fill(mb, (byte) 'x');
    p.feed("data: ".getBytes(StandardCharsets.UTF_8), 0, 6);
    for (int i = 0; i < 17; i++) p.feed(mb, 0, mb.length);
    assertThat(p.accumulator().failure().providerErrorType()).isEqualTo(WireFailure.MALFORMED_EVENT);
  }

  @Test
  void largeEventGrowsBuffers() {
    String big = "x".repeat(100_000);
    feed("data: " + big.substring(0, 50_000));
    feed(big.substring(50_000) + "\n\n");
    assertThat(got).containsExactly("null|" + big);
  }
}
