package dev.salesagent.app;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.salesagent.emulator.Emulator;
import dev.salesagent.emulator.EmulatorOptions;
import dev.salesagent.emulator.Fault;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code chat} and {@code providers} in-process against the loopback emulator. */
class ChatCommandTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static Vertx vertx;
  static Emulator emulator;

  PrintStream savedOut;
  PrintStream savedErr;
  ByteArrayOutputStream out;
  ByteArrayOutputStream err;

  @BeforeAll
  static void startEmulator() throws Exception {
    vertx = Vertx.vertx();
    emulator = Emulator.start(vertx, EmulatorOptions.defaults().withInterTokenDelay(1)).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stopEmulator() throws Exception {
    emulator.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    vertx.close();
    RouterBoot.overrideEnv(null);
  }

  static Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("ANTHROPIC_API_KEY", "k-a");
    env.put("CEREBRAS_API_KEY", "k-c");
    env.put("DEEPSEEK_API_KEY", "k-d");
    env.put("ANTHROPIC_BASE_URL", emulator.anthropicBaseUrl());
    env.put("CEREBRAS_BASE_URL", emulator.openAiRootUrl());
    env.put("DEEPSEEK_BASE_URL", emulator.openAiBaseUrl());
    env.put("OLLAMA_HOST", emulator.ollamaBaseUrl());
    return env;
  }

  @BeforeEach
  void capture() {
    emulator.faults().clear();
    RouterBoot.overrideEnv(env());
    savedOut = System.out;
    savedErr = System.err;
    out = new ByteArrayOutputStream();
    err = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setOut(savedOut);
    System.setErr(savedErr);
  }

  List<String> lines() {
    return out.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
  }

  @Test
  void jsonContract() throws Exception {
    int code = Main.execute("chat", "--json", "--task", "qualification", "Score this lead: CTO at Acme, 200 employees");
    assertEquals(0, code, err.toString());
    List<String> l = lines();
    assertEquals(1, l.size(), "one JSON line: " + l);
    JsonNode o = JSON.readTree(l.get(0));
    assertEquals(List.of("provider", "model", "text", "finish_reason", "usage", "cost_usd", "latency_ms", "attempts"),
        iter(o.fieldNames()));
    assertEquals("cerebras", o.get("provider").asText());
    assertEquals("gpt-oss-120b", o.get("model").asText());
    assertFalse(o.get("text").asText().isEmpty());
    assertEquals("stop", o.get("finish_reason").asText());
    assertEquals(List.of("input_tokens", "output_tokens", "cached_input_tokens"), iter(o.get("usage").fieldNames()));
    assertTrue(o.get("usage").get("input_tokens").isInt());
    assertTrue(o.get("cost_usd").asDouble() > 0);
    JsonNode a = o.get("attempts").get(0);
    assertEquals(List.of("provider", "model", "outcome", "status", "latency_ms"), iter(a.fieldNames()));
    assertEquals("ok", a.get("outcome").asText());
    assertFalse(l.get(0).contains(": "), "compact JSON");
  }

  @Test
  void streamJsonPrintsDeltasThenTheFinalObject() throws Exception {
    int code = Main.execute("chat", "--stream", "--json", "--provider", "anthropic", "Write a two line poem about pipelines");
    assertEquals(0, code, err.toString());
    List<String> l = lines();
    assertTrue(l.size() >= 3, l.toString());
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < l.size() - 1; i++) {
      JsonNode d = JSON.readTree(l.get(i));
      assertEquals(List.of("delta"), iter(d.fieldNames()));
      text.append(d.get("delta").asText());
    }
    JsonNode fin = JSON.readTree(l.get(l.size() - 1));
    assertEquals("anthropic", fin.get("provider").asText());
    assertEquals("claude-sonnet-5-5", fin.get("model").asText(), "the provider's first model");
    assertEquals(text.toString(), fin.get("text").asText());
  }

  @Test
  void plainTextAndFallbackAttempts() throws Exception {
    emulator.faults().nextForModel("gpt-oss-120b", Fault.UNAUTHORIZED, 1);
    int code = Main.execute("chat", "--json", "--task", "qualification", "Score this lead");
    assertEquals(0, code, err.toString());
    JsonNode o = JSON.readTree(lines().get(0));
    assertEquals("deepseek", o.get("provider").asText());
    assertEquals("authentication", o.get("attempts").get(0).get("outcome").asText());
    assertEquals(401, o.get("attempts").get(0).get("status").asInt());
    out.reset();
    assertEquals(0, Main.execute("chat", "--model", "deepseek/deepseek-flash", "Say hello"));
    assertFalse(out.toString(StandardCharsets.UTF_8).isBlank());
    assertFalse(out.toString(StandardCharsets.UTF_8).startsWith("{"));
  }

  @Test
  void upstreamFailureExitsThreeWithErrorJson() throws Exception {
    emulator.faults().nextForModel("claude-sonnet-5-5", Fault.BAD_REQUEST, 1);
    int code = Main.execute("chat", "--json", "--provider", "anthropic", "hi");
    assertEquals(3, code);
    JsonNode o = JSON.readTree(lines().get(0));
    assertEquals("invalid_request", o.get("error").get("type").asText());
    assertEquals(1, o.get("error").get("attempts").size());
  }

  @Test
  void usageErrorsExitTwo() throws Exception {
    assertEquals(2, Main.execute("chat", "--json", "--provider", "openai", "hi"));
    assertTrue(JSON.readTree(lines().get(0)).get("error").get("message").asText().contains("unknown provider 'openai'"));
    assertEquals(2, Main.execute("chat", "--task", "nope", "hi"));
    assertEquals(2, Main.execute("chat", "--model", "anthropic/gpt-9", "hi"));
    assertEquals(2, Main.execute("chat", "--strategy", "fastest", "hi"));
    assertEquals(2, Main.execute("chat"));
  }

  @Test
  void budgetExceededExitsFour(@TempDir Path dir) throws Exception {
    Path cfg = dir.resolve("c.yaml");
    Files.writeString(cfg, "budgets: {daily_usd: 0.000001}\n");
    int code = Main.execute("chat", "--json", "--config", cfg.toString(), "--task", "content", "Write an email");
    assertEquals(4, code);
    JsonNode o = JSON.readTree(lines().get(0));
    assertEquals("budget_exceeded", o.get("error").get("type").asText());
    assertTrue(o.get("error").get("message").asText().contains("daily budget"));
  }

  @Test
  void badConfigExitsTwoNamingTheKey(@TempDir Path dir) throws Exception {
    Path cfg = dir.resolve("c.yaml");
    Files.writeString(cfg, "budgets:\n  daily: 5\n");
    Map<String, String> env = env();
    env.put("SALES_AGENT_CONFIG", cfg.toString());
    RouterBoot.overrideEnv(env);
    assertEquals(2, Main.execute("chat", "hi"));
    String e = err.toString(StandardCharsets.UTF_8);
    assertTrue(e.contains("unknown key 'daily'") && e.contains("line 2"), e);
  }

  @Test
  void streamCutWithoutContinuationExitsThreeAfterDeltas() throws Exception {
    emulator.faults().nextForModel("gpt-oss-120b", Fault.STREAM_CUT, 1);
    int code = Main.execute("chat", "--stream", "--json", "--provider", "cerebras", "Score this lead please");
    assertEquals(3, code);
    List<String> l = lines();
    assertTrue(l.size() >= 2);
    assertTrue(l.get(0).startsWith("{\"delta\""));
    JsonNode last = JSON.readTree(l.get(l.size() - 1));
    assertEquals("interrupted", last.get("error").get("type").asText());
  }

  @Test
  void providersJson() throws Exception {
    int code = Main.execute("providers", "--json");
    assertEquals(0, code, err.toString());
    JsonNode o = JSON.readTree(lines().get(0));
    JsonNode ps = o.get("providers");
    assertEquals(4, ps.size());
    assertEquals("anthropic", ps.get(0).get("name").asText());
    assertEquals("healthy", ps.get(0).get("state").asText());
    assertEquals(2.0, ps.get(0).get("models").get(0).get("input_usd_per_mtok").asDouble());
    assertEquals("closed", ps.get(0).get("models").get(0).get("circuit").asText());
    assertFalse(lines().get(0).contains("k-a"), "never a key");
    Map<String, String> env = env();
    env.remove("CEREBRAS_API_KEY");
    RouterBoot.overrideEnv(env);
    out.reset();
    assertEquals(0, Main.execute("providers", "--json", "--no-probe"));
    JsonNode c = JSON.readTree(lines().get(0)).get("providers").get(1);
    assertEquals("unconfigured", c.get("state").asText());
    assertEquals("CEREBRAS_API_KEY is not set", c.get("reason").asText());
  }

  @Test
  void providersNeverPrintsAPasswordFromABaseUrl() throws Exception {
    Map<String, String> env = env();
    // a base URL with credentials in it (from the environment variable, as operators often set it)
    env.put("DEEPSEEK_BASE_URL", emulator.openAiBaseUrl().replace("http://", "http://svc:hunter2-pw@") + "?api_key=qs-secret");
    RouterBoot.overrideEnv(env);
    assertEquals(0, Main.execute("providers", "--json", "--no-probe"));
    assertEquals(0, Main.execute("providers", "--no-probe"));
    String printed = out.toString() + err.toString();
    assertTrue(printed.contains("http://***@127.0.0.1"), printed);
    assertFalse(printed.contains("hunter2-pw") || printed.contains("qs-secret") || printed.contains("svc:"), printed);
  }

  /** A 1×1 PNG, 68 bytes; the emulators acknowledge each image as {@code [image <type> <bytes> bytes]}. */
  static final byte[] PNG = java.util.Base64.getDecoder().decode(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAAC0lEQVR4nGNgAAIAAAUAAXpeqz8AAAAASUVORK5CYII=");

  @Test
  void imagesReachAModelWithVision(@TempDir Path dir) throws Exception {
    Path a = Files.write(dir.resolve("a.png"), PNG);
    Path b = Files.write(dir.resolve("b.bin"), PNG); // the type comes from the bytes, not the name
    int code = Main.execute("chat", "--json", "--model", "anthropic/claude-haiku-4-5", "--image", a.toString(),
        "--image", b.toString(), "What is in these pictures?");
    assertEquals(0, code, err.toString());
    JsonNode o = JSON.readTree(lines().get(0));
    assertTrue(o.get("text").asText().startsWith("[image image/png 68 bytes] [image image/png 68 bytes] "), o.toString());
  }

  @Test
  void anImageForAModelWithoutVisionNamesTheCapability(@TempDir Path dir) throws Exception {
    Path a = Files.write(dir.resolve("a.png"), PNG);
    long before = emulator.stats().requests("openai", "gpt-oss-120b");
    int code = Main.execute("chat", "--json", "--model", "cerebras/gpt-oss-120b", "--image", a.toString(), "What is this?");
    assertEquals(2, code, out.toString());
    JsonNode e = JSON.readTree(lines().get(0)).get("error");
    assertEquals("invalid_request", e.get("type").asText());
    assertTrue(e.get("message").asText().contains("vision"), e.toString());
    assertEquals(before, emulator.stats().requests("openai", "gpt-oss-120b"), "no provider was called");
  }

  @Test
  void aMissingOrNonImageFileIsAUsageError(@TempDir Path dir) throws Exception {
    assertEquals(2, Main.execute("chat", "--image", dir.resolve("nope.png").toString(), "hi"));
    assertTrue(err.toString().contains("nope.png: no such file"), err.toString());
    Path txt = Files.writeString(dir.resolve("notes.png"), "not an image");
    assertEquals(2, Main.execute("chat", "--image", txt.toString(), "hi"));
    assertTrue(err.toString().contains("notes.png: not a PNG, JPEG, GIF or WebP image"), err.toString());
  }

  static List<String> iter(java.util.Iterator<String> it) {
    List<String> l = new java.util.ArrayList<>();
    it.forEachRemaining(l::add);
    return l;
  }
}
