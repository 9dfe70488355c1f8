package dev.salesagent.server.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.BadRequestException;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import dev.salesagent.server.GatewayHarness;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The official OpenAI Java SDK as the judge of {@code /v1/embeddings}: floats, base64, arrays, an error. */
class EmbeddingsSdkTest {
  static GatewayHarness h;
  static OpenAIClient client;

  @BeforeAll
  static void up() {
    h = new GatewayHarness();
    client = OpenAIOkHttpClient.builder().baseUrl(h.baseUrl() + "/v1").apiKey(GatewayHarness.ADMIN_KEY).maxRetries(0)
        .timeout(Duration.ofSeconds(60)).build();
  }

  @AfterAll
  static void down() {
    client.close();
    h.close();
  }

  static double norm(List<Float> v) {
    double s = 0;
    for (float f : v) s += (double) f * f;
    return Math.sqrt(s);
  }

  @Test
  void floatsForAnArray() {
    CreateEmbeddingResponse r = client.embeddings().create(EmbeddingCreateParams.builder().model("task:embedding")
        .inputOfArrayOfStrings(List.of("Ada Lovelace", "Charles Babbage")).encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT).build());
    assertThat(r.data()).hasSize(2);
    assertThat(r.data().get(0).index()).isZero();
    assertThat(r.data().get(1).index()).isEqualTo(1);
    assertThat(r.data().get(0).embedding()).hasSize(768);
    assertThat(norm(r.data().get(0).embedding())).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
    assertThat(r.data().get(0).embedding()).isNotEqualTo(r.data().get(1).embedding());
    assertThat(r.usage().promptTokens()).isEqualTo(3 + 4);
    assertThat(r.model()).isEqualTo("nomic-embed-text");
  }

  @Test
  void base64DecodesToTheSameFloats() {
    EmbeddingCreateParams.Builder p = EmbeddingCreateParams.builder().model("ollama/nomic-embed-text").input("one text");
    List<Float> floats = client.embeddings().create(p.encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT).build())
        .data().get(0).embedding();
    List<Float> fromBase64 = client.embeddings().create(p.encodingFormat(EmbeddingCreateParams.EncodingFormat.BASE64).build())
        .data().get(0).embedding();
    assertThat(fromBase64).isEqualTo(floats);
  }

  @Test
  void dimensions() {
    CreateEmbeddingResponse r = client.embeddings().create(EmbeddingCreateParams.builder().model("task:embedding")
        .input("shorter").dimensions(64).build());
    assertThat(r.data().get(0).embedding()).hasSize(64);
  }

  @Test
  void aChatModelIsABadRequest() {
    assertThatThrownBy(() -> client.embeddings().create(EmbeddingCreateParams.builder().model("deepseek/deepseek-flash")
        .input("x").build())).isInstanceOf(BadRequestException.class).hasMessageContaining("not an embedding model");
  }
}
