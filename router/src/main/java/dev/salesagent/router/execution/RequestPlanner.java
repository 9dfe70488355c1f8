package dev.salesagent.router.execution;

import dev.salesagent.router.classify.TaskClassifier;
import dev.salesagent.router.config.RouterConfig;
import dev.salesagent.router.error.ErrorKind;
import dev.salesagent.router.error.LlmException;
import dev.salesagent.router.model.ChatRequest;
import dev.salesagent.router.model.ResponseFormat;
import dev.salesagent.router.provider.Capability;
import dev.salesagent.router.routing.EmbeddingRouteRequest;
import dev.salesagent.router.routing.RouteRequest;
import dev.salesagent.router.strategy.PlanInput;
import dev.salesagent.router.strategy.Planner;
import dev.salesagent.router.strategy.TargetRef;
import dev.salesagent.router.tokens.TokenEstimator;
import java.util.EnumSet;
import java.util.Set;

/**
 * Turns a routed request into a plan without calling anything: resolves the task (a {@code task:} model, a pinned
 * target's task, or the classifier when none is given), checks the strategy, derives the capabilities the request
 * needs and its token estimates, then asks the {@link Planner}.
 */
final class RequestPlanner {
  private final LiveState state;
  private final Planner planner;
  private final RouterConfig config;
  private final TokenEstimator tokens;
  private final TaskClassifier classifier;
  private final int smallestContextWindow;

  RequestPlanner(LiveState state, TokenEstimator tokens, TaskClassifier classifier) {
    this.state = state;
    this.classifier = classifier;
    this.planner = state.planner();
    this.config = state.config();
    this.tokens = tokens;
    int min = Integer.MAX_VALUE;
    for (var p : config.providers().values()) for (var m : p.settings().models().values()) min = Math.min(min, m.contextWindow());
    this.smallestContextWindow = min;
  }

  /** @throws LlmException {@code invalid_request} for an unknown task or strategy */
  PlannedRequest plan(RouteRequest req, boolean streaming) {
    String t = req.task();
    String reason = null;
    String model = req.model();
    if (model != null && model.startsWith("task:")) {
      t = model.substring(5);
    }
    TargetRef[] pinned = planner.resolvePinned(req.provider(), model);
    if (t == null || t.isBlank() || "auto".equals(t)) {
      if (pinned != null) {
        t = pinnedTask(pinned);
        reason = t == null ? null : "pinned target; classified as " + t;
      }
      if (t == null) {
        TaskClassifier.Classification c = classifier.classify(req.chat());
        t = c.task();
        reason = c.reason();
      }
    }
    if (!planner.hasTask(t) && pinned == null) {
      throw LlmException.builder(ErrorKind.INVALID_REQUEST, "unknown task '" + t + "' (configured: "
          + String.join(", ", config.tasks().keySet()) + ", or auto)").task(t).build();
    }
    String strategy = req.strategy() == null || req.strategy().isBlank() ? config.defaultStrategy() : req.strategy();
    if (!RouterConfig.STRATEGIES.contains(strategy)) {
      throw LlmException.builder(ErrorKind.INVALID_REQUEST, "unknown strategy '" + strategy + "': write task, cost or latency").task(t).build();
    }
    ChatRequest chat = req.chat();
    int in = tokens.quickEstimateInput(chat);
    // Exact counts only where they can change the plan: ranking by cost, or a prompt that may not fit a window.
    if ("cost".equals(strategy) || (in * 3) / 2 + (chat.maxTokens() == null ? 0 : chat.maxTokens()) >= smallestContextWindow) {
      in = tokens.estimateInput(chat);
    }
    int out = chat.maxTokens() != null ? chat.maxTokens()
        : config.tasks().containsKey(t) ? config.tasks().get(t).typicalOutputTokens() : 1024;
    Set<Capability> caps = req.hints().requiredCapabilities();
    if (!(chat.responseFormat() instanceof ResponseFormat.Text) || !chat.tools().isEmpty()) {
      EnumSet<Capability> s = caps.isEmpty() ? EnumSet.noneOf(Capability.class) : EnumSet.copyOf(caps);
      if (!(chat.responseFormat() instanceof ResponseFormat.Text)) s.add(Capability.JSON);
      if (!chat.tools().isEmpty()) s.add(Capability.TOOLS);
      caps = s;
    }
    int minCtx = req.hints().minContextTokens() != null ? req.hints().minContextTokens() : in + (chat.maxTokens() == null ? 0 : chat.maxTokens());
    PlanInput input = new PlanInput(t, strategy, pinned, caps, in, out, minCtx, req.hints().maxCostUsd(), req.apiKeyId(), streaming);
    return new PlannedRequest(t, reason, input, planner.plan(input, state));
  }

