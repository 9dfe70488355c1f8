package dev.salesagent.compat.litellm;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A LiteLLM proxy {@code config.yaml} as our configuration. Each {@code model_name} (a LiteLLM model group) becomes a
 * task of the same name whose chain is the group's deployments (by {@code order}, then {@code weight}, then file
 * order) followed by its fallbacks; each distinct deployment endpoint becomes a provider; {@code router_settings},
 * {@code litellm_settings} and {@code general_settings} map where we have an equivalent (see {@link LiteLlmSettings}).
 * Whatever does not map is a note at the top of the output.
 */
public final class LiteLlmImporter {
  private static final Set<String> ENTRY_KEYS = Set.of("model_name", "litellm_params", "model_info", "rpm", "tpm");
  private static final Set<String> PARAM_KEYS = Set.of("model", "api_key", "api_base", "rpm", "tpm", "timeout",
      "stream_timeout", "max_parallel_requests", "order", "weight", "input_cost_per_token", "output_cost_per_token");
  private static final Set<String> INFO_KEYS = Set.of("max_input_tokens", "max_tokens", "input_cost_per_token",
      "output_cost_per_token", "cache_read_input_token_cost", "supports_function_calling", "supports_response_schema",
      "mode", "id", "base_model");
  private static final Set<String> ROOT_KEYS = Set.of("model_list", "router_settings", "litellm_settings",
      "general_settings", "environment_variables");

  private record Deployment(int index, int order, double weight, String target) {}

  private LiteLlmImporter() {}

  public static ImportResult importYaml(String text, String source) {
    JsonNode root = SourceTree.parse(text, source);
    JsonNode list = root.get("model_list");
    if (list == null || !list.isArray() || list.isEmpty()) {
      throw new ImportException(source + " has no model_list: a LiteLLM proxy config lists its deployments under model_list");
    }
    DraftConfig d = new DraftConfig();
    for (String k : SourceTree.unknownKeys(root, ROOT_KEYS)) {
      d.note(k, "not imported: no equivalent section here (see docs/MIGRATION.md)");
    }
    Map<String, List<Deployment>> groups = new LinkedHashMap<>();
    Map<String, Integer> literalKeys = new HashMap<>();
    for (int i = 0; i < list.size(); i++) {
      deployment(d, list.get(i), i, groups, literalKeys);
    }
    if (groups.isEmpty()) {
      throw new ImportException(source + ": no deployment in model_list can be served here (every one was skipped: "
          + d.notes() + ")");
    }
    for (Map.Entry<String, List<Deployment>> g : groups.entrySet()) {
      List<Deployment> ds = new ArrayList<>(g.getValue());
      ds.sort(Comparator.comparingInt(Deployment::order).thenComparing(Deployment::weight, Comparator.reverseOrder())
          .thenComparingInt(Deployment::index));
      d.task(taskName(d, g.getKey()), ds.stream().map(Deployment::target).toList());
    }
    LiteLlmSettings.apply(d, root, groups.keySet());
    List<String> header = List.of(
        "Imported from " + source + " (a LiteLLM proxy config) by `sales-agent config import --from litellm`.",
        "Clients keep their model names: each LiteLLM model_name is a task here, and a request's model may name it",
        "directly (\"" + groups.keySet().iterator().next() + "\") or as task:<name>. Serve it: sales-agent serve --config <this file>.");
    return new ImportResult(d.toYaml(header), d.notes(), d.taskNames(), d.baseUrlVars());
  }

  /** {@code auto} means "classify the request" here, so a LiteLLM group of that name gets another. */
  static String taskName(DraftConfig d, String group) {
    if (!group.equals("auto")) return group;
    d.note("model_list", "model_name 'auto' is reserved here (it asks for task classification); imported as 'auto-litellm'");
    return "auto-litellm";
  }

