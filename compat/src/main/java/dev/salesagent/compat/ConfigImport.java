package dev.salesagent.compat;

import dev.salesagent.compat.litellm.LiteLlmImporter;
import dev.salesagent.compat.portkey.PortkeyImporter;
import java.util.Locale;

/** The entry point of {@code sales-agent config import}: which gateway a file comes from, and its conversion. */
public final class ConfigImport {
  public enum From {
    LITELLM, PORTKEY;

    public static From parse(String s) {
      try {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new ImportException("--from '" + s + "' is not a source: write litellm or portkey");
      }
    }
  }

  private ConfigImport() {}

  /**
   * @param sourceName the file's name, for messages and (Portkey) the task's name
   * @throws ImportException when the file cannot be imported at all
   */
  public static ImportResult convert(From from, String text, String sourceName) {
    return switch (from) {
      case LITELLM -> LiteLlmImporter.importYaml(text, sourceName);
      case PORTKEY -> PortkeyImporter.importConfig(text, sourceName, taskName(sourceName));
    };
  }

  /** {@code configs/portkey-prod.json} → {@code portkey-prod}. */
  static String taskName(String sourceName) {
    String s = sourceName.replace('\\', '/');
    s = s.substring(s.lastIndexOf('/') + 1);
    int dot = s.indexOf('.');
    if (dot > 0) s = s.substring(0, dot);
    s = s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.-]+", "-").replaceAll("^-+|-+$", "");
    return s.isEmpty() || s.equals("auto") ? "portkey" : s;
  }
}
