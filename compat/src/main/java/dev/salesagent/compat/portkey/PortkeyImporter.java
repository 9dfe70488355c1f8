package dev.salesagent.compat.portkey;

import com.fasterxml.jackson.databind.JsonNode;
import dev.salesagent.compat.DraftConfig;
import dev.salesagent.compat.Endpoint;
import dev.salesagent.compat.ImportException;
import dev.salesagent.compat.ImportResult;
import dev.salesagent.compat.ModelChoice;
import dev.salesagent.compat.SourceTree;
import dev.salesagent.compat.Vendor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Portkey gateway config (the JSON sent as {@code x-portkey-config} or saved as a config id) as our configuration:
 * its targets, nested strategies flattened in order, become one task's chain — a {@code fallback} in its order, a
 * {@code loadbalance} by weight, highest first — and each distinct target endpoint a provider. {@code retry},
 * {@code request_timeout} map to our resilience settings; {@code cache}, guardrails, hooks and status-code lists
 * become notes with what to do.
 */
public final class PortkeyImporter {
  private static final Set<String> KEYS = Set.of("strategy", "targets", "provider", "api_key", "virtual_key",
      "override_params", "custom_host", "retry", "cache", "weight", "request_timeout", "name");
  private static final Set<String> STRATEGY_KEYS = Set.of("mode", "on_status_codes", "conditions", "default");

  private PortkeyImporter() {}

  /** @param task the task the config becomes (clients send {@code model: "task:<task>"} or {@code "<task>"}) */
  public static ImportResult importConfig(String text, String source, String task) {
    JsonNode root = SourceTree.parse(text, source);
    if (!root.has("targets") && !root.has("provider") && !root.has("virtual_key")) {
      throw new ImportException(source + " is not a Portkey config: it needs targets (with a strategy) or a provider");
    }
    DraftConfig d = new DraftConfig();
    Map<String, Integer> literalKeys = new HashMap<>();
    List<String> chain = new ArrayList<>();
    int[] retries = {-1};
    flatten(d, root, "config", chain, literalKeys, retries, true);
    if (chain.isEmpty()) {
      throw new ImportException(source + ": no target can be served here (" + d.notes() + ")");
    }
    if (retries[0] >= 0) d.maxRetries = Math.min(20, retries[0]);
    d.task(task, chain);
    List<String> header = List.of(
        "Imported from " + source + " (a Portkey gateway config) by `sales-agent config import --from portkey`.",
        "The config is the task '" + task + "': send model \"" + task + "\" (or task:" + task + ") instead of the"
            + " x-portkey-config header. Serve it: sales-agent serve --config <this file>.");
    return new ImportResult(d.toYaml(header), d.notes(), d.taskNames(), d.baseUrlVars());
  }

  private static void flatten(DraftConfig d, JsonNode n, String where, List<String> chain, Map<String, Integer> literalKeys,
                              int[] retries, boolean top) {
    for (String k : SourceTree.unknownKeys(n, KEYS)) d.note(where + "." + k, unknown(k));
    JsonNode retry = n.get("retry");
    if (retry != null && retry.isObject()) {
      int attempts = SourceTree.positiveInt(retry.get("attempts"));
      if (retries[0] >= 0 && retries[0] != attempts) {
        d.note(where + ".retry", "retries are one setting here: max_retries is the largest attempts of the config");
      }
      retries[0] = Math.max(retries[0], attempts);
      if (retry.has("on_status_codes")) {
        d.note(where + ".retry.on_status_codes", "not imported: retries here follow the error kind — 429, 503/529, other 5xx,"
            + " connection failures and cut streams are retried; 400, 401/403 and 404 never are");
      }
      for (String k : SourceTree.unknownKeys(retry, Set.of("attempts", "on_status_codes"))) {
        d.note(where + ".retry." + k, k.equals("use_retry_after_header") ? "built in: Retry-After is always honoured" : "not imported");
      }
    }
    if (n.has("cache")) {
      d.note(where + ".cache", "not imported: this gateway has no response cache (" + n.get("cache") + ")");
    }
    if (top) {
      Long t = SourceTree.millis(n.get("request_timeout"));
      if (t != null) d.totalMs = t;
    }
    JsonNode targets = n.get("targets");
    if (targets == null) {
      leaf(d, n, where, chain, literalKeys);
      return;
    }
    JsonNode strategy = n.path("strategy");
    String mode = strategy.path("mode").asText("fallback");
    for (String k : SourceTree.unknownKeys(strategy, STRATEGY_KEYS)) d.note(where + ".strategy." + k, "not imported");
    if (strategy.has("on_status_codes")) {
      d.note(where + ".strategy.on_status_codes", "not imported as a list: the chain falls back on rate limits, overload,"
          + " 5xx, timeouts, connection failures, 401/403/404 and context-length errors — never on other 400s or content"
          + " filtering (" + strategy.get("on_status_codes") + " in the source)");
    }
    List<JsonNode> ts = new ArrayList<>();
    targets.forEach(ts::add);
    switch (mode) {
      case "fallback" -> { }
      case "single" -> {
        if (ts.size() > 1) d.note(where + ".strategy", "mode single uses its first target only; the others were not imported");
        ts = ts.isEmpty() ? ts : ts.subList(0, 1);
      }
      case "loadbalance" -> {
        ts.sort(Comparator.comparingDouble((JsonNode t) -> t.path("weight").asDouble(1)).reversed());
        d.note(where + ".strategy", "loadbalance became an ordered chain (highest weight first, the next on failure):"
            + " traffic is not split by weight here; to share traffic, run both gateways side by side (docs/MIGRATION.md)");
      }
      case "conditional" -> {
        String dflt = strategy.path("default").asText(null);
        if (dflt != null) ts.sort(Comparator.comparingInt((JsonNode t) -> dflt.equals(t.path("name").asText()) ? 0 : 1));
        d.note(where + ".strategy", "conditional routing not imported: its targets form one chain, the default first;"
            + " route by task or model instead (send another model per condition)");
      }
      default -> d.note(where + ".strategy.mode", "unknown mode " + mode + ": targets imported as a fallback chain");
    }
    for (int i = 0; i < ts.size(); i++) {
      JsonNode t = ts.get(i);
      String tw = where + ".targets[" + indexOf(targets, t) + "]";
      // A child inherits what its parent sets (Portkey passes provider, keys and params down).
      flatten(d, inherit(n, t), tw, chain, literalKeys, retries, false);
    }
  }

