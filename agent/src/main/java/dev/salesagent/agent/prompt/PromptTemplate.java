package dev.salesagent.agent.prompt;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A versioned prompt: the resource {@code prompts/<name>.<version>.txt}, with a {@code ### system} and a
 * {@code ### user} section and {@code {{placeholder}}}s. Rendering fails on a placeholder without a value, so a
 * template and its caller cannot drift apart silently. {@link #id()} ({@code qualify.v1}) is stored with every
 * result.
 */
public final class PromptTemplate {
  private static final Pattern VAR = Pattern.compile("\\{\\{\\s*([a-z_][a-z0-9_]*)\\s*}}");
  private static final Map<String, PromptTemplate> CACHE = new ConcurrentHashMap<>();

  private final String name;
  private final String version;
  private final String system;
  private final String user;

  private PromptTemplate(String name, String version, String system, String user) {
    this.name = name;
    this.version = version;
    this.system = system;
    this.user = user;
  }

  public static PromptTemplate load(String name, String version) {
    return CACHE.computeIfAbsent(name + "." + version, id -> {
      String path = "/prompts/" + id + ".txt";
      try (InputStream in = PromptTemplate.class.getResourceAsStream(path)) {
        if (in == null) throw new IllegalArgumentException("no prompt template " + path);
        return parse(name, version, new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new IllegalStateException("cannot read " + path, e);
      }
    });
  }

  static PromptTemplate parse(String name, String version, String text) {
    int s = text.indexOf("### system");
    int u = text.indexOf("### user");
    if (s < 0 || u < 0 || u < s) throw new IllegalArgumentException("prompt " + name + "." + version + " needs '### system' then '### user' sections");
    String sys = text.substring(s + "### system".length(), u).strip();
    String usr = text.substring(u + "### user".length()).strip();
    return new PromptTemplate(name, version, sys, usr);
  }

  public String id() { return name + "." + version; }

  public Rendered render(Map<String, String> vars) {
    return new Rendered(id(), fill(system, vars), fill(user, vars));
  }

  private String fill(String t, Map<String, String> vars) {
    Matcher m = VAR.matcher(t);
    StringBuilder sb = new StringBuilder(t.length() + 256);
    while (m.find()) {
      String v = vars.get(m.group(1));
      if (v == null) throw new IllegalArgumentException("prompt " + id() + " needs a value for {{" + m.group(1) + "}}");
      m.appendReplacement(sb, Matcher.quoteReplacement(v));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  /** A rendered prompt; {@code user} is the source text the model should quote from. */
  public record Rendered(String promptId, String system, String user) {}
}
