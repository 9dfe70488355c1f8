package dev.salesagent.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.salesagent.compat.litellm.LiteLlmExtras;
import dev.salesagent.router.wire.WireJson;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What LiteLLM's extras handling costs an ordinary chat-completions request on the gateway: {@code extrasOrdinary} is
 * the added work ({@link LiteLlmExtras#read} over an already parsed body without extras), {@code parseOrdinary} the
 * body parse every request pays anyway, for scale; {@code extrasLiteLlm} a body carrying four extras.
 *
 * <pre>java -jar bench/target/benchmarks.jar RequestExtrasBenchmark -f 1 -wi 3 -i 5 -w 1 -r 1 -prof gc</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RequestExtrasBenchmark {
  private static final String ORDINARY = "{\"model\":\"task:content\",\"max_tokens\":200,\"stream\":true,"
      + "\"stream_options\":{\"include_usage\":true},\"temperature\":0.2,\"messages\":[{\"role\":\"system\",\"content\":"
      + "\"You write short emails.\"},{\"role\":\"user\",\"content\":\"Write a two-line intro to Acme's CTO.\"}]}";
  private static final String LITELLM = ORDINARY.substring(0, ORDINARY.length() - 1)
      + ",\"metadata\":{\"trace_id\":\"t\"},\"tags\":[\"a\"],\"fallbacks\":[\"cheap\"],\"num_retries\":1}";

  private Buffer ordinaryBytes;
  private JsonNode ordinary;
  private JsonNode litellm;

  @Setup
  public void setup() {
    ordinaryBytes = Buffer.buffer(ORDINARY);
    ordinary = WireJson.parse(ordinaryBytes);
    litellm = WireJson.parse(Buffer.buffer(LITELLM));
  }

  @Benchmark
  public LiteLlmExtras extrasOrdinary() {
    return LiteLlmExtras.read(ordinary);
  }

  @Benchmark
  public LiteLlmExtras extrasLiteLlm() {
    return LiteLlmExtras.read(litellm);
  }

  @Benchmark
  public JsonNode parseOrdinary() {
    return WireJson.parse(ordinaryBytes);
  }
}
