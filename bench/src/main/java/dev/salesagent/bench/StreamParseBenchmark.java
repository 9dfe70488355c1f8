package dev.salesagent.bench;

import dev.salesagent.router.model.StreamEvent;
import dev.salesagent.router.provider.anthropic.AnthropicStreamParser;
import dev.salesagent.router.provider.ollama.OllamaStreamParser;
import dev.salesagent.router.provider.openai.OpenAiStreamParser;
import dev.salesagent.router.provider.registry.Providers;
import dev.salesagent.router.wire.ErrorMapper;
import dev.salesagent.router.wire.SseDecoder;
import dev.salesagent.router.wire.StreamParser;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Parsing cost of one streamed answer of ~200 events per protocol (Anthropic SSE, OpenAI-style SSE with usage, Ollama
 * NDJSON), fed from bytes in TCP-sized reads exactly as the adapters are fed by Vert.x.
 *
 * <p>One benchmark operation = one whole stream. Throughput in MB/s is the {@code bytes} aux counter (bytes/s) / 1e6;
 * {@code chunks} counts reads/s. Allocation per stream is {@code gc.alloc.rate.norm} under {@code -prof gc}; divide by
 * the chunk count of the stream (printed at setup) for allocation per read. {@code decodeOnly} measures the SSE
 * framing alone (no JSON), to separate the decoder from the JSON cost.
 *
 * <pre>java -jar bench/target/benchmarks.jar StreamParseBenchmark -f 1 -wi 3 -i 5 -w 1 -r 2 -prof gc</pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
public class StreamParseBenchmark {
  private static final ErrorMapper ERRORS = new ErrorMapper(Providers.BUILT_IN.errors());


  /** A text answer per protocol; {@code -tools}: two parallel tool calls whose arguments stream in ~200 fragments. */
  @Param({"anthropic", "openai", "ollama", "anthropic-tools", "openai-tools"})
  public String protocol;

  /** Bytes per read: one Ethernet MSS, and a larger coalesced read. */
  @Param({"1448", "16384"})
  public int chunkSize;

  private byte[] payload;
  private Buffer[] chunks;

  /** Bytes and reads processed, reported by JMH as rates. */
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  @State(Scope.Thread)
  public static class Counters {
    public long bytes;
    public long chunks;

    @Setup(Level.Iteration)
    public void reset() {
      bytes = 0;
      chunks = 0;
    }
  }

  @Setup
  public void setup() {
    payload = switch (protocol) {
      case "anthropic" -> anthropic(200);
      case "openai" -> openai(200);
      case "anthropic-tools" -> anthropicTools(200);
      case "openai-tools" -> openaiTools(200);
      default -> ollama(200);
    };
    List<Buffer> cs = new ArrayList<>();
    for (int off = 0; off < payload.length; off += chunkSize) {
      int n = Math.min(chunkSize, payload.length - off);
      byte[] c = new byte[n];
      System.arraycopy(payload, off, c, 0, n);
      cs.add(Buffer.buffer(c));
    }
    chunks = cs.toArray(new Buffer[0]);
    System.out.printf("%n[setup] %s: %d bytes, %d reads of <= %d bytes%n", protocol, payload.length, chunks.length, chunkSize);
  }

  @Benchmark
  public Object parse(Counters c, Blackhole bh) {
    Handler<StreamEvent> sink = bh::consume;
    StreamParser p = switch (protocol) {
      case "anthropic", "anthropic-tools" -> new AnthropicStreamParser(sink, null, ERRORS);
      case "openai", "openai-tools" -> new OpenAiStreamParser(sink, true, ERRORS);
      default -> new OllamaStreamParser(sink, ERRORS);
    };
    for (Buffer b : chunks) p.feed(b);
    p.end();
    c.bytes += payload.length;
    c.chunks += chunks.length;
    if (!p.accumulator().isComplete()) throw new IllegalStateException("benchmark stream did not complete");
    return p.accumulator().usage();
  }

  @Benchmark
  public int decodeOnly(Counters c) {
    if (protocol.startsWith("ollama")) return 0; // NDJSON framing is a byte scan; the SSE decoder is the interesting one
    int[] n = new int[1];
    SseDecoder d = new SseDecoder((ev, data, len) -> n[0] += len);
    for (Buffer b : chunks) d.feed(b);
    d.end();
    c.bytes += payload.length;
    c.chunks += chunks.length;
    return n[0];
  }

