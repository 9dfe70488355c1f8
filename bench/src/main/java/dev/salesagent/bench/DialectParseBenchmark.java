package dev.salesagent.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.salesagent.router.config.ConfigLoader;
import dev.salesagent.router.wire.WireJson;
import dev.salesagent.server.GatewayOptions;
import dev.salesagent.server.anthropic.AnthropicRequests;
import dev.salesagent.server.chat.ModelCatalog;
import dev.salesagent.server.chat.ParsedChat;
import dev.salesagent.server.chat.ToolTurns;
import dev.salesagent.server.openai.OpenAiRequests;
import dev.salesagent.server.responses.ResponsesRequests;
import java.util.Map;
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
 * What the gateway's dialect parsers cost per request, from a parsed JSON tree to the router's request (the tool-call
 * pairing check included where the gateway runs it): an ordinary plain-text chat body in each dialect, and a tool-loop
 * turn (tools, an assistant's two calls, their results) in each.
 *
 * <pre>java -jar bench/target/benchmarks.jar DialectParseBenchmark -f 1 -wi 3 -i 5 -w 1 -r 1 -prof gc</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class DialectParseBenchmark {
  private static final String TOOL_SCHEMA = "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},"
      + "\"required\":[\"city\"],\"additionalProperties\":false}";
  private static final String OPENAI_PLAIN = "{\"model\":\"task:content\",\"max_tokens\":200,\"stream\":true,"
      + "\"stream_options\":{\"include_usage\":true},\"temperature\":0.2,\"messages\":[{\"role\":\"system\",\"content\":"
      + "\"You write short emails.\"},{\"role\":\"user\",\"content\":\"Write a two-line intro to Acme's CTO.\"}]}";
  private static final String OPENAI_TOOLS = "{\"model\":\"task:content\",\"tools\":[{\"type\":\"function\",\"function\":"
      + "{\"name\":\"get_weather\",\"parameters\":" + TOOL_SCHEMA + "}}],\"messages\":[{\"role\":\"user\",\"content\":"
      + "\"Weather in Oslo and Rome?\"},{\"role\":\"assistant\",\"content\":null,\"tool_calls\":["
      + "{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Oslo\\\"}\"}},"
      + "{\"id\":\"call_2\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Rome\\\"}\"}}]},"
      + "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"rain\"},{\"role\":\"tool\",\"tool_call_id\":\"call_2\",\"content\":\"sun\"}]}";
  private static final String ANTHROPIC_PLAIN = "{\"model\":\"task:content\",\"max_tokens\":200,\"stream\":true,"
      + "\"system\":\"You write short emails.\",\"messages\":[{\"role\":\"user\",\"content\":\"Write a two-line intro to Acme's CTO.\"}]}";
  private static final String ANTHROPIC_TOOLS = "{\"model\":\"task:content\",\"max_tokens\":200,\"tools\":[{\"name\":\"get_weather\","
      + "\"input_schema\":" + TOOL_SCHEMA + "}],\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Oslo and Rome?\"},"
      + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"get_weather\",\"input\":{\"city\":\"Oslo\"}},"
      + "{\"type\":\"tool_use\",\"id\":\"toolu_2\",\"name\":\"get_weather\",\"input\":{\"city\":\"Rome\"}}]},"
      + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\",\"content\":\"rain\"},"
      + "{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_2\",\"content\":\"sun\"}]}]}";
  private static final String RESPONSES_PLAIN = "{\"model\":\"task:content\",\"max_output_tokens\":200,\"stream\":true,"
      + "\"instructions\":\"You write short emails.\",\"input\":\"Write a two-line intro to Acme's CTO.\"}";
  private static final String RESPONSES_TOOLS = "{\"model\":\"task:content\",\"tools\":[{\"type\":\"function\",\"name\":\"get_weather\","
      + "\"parameters\":" + TOOL_SCHEMA + "}],\"input\":[{\"role\":\"user\",\"content\":\"Weather in Oslo and Rome?\"},"
      + "{\"type\":\"function_call\",\"id\":\"fc_1\",\"status\":\"completed\",\"call_id\":\"call_1\",\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Oslo\\\"}\"},"
      + "{\"type\":\"function_call\",\"id\":\"fc_2\",\"status\":\"completed\",\"call_id\":\"call_2\",\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Rome\\\"}\"},"
      + "{\"type\":\"function_call_output\",\"call_id\":\"call_1\",\"output\":\"rain\"},{\"type\":\"function_call_output\",\"call_id\":\"call_2\",\"output\":\"sun\"}]}";

  private final GatewayOptions options = GatewayOptions.defaults();
  private ModelCatalog catalog;
  private JsonNode openAiPlain;
  private JsonNode openAiTools;
  private JsonNode anthropicPlain;
  private JsonNode anthropicTools;
  private JsonNode responsesPlain;
  private JsonNode responsesTools;

  @Setup
  public void setup() {
    catalog = new ModelCatalog(ConfigLoader.loadYaml(null, null, Map.of()));
    openAiPlain = WireJson.parse(OPENAI_PLAIN);
    openAiTools = WireJson.parse(OPENAI_TOOLS);
    anthropicPlain = WireJson.parse(ANTHROPIC_PLAIN);
    anthropicTools = WireJson.parse(ANTHROPIC_TOOLS);
    responsesPlain = WireJson.parse(RESPONSES_PLAIN);
    responsesTools = WireJson.parse(RESPONSES_TOOLS);
  }

  /** As {@code ChatApiHandler} does: the pairing check only for a request with structured parts. */
  private static ParsedChat checked(ParsedChat p) {
    if (p.chat().hasParts()) ToolTurns.check(p.chat().messages());
    return p;
  }

  @Benchmark
  public ParsedChat openAiPlain() {
    return checked(OpenAiRequests.parse(openAiPlain, options, catalog));
  }

  @Benchmark
  public ParsedChat openAiToolLoop() {
    return checked(OpenAiRequests.parse(openAiTools, options, catalog));
  }

  @Benchmark
  public ParsedChat anthropicPlain() {
    return checked(AnthropicRequests.parse(anthropicPlain, options, catalog));
  }

  @Benchmark
  public ParsedChat anthropicToolLoop() {
    return checked(AnthropicRequests.parse(anthropicTools, options, catalog));
  }

  @Benchmark
  public ParsedChat responsesPlain() {
    return checked(ResponsesRequests.parse(responsesPlain, options, catalog));
  }

  @Benchmark
  public ParsedChat responsesToolLoop() {
    return checked(ResponsesRequests.parse(responsesTools, options, catalog));
  }
}