  private static void deployment(DraftConfig d, JsonNode e, int i, Map<String, List<Deployment>> groups,
                                 Map<String, Integer> literalKeys) {
    String where = "model_list[" + i + "]";
    String group = SourceTree.text(e.get("model_name"));
    JsonNode params = e.get("litellm_params");
    String model = params == null ? null : SourceTree.text(params.get("model"));
    if (group == null || group.isBlank() || model == null || model.isBlank()) {
      d.note(where, "not imported: a deployment needs model_name and litellm_params.model");
      return;
    }
    where += " (" + group + ")";
    for (String k : SourceTree.unknownKeys(e, ENTRY_KEYS)) d.note(where + "." + k, "not imported: no equivalent per deployment");
    List<String> extra = SourceTree.unknownKeys(params, PARAM_KEYS);
    if (!extra.isEmpty()) {
      d.note(where + ".litellm_params", "not imported: " + String.join(", ", extra)
          + " (request defaults and provider-specific options are not configuration here: send them in the request)");
    }
    JsonNode info = e.path("model_info");
    if (info.isObject()) {
      String mode = SourceTree.text(info.get("mode"));
      if (mode != null && !mode.equals("chat") && !mode.equals("completion")) {
        d.note(where, "not imported: model_info.mode " + mode + " (only chat models are imported)");
        return;
      }
      List<String> infoExtra = SourceTree.unknownKeys(info, INFO_KEYS);
      if (!infoExtra.isEmpty()) d.note(where + ".model_info", "not imported: " + String.join(", ", infoExtra) + " (descriptive only)");
    }
    LiteLlmProviders.Spelled sp = LiteLlmProviders.split(model);
    if (sp.vendor() == null) {
      d.note(where, "not imported: " + model + (LiteLlmProviders.unsupported(sp)
          ? " — LiteLLM's '" + sp.prefix() + "' provider speaks its own protocol; put an OpenAI-compatible endpoint in front of it"
            + " and import it as openai/<model> with api_base"
          : " — not a provider prefix we know; if it is OpenAI-compatible write it as openai/<model> with api_base"));
      return;
    }
    Vendor v = sp.vendor();
    String baseUrl = null;
    String baseVar = null;
    String apiBase = SourceTree.text(params.get("api_base"));
    if (apiBase != null && apiBase.startsWith("os.environ/")) {
      baseVar = apiBase.substring("os.environ/".length());
      d.note(where + ".api_base", "read from " + baseVar + " as ${" + baseVar + "}: set it where the gateway runs");
    } else if (apiBase != null && !apiBase.isBlank()) {
      baseUrl = apiBase.trim().replaceAll("/+$", "");
    }
    if (v == Vendor.OPENAI && (baseVar != null || (baseUrl != null && !baseUrl.contains("api.openai.com")))) {
      v = Vendor.OPENAI_COMPATIBLE;
    }
    if (v == Vendor.OPENAI_COMPATIBLE && baseUrl == null && baseVar == null) {
      d.note(where, "not imported: " + model + " needs api_base (the OpenAI-compatible server's URL)");
      return;
    }
    String prefix = null;
    if (baseUrl != null || baseVar != null) {
      if (v == Vendor.CEREBRAS || v == Vendor.DEEPSEEK) prefix = ""; // LiteLLM's api_base ends where /chat/completions goes
      if (v == Vendor.ANTHROPIC && baseUrl != null) baseUrl = baseUrl.replaceAll("(/v1/messages|/v1)$", "");
    }
    String keyEnv = keyEnv(d, where, v, DraftConfig.nameHint(v, baseUrl, baseVar), SourceTree.text(params.get("api_key")), literalKeys);
    int rpm = Math.max(SourceTree.positiveInt(params.get("rpm")), SourceTree.positiveInt(e.get("rpm")));
    int tpm = Math.max(SourceTree.positiveInt(params.get("tpm")), SourceTree.positiveInt(e.get("tpm")));
    Endpoint ep = new Endpoint(v, baseUrl, baseVar, prefix, keyEnv, rpm, tpm,
        SourceTree.positiveInt(params.get("max_parallel_requests")),
        SourceTree.secondsAsMs(params.get("stream_timeout")), SourceTree.secondsAsMs(params.get("timeout")));
    String provider = d.provider(ep);
    ModelChoice mc = ModelChoice.choose(d, where, v, provider, sp.model(), facts(params, info));
    String target = d.target(provider, mc.model(), mc.declared());
    Double order = SourceTree.number(params.get("order"));
    Double weight = SourceTree.number(params.get("weight"));
    if (weight != null) {
      d.note(where + ".litellm_params.weight", "weights are not a share of traffic here: deployments are tried by weight,"
          + " highest first, the next one on failure");
    }
    groups.computeIfAbsent(group, g -> new ArrayList<>())
        .add(new Deployment(i, order == null ? Integer.MAX_VALUE : (int) Math.round(order), weight == null ? 0 : weight, target));
  }

  /** {@code os.environ/VAR} → VAR; a key written in the file is never copied, it gets a variable and a note. */
  private static String keyEnv(DraftConfig d, String where, Vendor v, String stem, String apiKey, Map<String, Integer> literalKeys) {
    if (apiKey == null || apiKey.isBlank()) {
      return v.defaultKeyEnv();
    }
    if (apiKey.startsWith("os.environ/")) return apiKey.substring("os.environ/".length());
    String id = stem + "\u0000" + apiKey; // held in memory only, to give one variable per distinct key
    Integer n = literalKeys.get(id);
    if (n == null) {
      n = 1 + (int) literalKeys.keySet().stream().filter(x -> x.startsWith(stem + "\u0000")).count();
      literalKeys.put(id, n);
    }
    String var = stem.toUpperCase(java.util.Locale.ROOT).replace('-', '_') + "_API_KEY" + (n == 1 ? "" : "_" + n);
    d.note(where + ".litellm_params.api_key", "the key is written in the file and was not copied: export " + var
        + "=<that key> where the gateway runs");
    return var;
  }

  private static ModelChoice.Facts facts(JsonNode params, JsonNode info) {
    Double ctx = SourceTree.number(info.get("max_input_tokens"));
    if (ctx == null) ctx = SourceTree.number(info.get("max_tokens"));
    Double in = SourceTree.number(info.get("input_cost_per_token"));
    if (in == null) in = SourceTree.number(params.get("input_cost_per_token"));
    Double out = SourceTree.number(info.get("output_cost_per_token"));
    if (out == null) out = SourceTree.number(params.get("output_cost_per_token"));
    Double cached = SourceTree.number(info.get("cache_read_input_token_cost"));
    JsonNode tools = info.get("supports_function_calling");
    JsonNode json = info.get("supports_response_schema");
    return new ModelChoice.Facts(ctx == null || ctx <= 0 ? null : (int) Math.min(Integer.MAX_VALUE, Math.round(ctx)),
        perMtok(in), perMtok(out), perMtok(cached),
        tools == null || !tools.isBoolean() ? null : tools.booleanValue(),
        json == null || !json.isBoolean() ? null : json.booleanValue());
  }

  /** LiteLLM prices per token, ours per million tokens. */
  private static Double perMtok(Double perToken) {
    return perToken == null || perToken < 0 ? null : perToken * 1_000_000d;
  }
}