  /**
   * A contention-proof cross-check for a shared machine: parses each transcript many times on one thread and reports
   * throughput per CPU-second of that thread (not wall time) and allocated bytes per stream/event/read.
   * {@code java -cp bench/target/benchmarks.jar dev.salesagent.bench.StreamParseBenchmark [seconds-per-case]}
   */
  public static void main(String[] args) {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().getId();
    System.out.printf("%-10s %6s %8s %12s %10s %10s %10s%n", "protocol", "read", "streams", "MB/cpu-s", "B/stream", "B/event", "B/read");
    for (int chunk : new int[] {1448, 16384}) {
      for (String proto : new String[] {"anthropic", "openai", "ollama", "anthropic-tools", "openai-tools"}) {
        StreamParseBenchmark b = new StreamParseBenchmark();
        b.protocol = proto;
        b.chunkSize = chunk;
        java.io.PrintStream out = System.out;
        System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        b.setup();
        System.setOut(out);
        Counters c = new Counters();
        Blackhole bh = new Blackhole("Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
        long warmEnd = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() < warmEnd) b.parse(c, bh);
        long cpu0 = mx.getCurrentThreadCpuTime();
        long alloc0 = mx.getThreadAllocatedBytes(tid);
        long n = 0;
        while (mx.getCurrentThreadCpuTime() - cpu0 < (long) (seconds * 1e9)) {
          for (int i = 0; i < 50; i++) b.parse(c, bh);
          n += 50;
        }
        long cpu = mx.getCurrentThreadCpuTime() - cpu0;
        long alloc = mx.getThreadAllocatedBytes(tid) - alloc0;
        System.out.printf("%-10s %6d %8d %12.1f %10d %10d %10d%n", proto, chunk, n, b.payload.length * (double) n / (cpu / 1e9) / 1e6,
            alloc / n, alloc / n / 200, alloc / n / b.chunks.length);
      }
    }
  }

  // ---- realistic transcripts ----

  private static final String[] WORDS = {
    " Thanks", " for", " reaching", " out", " about", " the", " pipeline", " review", ";", " our", " team", " can",
    " walk", " you", " through", " pricing", ",", " onboarding", " and", " the", " café", " integration", " (", "東京",
    " office", ")", " next", " week", ".", " 👋"
  };

  static String piece(int i) {
    return WORDS[i % WORDS.length];
  }

