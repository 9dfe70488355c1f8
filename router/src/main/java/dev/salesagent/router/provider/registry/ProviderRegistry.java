package dev.salesagent.router.provider.registry;

import dev.salesagent.router.error.ErrorDialect;
import dev.salesagent.router.provider.ProviderAdapter;
import dev.salesagent.router.provider.ProviderModule;
import dev.salesagent.router.provider.ProviderSettings;
import dev.salesagent.router.provider.WireProtocol;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The registered provider folders, and what they add up to: the protocols by kind, the joined error dialect, the
 * predefined providers' defaults, and the adapter for a configured provider. Immutable; {@link #with} gives a
 * registry with one more folder (a test's or an embedder's provider).
 */
public final class ProviderRegistry {
  private final List<ProviderModule> modules;
  private final Map<String, WireProtocol> protocols;
  /** The kinds in registration order, for messages. */
  private final List<String> kindOrder;
  private final ErrorDialect errors;

  public ProviderRegistry(List<ProviderModule> modules) {
    this.modules = List.copyOf(modules);
    Map<String, WireProtocol> p = new LinkedHashMap<>();
    List<String> names = new ArrayList<>();
    List<ErrorDialect> dialects = new ArrayList<>();
    for (ProviderModule m : this.modules) {
      if (names.contains(m.name())) throw new IllegalArgumentException("provider folder '" + m.name() + "' is registered twice");
      names.add(m.name());
      WireProtocol w = m.protocol();
      if (w != null && p.putIfAbsent(w.kind().wire(), w) != null) {
        throw new IllegalArgumentException("provider kind '" + w.kind().wire() + "' is registered twice");
      }
      dialects.add(m.errors());
    }
    this.protocols = Map.copyOf(p);
    this.kindOrder = List.copyOf(p.keySet());
    this.errors = ErrorDialect.union(dialects);
  }

  /** This registry and one more folder. */
  public ProviderRegistry with(ProviderModule module) {
    List<ProviderModule> m = new ArrayList<>(modules);
    m.add(module);
    return new ProviderRegistry(m);
  }

  public List<ProviderModule> modules() {
    return modules;
  }

  /** What every registered provider's errors mean (see {@link ErrorDialect#union}). */
  public ErrorDialect errors() {
    return errors;
  }

  /**
   * The protocol of a kind.
   *
   * @throws IllegalArgumentException naming the kinds there are
   */
  public WireProtocol protocol(String kind) {
    WireProtocol w = protocols.get(kind);
    if (w == null) throw new IllegalArgumentException("unknown provider kind '" + kind + "' (expected " + kindNames() + ")");
    return w;
  }

  /** The registered kinds for a message: "anthropic, openai-compatible or ollama". */
  public String kindNames() {
    if (kindOrder.size() == 1) return kindOrder.get(0);
    return String.join(", ", kindOrder.subList(0, kindOrder.size() - 1)) + " or " + kindOrder.get(kindOrder.size() - 1);
  }

  /** The adapter of a configured provider: a folder's own for its provider, else its protocol's. Close it when done. */
  public ProviderAdapter adapter(Vertx vertx, ProviderSettings settings) {
    for (ProviderModule m : modules) {
      ProviderAdapter a = m.adapterFor(vertx, settings, errors);
      if (a != null) return a;
    }
    return protocol(settings.kind().wire()).adapters().create(vertx, settings, errors);
  }

  /** A predefined provider's defaults: its folder, the resource and its YAML text. */
  public record Defaults(String module, String resource, String yaml) {}

  /** The predefined providers' defaults in registration order (which is the order of {@code providers}). */
  public List<Defaults> defaults() {
    List<Defaults> out = new ArrayList<>();
    for (ProviderModule m : modules) {
      String r = m.defaults();
      if (r == null) continue;
      try (InputStream in = m.getClass().getClassLoader().getResourceAsStream(r)) {
        if (in == null) throw new IllegalStateException("provider folder '" + m.name() + "': missing resource " + r);
        out.add(new Defaults(m.name(), r, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + r, e);
      }
    }
    return out;
  }
}
