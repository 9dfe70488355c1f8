package dev.salesagent.server.chat;

import dev.salesagent.compat.litellm.LiteLlmModelNames;
import dev.salesagent.router.config.RouterConfig;
import dev.salesagent.server.http.ApiError;
import dev.salesagent.server.http.ApiException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a request's {@code model} means: {@code auto} (classify the task), {@code task:<name>} or a task's bare name (a
 * configured task's chain: an imported LiteLLM {@code model_name} is a task, and its clients send the bare name),
 * {@code <provider>/<model>} (one target) or a configured model id (its provider, the first one in configuration
 * order that has it). A name none of these know is tried once more as LiteLLM spells models
 * ({@code anthropic/claude-sonnet-4-5-20250929}, {@code deepseek/deepseek-chat}, {@code ollama_chat/llama3.2}); anything
 * else is 404 {@code model_not_found}. Resolution is a map lookup; the LiteLLM spelling only runs on a miss.
 */
public final class ModelCatalog {
  /** How to route: at most one of task or (provider, model) is set; all null = auto. */
  public record Resolved(String task, String provider, String model) {}

  private static final Resolved AUTO = new Resolved(null, null, null);
  private final Map<String, Resolved> byName = new HashMap<>();
  private final List<String> listed = new ArrayList<>();
  private final Map<String, String> ownedBy = new HashMap<>();

  public ModelCatalog(RouterConfig config) {
    LiteLlmModelNames.warmUp();
    byName.put("auto", AUTO);
    add("auto", AUTO, "sales-agent");
    for (String task : config.tasks().keySet()) add("task:" + task, new Resolved(task, null, null), "sales-agent");
    // A task's bare name before provider/model and model ids: a task named like a model is a deliberate override (an
    // imported LiteLLM group called "gpt-4o" keeps its deployments and fallbacks). Not listed: the list has task:<name>.
    for (String task : config.tasks().keySet()) byName.putIfAbsent(task, new Resolved(task, null, null));
    for (RouterConfig.ProviderConfig p : config.providers().values()) {
      if (!p.enabled()) continue;
      for (String m : p.modelOrder()) add(p.name() + "/" + m, new Resolved(null, p.name(), m), p.name());
    }
    // Bare ids: configured providers first, so an id served by a keyed provider wins over an unconfigured one.
    Set<String> seen = new LinkedHashSet<>();
    for (boolean wantConfigured : new boolean[] {true, false}) {
      for (RouterConfig.ProviderConfig p : config.providers().values()) {
        if (!p.enabled() || p.configured() != wantConfigured) continue;
        for (String m : p.modelOrder()) {
          if (byName.containsKey(m) || !seen.add(m)) continue;
          add(m, new Resolved(null, p.name(), m), p.name());
        }
      }
    }
  }

  private void add(String id, Resolved r, String owner) {
    if (byName.putIfAbsent(id, r) == null || "auto".equals(id)) {
      if (!listed.contains(id)) listed.add(id);
      ownedBy.put(id, owner);
    }
  }

  /** @throws ApiException 404 model_not_found, 400 when missing */
  public Resolved resolve(String model) {
    if (model == null || model.isBlank()) throw ApiException.invalid("model", "model is required: use auto, task:<task>, <provider>/<model> or a model id from GET /v1/models");
    Resolved r = byName.get(model);
    if (r == null) {
      String litellm = LiteLlmModelNames.ours(model);
      if (litellm != null) r = byName.get(litellm);
    }
    if (r == null) {
      throw new ApiException(ApiError.notFound("model_not_found", "The model '" + model
          + "' does not exist here: use auto, task:<task>, <provider>/<model> or a model id from GET /v1/models"));
    }
    return r;
  }

  /** Every id {@link #resolve} accepts, in a stable order: auto, tasks, provider/model, bare ids. */
  public List<String> ids() { return listed; }

  public String ownedBy(String id) { return ownedBy.get(id); }
}
