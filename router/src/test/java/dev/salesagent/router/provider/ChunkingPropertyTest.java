package dev.salesagent.router.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Property: every stream parser gives the same result — events, text, usage, outcome — whatever the read
 * boundaries: one read, one byte per read, and many seeded random splits (which land inside CRLF pairs and inside
 * multi-byte UTF-8 characters).
 */
class ChunkingPropertyTest {
  private static final int ITERATIONS = 300;

  @TestFactory
  Stream<DynamicTest> sameResultWhateverTheChunking() throws Exception {
    List<DynamicTest> out = new ArrayList<>();
    for (Path dir : List.of(FixtureSupport.sharedDir(), FixtureSupport.localDir())) {
      try (Stream<Path> files = Files.list(dir)) {
        for (Path p : files.sorted().toList()) {
          String name = p.getFileName().toString();
          if (!FixtureSupport.isStream(name)) continue;
          out.add(DynamicTest.dynamicTest(name, () -> check(name, Files.readAllBytes(p))));
        }
      }
    }
    assertThat(out.size()).isGreaterThan(20);
    return out.stream();
  }

  @Test
  void fixturesReallyContainMultiByteCharacters() throws Exception {
    byte[] b = Files.readAllBytes(FixtureSupport.localDir().resolve("openai.stream.crlf.sse"));
    String s = new String(b, java.nio.charset.StandardCharsets.UTF_8);
    assertThat(s).contains("é", "中文", "👋🏽", "\r\n");
  }

  static void check(String name, byte[] bytes) {
    String jsonTool = name.contains(".json.") ? "lead" : null;
    FixtureSupport.Outcome ref = FixtureSupport.parse(name, bytes, jsonTool, null);
    assertThat(FixtureSupport.parse(name, bytes, jsonTool, rem -> 1)).as(name + " byte by byte").isEqualTo(ref);
    Random rnd = new Random(name.hashCode() * 31L + 7);
    for (int i = 0; i < ITERATIONS; i++) {
      int mode = i % 4;
      FixtureSupport.Outcome o = FixtureSupport.parse(name, bytes, jsonTool, rem -> switch (mode) {
        case 0 -> 1 + rnd.nextInt(3);
        case 1 -> 1 + rnd.nextInt(16);
        case 2 -> 1 + rnd.nextInt(200);
        default -> rnd.nextInt(10) == 0 ? 1 : 1 + rnd.nextInt(rem);
      });
      assertThat(o).as(name + " iteration " + i).isEqualTo(ref);
    }
  }
}
