package dev.salesagent.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.salesagent.router.config.ConfigLoader;
import dev.salesagent.router.config.RouterConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sales-agent config import}: output the loader takes, {@code --check}, and clear errors with exit code 2. */
class ConfigImportCommandTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream savedOut;
  private PrintStream savedErr;

  @BeforeEach
  void capture() {
    savedOut = System.out;
    savedErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setOut(savedOut);
    System.setErr(savedErr);
  }

  private String out() { return out.toString(StandardCharsets.UTF_8); }

  private String err() { return err.toString(StandardCharsets.UTF_8); }

  private Path write(String name, String text) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  static final String LITELLM = """
      model_list:
        - model_name: claude
          litellm_params: {model: anthropic/claude-sonnet-4-5, api_key: os.environ/ANTHROPIC_API_KEY}
        - model_name: cheap
          litellm_params: {model: deepseek/deepseek-chat}
      litellm_settings:
        fallbacks: [{"claude": ["cheap"]}]
        success_callback: ["langfuse"]
      """;

  @Test
  void printsAConfigurationTheServerLoads() throws Exception {
    Path f = write("config.yaml", LITELLM);
    assertThat(Main.execute("config", "import", "--from", "litellm", f.toString())).isZero();
    String yaml = out();
    assertThat(yaml).startsWith("# Imported from ").contains("litellm_settings.success_callback");
    Path saved = write("ours.yaml", yaml);
    RouterConfig c = ConfigLoader.load(saved, Map.of());
    assertThat(c.tasks().get("claude").chain()).hasToString("[anthropic/claude-sonnet-5-5, deepseek/deepseek-flash]"); // the retired 4-5 lands on its successor
    assertThat(err()).isEmpty();
  }

  @Test
  void portkeyToo() throws Exception {
    Path f = write("prod.json", "{\"strategy\":{\"mode\":\"fallback\"},\"targets\":[{\"provider\":\"anthropic\","
        + "\"override_params\":{\"model\":\"claude-haiku-4-5\"}},{\"provider\":\"ollama\",\"override_params\":{\"model\":\"llama3.2\"}}]}");
    assertThat(Main.execute("config", "import", "--from", "portkey", f.toString())).isZero();
    RouterConfig c = ConfigLoader.loadYaml(out(), "out", Map.of());
    assertThat(c.tasks().get("prod").chain()).hasToString("[anthropic/claude-haiku-4-5, ollama/llama3.2]");
  }

  @Test
  void checkValidatesWithoutPrinting() throws Exception {
    Path f = write("config.yaml", LITELLM);
    assertThat(Main.execute("config", "import", "--from", "litellm", f.toString(), "--check")).isZero();
    assertThat(out()).isEmpty();
    assertThat(err()).contains("imports and loads").contains("2 task(s)");
  }

  @Test
  void errorsAreOneClearLineWithExitCode2AndNoStackTrace() throws Exception {
    Path bad = write("bad.yaml", "model_list: [\n");
    Path empty = write("empty.yaml", "router_settings: {}\n");
    Path azure = write("azure.yaml", "model_list:\n  - model_name: x\n    litellm_params: {model: azure/gpt-4o}\n");
    String[][] cases = {
        {"config", "import", "--from", "litellm", dir.resolve("missing.yaml").toString()},
        {"config", "import", "--from", "litellm", bad.toString()},
        {"config", "import", "--from", "litellm", empty.toString()},
        {"config", "import", "--from", "litellm", azure.toString()},
        {"config", "import", "--from", "helicone", empty.toString()},
        {"config", "import", bad.toString()},
        {"config", "import", "--from", "litellm"}};
    String[] expected = {"no such file", "not valid YAML or JSON at line", "no model_list", "no deployment",
        "'helicone' is not a source: write litellm or portkey", "--from", "FILE"};
    for (int i = 0; i < cases.length; i++) {
      err.reset();
      out.reset();
      assertThat(Main.execute(cases[i])).as(String.join(" ", cases[i])).isEqualTo(Main.EXIT_USAGE);
      assertThat(err()).as(String.join(" ", cases[i])).contains(expected[i]).doesNotContain("\tat ").doesNotContain("Exception:");
      assertThat(out()).isEmpty();
    }
  }
}
