package dev.salesagent.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C during {@code demo}: it stops like {@code run} (calls in flight recorded, outputs written, exit 130) and its
 * hint works — the demo's database is in memory, so it says to run the demo again instead of {@code --resume}.
 */
class DemoStopTest {
  @TempDir Path dir;

  @Test
  void ctrlCStopsTheDemoWithAHintThatWorks() throws Exception {
    Path log = dir.resolve("demo.log");
    Path out = dir.resolve("demo-out");
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", cp,
        "dev.salesagent.app.Main", "demo", "--latency-ms", "400", "--concurrency", "2", "--out", out.toString())
        .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).until(() -> {
        if (!p.isAlive()) throw new AssertionError("demo ended before it was stopped: " + Files.readString(log));
        return Files.readString(log).contains("progress: ");
      });
      // Ctrl-C is SIGINT to the JVM
      Process kill = new ProcessBuilder(List.of("kill", "-INT", Long.toString(p.pid()))).inheritIO().start();
      assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
    } finally {
      p.destroyForcibly();
    }
    String text = Files.readString(log);
    assertThat(p.exitValue()).as(text).isEqualTo(130);
    assertThat(text).contains("stopping: no new calls")
        .contains("stopped before the end: the demo keeps nothing to resume (its database is in memory)")
        .contains("Run it again with: bin/sales-agent demo --out " + out)
        .doesNotContain("--resume").doesNotContainPattern("\\n\\s+at [a-z]");
    assertThat(out.resolve("results.csv")).exists();
    assertThat(out.resolve("report.md")).exists();
  }
}
