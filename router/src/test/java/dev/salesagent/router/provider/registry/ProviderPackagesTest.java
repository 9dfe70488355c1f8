package dev.salesagent.router.provider.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package shape that lets a provider be a folder plus one line: the SPI ({@code router/provider}) and the wire
 * layer name no provider folder, no folder reaches the registry, and the registry lists every folder there is.
 */
class ProviderPackagesTest {
  static final Path ROOT = Path.of("src/main/java/dev/salesagent/router");
  static final String FOLDER_IMPORT = "import dev.salesagent.router.provider.";

  static List<String> imports(Path dir, boolean recursive) throws IOException {
    try (Stream<Path> files = recursive ? Files.walk(dir) : Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".java")).flatMap(p -> {
        try {
          return Files.readAllLines(p).stream().filter(l -> l.startsWith("import ")).map(l -> p.getFileName() + ": " + l);
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }).toList();
    }
  }

  static List<String> folders() throws IOException {
    try (Stream<Path> dirs = Files.list(ROOT.resolve("provider"))) {
      return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).filter(n -> !n.equals("registry")).sorted().toList();
    }
  }

  @Test
  void theSpiAndTheWireLayerNameNoProviderFolder() throws IOException {
    assertThat(imports(ROOT.resolve("provider"), false)).noneMatch(l -> l.contains(FOLDER_IMPORT) && l.matches(".*provider\\.[a-z]+\\..*"));
    assertThat(imports(ROOT.resolve("wire"), true)).noneMatch(l -> l.matches(".*router\\.provider\\.[a-z]+\\..*"));
  }

  @Test
  void noFolderReachesTheRegistry() throws IOException {
    for (String f : folders()) {
      assertThat(imports(ROOT.resolve("provider").resolve(f), true)).as(f).noneMatch(l -> l.contains("provider.registry"));
    }
  }

  @Test
  void everyFolderIsRegistered() throws IOException {
    assertThat(Providers.BUILT_IN.modules().stream().map(m -> m.getClass().getPackageName().replaceAll(".*\\.", "")).sorted().toList())
        .isEqualTo(folders());
  }
}
