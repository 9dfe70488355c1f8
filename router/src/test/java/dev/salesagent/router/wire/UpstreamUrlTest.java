package dev.salesagent.router.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class UpstreamUrlTest {

  @Test
  void takesApartHostPortTlsAndTarget() {
    assertThat(UpstreamUrl.parse("http://127.0.0.1:18095/v1/chat/completions"))
        .isEqualTo(new UpstreamUrl("127.0.0.1", 18095, false, "/v1/chat/completions"));
    assertThat(UpstreamUrl.parse("https://api.anthropic.com/v1/messages?beta=true"))
        .isEqualTo(new UpstreamUrl("api.anthropic.com", 443, true, "/v1/messages?beta=true"));
    assertThat(UpstreamUrl.parse("HTTP://ollama_local/api/chat"))
        .isEqualTo(new UpstreamUrl("ollama_local", 80, false, "/api/chat"));
    assertThat(UpstreamUrl.parse("http://localhost:11434")).isEqualTo(new UpstreamUrl("localhost", 11434, false, "/"));
    assertThat(UpstreamUrl.parse("http://[::1]:8080/v1/models").host()).isEqualTo("[::1]");
  }

  @Test
  void refusesWhatIsNotAnAbsoluteHttpUrl() {
    assertThatThrownBy(() -> UpstreamUrl.parse("ftp://example.com/x")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("http:// or https://");
    assertThatThrownBy(() -> UpstreamUrl.parse("/v1/chat/completions")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a valid upstream URL");
    assertThatThrownBy(() -> UpstreamUrl.parse("http:///path")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no host");
  }
}