  private static int indexOf(JsonNode arr, JsonNode t) {
    for (int i = 0; i < arr.size(); i++) if (arr.get(i) == t) return i;
    return -1;
  }

  private static JsonNode inherit(JsonNode parent, JsonNode child) {
    com.fasterxml.jackson.databind.node.ObjectNode c = child.deepCopy();
    for (String k : List.of("provider", "api_key", "virtual_key", "custom_host", "override_params")) {
      if (!c.has(k) && parent.has(k)) c.set(k, parent.get(k));
    }
    return c;
  }

  private static String unknown(String k) {
    if (k.contains("guardrails") || k.contains("hooks")) {
      return "not imported: no guardrails here; keep them in the application or a policy proxy in front";
    }
    if (k.equals("forward_headers")) return "not imported: client headers are never forwarded upstream here";
    return "not imported: no equivalent";
  }

  private static void leaf(DraftConfig d, JsonNode t, String where, List<String> chain, Map<String, Integer> literalKeys) {
    String slug = SourceTree.text(t.get("provider"));
    String vk = SourceTree.text(t.get("virtual_key"));
    Vendor v = slug == null ? null : PortkeyProviders.vendor(slug);
    if (slug == null && vk != null) {
      v = PortkeyProviders.guessFromName(vk);
      if (v != null) d.note(where + ".virtual_key", "provider taken from the virtual key's name '" + vk + "' (" + v.providerName()
          + "): check it, or add provider to the target and import again");
    }
    if (v == null) {
      d.note(where, "not imported: " + (slug != null ? "provider " + slug + " speaks its own protocol or is unknown here; put an"
          + " OpenAI-compatible endpoint in front and write it as provider openai with custom_host"
          : "the target names no provider (its virtual key's provider lives in Portkey's vault): add provider and import again"));
      return;
    }
    if (slug != null && slug.startsWith("@") && v.defaultKeyEnv() != null && vk == null && t.get("api_key") == null) {
      d.note(where + ".provider", "integration '" + slug + "' keeps its key in Portkey: export " + v.defaultKeyEnv()
          + "=<the provider key> where the gateway runs (or set api_key_env on the provider)");
    }
    String host = SourceTree.text(t.get("custom_host"));
    String base = host == null || host.isBlank() ? null : host.trim().replaceAll("/+$", "");
    if (v == Vendor.OPENAI && base != null && !base.contains("api.openai.com")) v = Vendor.OPENAI_COMPATIBLE;
    String prefix = base != null && (v == Vendor.CEREBRAS || v == Vendor.DEEPSEEK) ? "" : null;
    String keyEnv = keyEnv(d, where, v, DraftConfig.nameHint(v, base, null), SourceTree.text(t.get("api_key")), vk, literalKeys);
    Long total = SourceTree.millis(t.get("request_timeout"));
    String provider = d.provider(new Endpoint(v, base, null, prefix, keyEnv, 0, 0, 0, null, total));
    JsonNode op = t.path("override_params");
    String model = SourceTree.text(op.get("model"));
    for (String k : SourceTree.unknownKeys(op, Set.of("model"))) {
      d.note(where + ".override_params." + k, "not imported: request parameters are not configuration here; send them in the request");
    }
    if (model == null) {
      String dflt = d.catalog().provider(v) != null ? d.catalog().provider(v).defaultModel() : null;
      if (dflt == null) {
        d.note(where, "not imported: no override_params.model, and " + v.providerName() + " has no default model here");
        return;
      }
      model = dflt;
      d.note(where, "no override_params.model (Portkey used the request's model): pinned to " + v.providerName() + "/" + dflt);
    }
    ModelChoice mc = ModelChoice.choose(d, where, v, provider, model, ModelChoice.Facts.NONE);
    chain.add(d.target(provider, mc.model(), mc.declared()));
  }

  private static String keyEnv(DraftConfig d, String where, Vendor v, String stem, String apiKey, String virtualKey,
                               Map<String, Integer> literalKeys) {
    String secret = apiKey != null && !apiKey.isBlank() ? apiKey : virtualKey;
    if (secret == null || secret.isBlank()) return v.defaultKeyEnv();
    String id = stem + "\u0000" + secret; // in memory only, one variable per distinct key
    Integer n = literalKeys.get(id);
    if (n == null) {
      n = 1 + (int) literalKeys.keySet().stream().filter(x -> x.startsWith(stem + "\u0000")).count();
      literalKeys.put(id, n);
    }
    String var = stem.toUpperCase(java.util.Locale.ROOT).replace('-', '_') + "_API_KEY" + (n == 1 ? "" : "_" + n);
    d.note(where, (apiKey != null && !apiKey.isBlank()
        ? "the api_key is written in the config and was not copied"
        : "virtual key '" + virtualKey + "' lives in Portkey's vault") + ": export " + var + "=<the provider key> where the gateway runs");
    return var;
  }
}
