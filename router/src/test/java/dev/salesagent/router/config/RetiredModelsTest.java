package dev.salesagent.router.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reported case: the Anthropic SDK warns that claude-sonnet-4-5 reached end of life on 2026-11-30; we did not. */
class RetiredModelsTest {
  @TempDir Path dir;

  @Test
  void aUsersFileNamingARetiredIdGetsAWarningWithDateAndReplacement() throws Exception {
    Path f = dir.resolve("c.yaml");
    Files.writeString(f, """
        providers:
          anthropic:
            models:
              claude-sonnet-4-5: {context_window: 200000, input_usd_per_mtok: 3, output_usd_per_mtok: 15}
        tasks:
          content: {chain: [anthropic/claude-sonnet-4-5, deepseek/deepseek-chat]}
        """);
    assertThat(RetiredModels.warnings(f)).containsExactly(
        "model claude-sonnet-4-5 (providers.anthropic.models) reached end of life on 2026-11-30; use claude-sonnet-5-5 instead",
        "model claude-sonnet-4-5 (tasks.content.chain) reached end of life on 2026-11-30; use claude-sonnet-5-5 instead",
        "model deepseek-chat (tasks.content.chain) reached end of life on 2026-07-24; use deepseek-flash instead");
  }

  @Test
  void theDefaultsNameNoRetiredIdAndEveryReplacementIsADefaultModel() {
    RouterConfig rc = ConfigLoader.load(null, Map.of());
    for (var t : rc.allTargets()) assertThat(RetiredModels.of(t.model())).as(t.toString()).isNull();
    for (var task : rc.tasks().values()) {
      for (var t : task.chain()) assertThat(RetiredModels.of(t.provider() + "/" + t.model())).as(t.toString()).isNull();
    }
    for (var r : RetiredModels.all()) {
      assertThat(rc.provider(r.provider()).settings().model(r.replacement())).as(r.toString()).isNotNull();
    }
  }

  @Test
  void aFileWithoutRetiredIdsOrUnreadableGivesNoWarning() throws Exception {
    Path ok = dir.resolve("ok.yaml");
    Files.writeString(ok, "tasks:\n  content: {chain: [anthropic/claude-sonnet-5-5]}\n");
    assertThat(RetiredModels.warnings(ok)).isEmpty();
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "providers: [: :");
    assertThat(RetiredModels.warnings(bad)).isEmpty();
    assertThat(RetiredModels.warnings(null)).isEmpty();
  }
}
