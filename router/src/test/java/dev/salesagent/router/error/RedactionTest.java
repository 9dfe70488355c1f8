package dev.salesagent.router.error;

import static org.assertj.core.api.Assertions.assertThat;

import dev.salesagent.router.ProviderStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedactionTest {
  @Test
  void urlCredentialsAndCredentialParametersAreRemoved() {
    assertThat(Redaction.url("https://user:p%40ss@api.example.com:8443/v1")).isEqualTo("https://***@api.example.com:8443/v1");
    assertThat(Redaction.url("http://token@host/v1?api_key=abc123&model=x&access_token=zzz"))
        .isEqualTo("http://***@host/v1?api_key=***&model=x&access_token=***");
    assertThat(Redaction.url("jdbc:postgresql://db:5432/sales?user=app&password=s3cret&ssl=true"))
        .isEqualTo("jdbc:postgresql://db:5432/sales?user=app&password=***&ssl=true");
    assertThat(Redaction.url("jdbc:h2:file:/data/x;USER=sa;PASSWORD=s3cret;AUTO_SERVER=FALSE"))
        .isEqualTo("jdbc:h2:file:/data/x;USER=sa;PASSWORD=***;AUTO_SERVER=FALSE");
    // nothing secret: unchanged, and null stays null
    assertThat(Redaction.url("https://api.anthropic.com")).isEqualTo("https://api.anthropic.com");
    assertThat(Redaction.text("write to dana@northwind.com about http://host/a@b")).isEqualTo("write to dana@northwind.com about http://host/a@b");
    assertThat(Redaction.text(null)).isNull();
  }

  @Test
  void textKeepsItsWordsAndLosesItsSecrets() {
    assertThat(Redaction.text("connect to https://svc:hunter2@10.0.0.1/v1 failed; Authorization: Bearer abcdef123456; key sk-live-abcdefgh"))
        .isEqualTo("connect to https://***@10.0.0.1/v1 failed; Authorization: [redacted]; key [redacted]");
    assertThat(LlmException.of(ErrorKind.UNAVAILABLE, "no answer from http://u:pw@h:1/x").getMessage())
        .isEqualTo("no answer from http://***@h:1/x");
  }

  @Test
  void providerStatusNeverHoldsUrlCredentials() {
    ProviderStatus p = new ProviderStatus("vault", "openai-compatible", "down", "probe: connection refused http://u:pw@h:9/v1",
        "http://u:pw@h:9/v1?api_key=k", true, null, "failed: http://u:pw@h:9", List.of());
    assertThat(p.baseUrl()).isEqualTo("http://***@h:9/v1?api_key=***");
    assertThat(p.reason() + p.lastProbe()).doesNotContain("pw");
  }
}