  /** The task whose chain holds the pinned target; the first configured task when none does. */
  private String pinnedTask(TargetRef[] pinned) {
    for (var e : config.tasks().values()) if (e.chain().contains(pinned[0].target())) return e.name();
    return config.tasks().isEmpty() ? null : config.tasks().keySet().iterator().next();
  }

  /**
   * Plans an embeddings request: its task ({@code embedding} unless it names another, or the pinned target's), every
   * target an embedding model. A pinned model or task without one is the caller's mistake, refused with
   * {@code invalid_request} naming the embedding models there are.
   *
   * @throws LlmException {@code invalid_request}
   */
  PlannedRequest planEmbedding(EmbeddingRouteRequest req) {
    String t = req.task();
    String model = req.model();
    if (model != null && model.startsWith("task:")) t = model.substring(5);
    TargetRef[] pinned = planner.resolvePinned(req.provider(), model);
    if (t == null || t.isBlank() || "auto".equals(t)) {
      t = pinned == null ? null : taskHolding(pinned[0]);
      if (t == null) t = EmbeddingRouteRequest.DEFAULT_TASK;
    }
    if (pinned != null) {
      boolean any = false;
      for (TargetRef r : pinned) any |= r.has(Capability.EMBEDDING);
      if (!any) {
        throw LlmException.builder(ErrorKind.INVALID_REQUEST, "model '" + pinned[0].target() + "' is not an embedding model: use "
            + embeddingChoices()).task(t).build();
      }
    } else if (!planner.hasTask(t)) {
      throw LlmException.builder(ErrorKind.INVALID_REQUEST, "unknown task '" + t + "': use " + embeddingChoices()).task(t).build();
    } else {
      boolean any = false;
      for (TargetRef r : planner.chain(t)) any |= r != null && r.has(Capability.EMBEDDING);
      if (!any) {
        throw LlmException.builder(ErrorKind.INVALID_REQUEST, "task '" + t + "' has no embedding model in its chain: use "
            + embeddingChoices()).task(t).build();
      }
    }
    String strategy = req.strategy() == null || req.strategy().isBlank() ? config.defaultStrategy() : req.strategy();
    if (!RouterConfig.STRATEGIES.contains(strategy)) {
      throw LlmException.builder(ErrorKind.INVALID_REQUEST, "unknown strategy '" + strategy + "': write task, cost or latency").task(t).build();
    }
    int in = 0;
    int longest = 0;
    for (String s : req.embedding().inputs()) {
      int n = TokenEstimator.quick(s);
      in += n;
      longest = Math.max(longest, n);
    }
    // every input must fit the model's window on its own; nothing is generated
    PlanInput input = new PlanInput(t, strategy, pinned, EMBEDDING_ONLY, in, 0, longest, null, req.apiKeyId(), false);
    return new PlannedRequest(t, null, input, planner.plan(input, state));
  }

  private static final Set<Capability> EMBEDDING_ONLY = EnumSet.of(Capability.EMBEDDING);

  private String taskHolding(TargetRef r) {
    for (var e : config.tasks().values()) if (e.chain().contains(r.target())) return e.name();
    return null;
  }

  /** What a caller can write instead: the tasks whose chains hold embedding models, then those models. */
  private String embeddingChoices() {
    java.util.List<String> out = new java.util.ArrayList<>();
    for (var e : config.tasks().values()) {
      TargetRef[] chain = planner.chain(e.name());
      for (TargetRef r : chain) {
        if (r != null && r.has(Capability.EMBEDDING)) {
          out.add("task:" + e.name());
          break;
        }
      }
    }
    for (TargetRef r : planner.allTargets()) if (r.has(Capability.EMBEDDING)) out.add(r.target().toString());
    return out.isEmpty() ? "a model with the embedding capability (none is configured)" : String.join(", ", out);
  }
}
