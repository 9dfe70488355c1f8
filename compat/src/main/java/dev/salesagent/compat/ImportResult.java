package dev.salesagent.compat;

import dev.salesagent.router.config.ConfigLoader;
import dev.salesagent.router.config.RouterConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An imported configuration: the YAML text (notes at the top), the notes, the tasks it defines and the variables it
 * reads base URLs from.
 */
public record ImportResult(String yaml, List<Note> notes, Set<String> tasks, Set<String> baseUrlVars) {
  /** Stands in for a base-URL variable that is unset where the import runs: only the file's shape is checked then. */
  static final String UNSET_BASE_URL = "http://unset.invalid";

  public ImportResult {
    notes = List.copyOf(notes);
    tasks = Set.copyOf(tasks);
    baseUrlVars = Set.copyOf(baseUrlVars);
  }

  /**
   * Loads the output with the router's own loader (the defaults merged under it, exactly as {@code serve --config}
   * would), in {@code env}. A base-URL variable the output reads and {@code env} lacks is stood in for, so an import
   * can be checked on a machine that has not got the gateway's environment; the notes say to set it.
   *
   * @throws dev.salesagent.router.config.ConfigException when the output does not load (a bug in the importer)
   */
  public RouterConfig load(Map<String, String> env) {
    Map<String, String> e = new HashMap<>(env);
    for (String v : baseUrlVars) {
      String have = e.get(v);
      if (have == null || have.isBlank()) e.put(v, UNSET_BASE_URL);
    }
    return ConfigLoader.loadYaml(yaml, "imported configuration", e);
  }
}
