package dev.salesagent.compat;

import dev.salesagent.router.config.RouterConfig;
import dev.salesagent.router.routing.Target;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Test helpers: import a bundled source file, load the output with the router's loader, read chains back. */
public final class Imports {
  /** Keys and roots as a gateway's environment would hold them (values are never in the output). */
  public static final Map<String, String> ENV = Map.of(
      "ANTHROPIC_API_KEY", "a", "DEEPSEEK_API_KEY", "d", "CEREBRAS_API_KEY", "c", "GROQ_API_KEY", "g",
      "OPENAI_API_KEY", "o", "ANTHROPIC_API_KEY_TEAM_B", "b");

  private Imports() {}

  public static String resource(String path) {
    try (InputStream in = Imports.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) throw new IllegalArgumentException("no test resource " + path);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static ImportResult convert(ConfigImport.From from, String path) {
    return ConfigImport.convert(from, resource(path), path);
  }

  public static List<String> chain(RouterConfig c, String task) {
    RouterConfig.TaskConfig t = c.tasks().get(task);
    if (t == null) throw new AssertionError("no task " + task + " in " + c.tasks().keySet());
    return t.chain().stream().map(Target::toString).toList();
  }

  public static RouterConfig.ProviderConfig provider(RouterConfig c, String name) {
    RouterConfig.ProviderConfig p = c.provider(name);
    if (p == null) throw new AssertionError("no provider " + name + " in " + c.providers().keySet());
    return p;
  }

  /** The notes about one source key (its path starts with {@code where}). */
  public static List<String> notesAt(ImportResult r, String where) {
    return r.notes().stream().filter(n -> n.where().startsWith(where)).map(Note::what).toList();
  }
}