  static String esc(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  static byte[] openai(int events) {
    StringBuilder sb = new StringBuilder();
    String head = "{\"id\":\"chatcmpl-8d2e4a61-b3f7-4c90-a5e1-0f7b9c3d2e86\",\"object\":\"chat.completion.chunk\",\"created\":1795442831,"
        + "\"model\":\"gpt-oss-120b\",\"system_fingerprint\":\"fp_70185065a4\",\"choices\":[{\"index\":0,\"delta\":";
    sb.append("data: ").append(head).append("{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n");
    for (int i = 0; i < events - 3; i++) {
      sb.append("data: ").append(head).append("{\"content\":\"").append(esc(piece(i)))
          .append("\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n");
    }
    sb.append("data: ").append(head).append("{},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":null}\n\n");
    sb.append("data: {\"id\":\"chatcmpl-8d2e4a61-b3f7-4c90-a5e1-0f7b9c3d2e86\",\"object\":\"chat.completion.chunk\",\"created\":1795442831,"
        + "\"model\":\"gpt-oss-120b\",\"choices\":[],\"usage\":{\"prompt_tokens\":69,\"completion_tokens\":197,\"total_tokens\":266,"
        + "\"prompt_tokens_details\":{\"cached_tokens\":0}}}\n\n");
    sb.append("data: [DONE]\n\n");
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  static byte[] anthropic(int events) {
    StringBuilder sb = new StringBuilder();
    sb.append("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"model\":\"claude-haiku-4-5-20251001\","
        + "\"id\":\"msg_01RfT4nZk8GdYq2WvXb6HcJm\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"stop_reason\":null,"
        + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":18,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,"
        + "\"output_tokens\":1,\"service_tier\":\"standard\"}}}\n\n");
    sb.append("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n");
    int deltas = events - 6;
    for (int i = 0; i < deltas; i++) {
      if (i == deltas / 2) sb.append("event: ping\ndata: {\"type\": \"ping\"}\n\n");
      sb.append("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"")
          .append(esc(piece(i))).append("\"}}\n\n");
    }
    sb.append("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n");
    sb.append("event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},"
        + "\"usage\":{\"output_tokens\":194}}\n\n");
    sb.append("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  static byte[] ollama(int events) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < events - 1; i++) {
      sb.append("{\"model\":\"llama3.2\",\"created_at\":\"2026-11-23T14:05:40.111732911Z\",\"message\":{\"role\":\"assistant\",\"content\":\"")
          .append(esc(piece(i))).append("\"},\"done\":false}\n");
    }
    sb.append("{\"model\":\"llama3.2\",\"created_at\":\"2026-11-23T14:05:40.216372044Z\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},"
        + "\"done_reason\":\"stop\",\"done\":true,\"total_duration\":498213375,\"load_duration\":23817208,\"prompt_eval_count\":30,"
        + "\"prompt_eval_duration\":61402000,\"eval_count\":199,\"eval_duration\":402118000}\n");
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Argument fragments of two parallel calls, the way providers cut them: a few characters each. */
  static List<String> argumentFragments(int fragments) {
    StringBuilder args = new StringBuilder("{\"domain\":\"acme.io\",\"notes\":\"");
    for (int i = 0; args.length() < fragments * 4; i++) args.append(piece(i).replace("\"", ""));
    args.append("\"}");
    List<String> out = new ArrayList<>();
    String a = args.toString();
    for (int off = 0, k = 0; off < a.length(); k++) {
      int n = Math.min(a.length() - off, 2 + k % 5);
      out.add(a.substring(off, off + n));
      off += n;
    }
    return out;
  }

  static byte[] openaiTools(int events) {
    StringBuilder sb = new StringBuilder();
    String head = "{\"id\":\"chatcmpl-8d2e4a61-b3f7-4c90-a5e1-0f7b9c3d2e86\",\"object\":\"chat.completion.chunk\",\"created\":1795442831,"
        + "\"model\":\"gpt-oss-120b\",\"system_fingerprint\":\"fp_70185065a4\",\"choices\":[{\"index\":0,\"delta\":";
    List<String> frags = argumentFragments((events - 4) / 2);
    int perCall = Math.min(frags.size(), (events - 4) / 2);
    for (int call = 0; call < 2; call++) {
      String open = "{\"index\":" + call + ",\"id\":\"call_8e2f" + call + "\",\"type\":\"function\",\"function\":{\"name\":\"lookup_company\",\"arguments\":\"\"}}";
      sb.append("data: ").append(head).append(call == 0 ? "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[" : "{\"tool_calls\":[")
          .append(open).append("]},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n");
      for (int i = 0; i < perCall; i++) {
        sb.append("data: ").append(head).append("{\"tool_calls\":[{\"index\":").append(call).append(",\"function\":{\"arguments\":\"")
            .append(esc(frags.get(i))).append("\"}}]},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n");
      }
    }
    sb.append("data: ").append(head).append("{},\"logprobs\":null,\"finish_reason\":\"tool_calls\"}],\"usage\":null}\n\n");
    sb.append("data: {\"id\":\"chatcmpl-8d2e4a61-b3f7-4c90-a5e1-0f7b9c3d2e86\",\"object\":\"chat.completion.chunk\",\"created\":1795442831,"
        + "\"model\":\"gpt-oss-120b\",\"choices\":[],\"usage\":{\"prompt_tokens\":169,\"completion_tokens\":197,\"total_tokens\":366,"
        + "\"prompt_tokens_details\":{\"cached_tokens\":0}}}\n\n");
    sb.append("data: [DONE]\n\n");
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  static byte[] anthropicTools(int events) {
    StringBuilder sb = new StringBuilder();
    sb.append("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"model\":\"claude-haiku-4-5-20251001\","
        + "\"id\":\"msg_01RfT4nZk8GdYq2WvXb6HcJm\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"stop_reason\":null,"
        + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":118,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,"
        + "\"output_tokens\":1,\"service_tier\":\"standard\"}}}\n\n");
    List<String> frags = argumentFragments((events - 8) / 2);
    int perCall = Math.min(frags.size(), (events - 8) / 2);
    for (int call = 0; call < 2; call++) {
      sb.append("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":").append(call)
          .append(",\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_01T").append(call)
          .append("\",\"name\":\"lookup_company\",\"input\":{}}}\n\n");
      for (int i = 0; i < perCall; i++) {
        sb.append("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":").append(call)
            .append(",\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"").append(esc(frags.get(i))).append("\"}}\n\n");
      }
      sb.append("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":").append(call).append("}\n\n");
    }
    sb.append("event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\",\"stop_sequence\":null},"
        + "\"usage\":{\"output_tokens\":194}}\n\n");
    sb.append("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }
}
