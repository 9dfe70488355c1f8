package dev.salesagent.router.execution;

import dev.salesagent.router.classify.TaskClassifier;
import dev.salesagent.router.config.RouterConfig;
import dev.salesagent.router.error.ErrorKind;
import dev.salesagent.router.error.LlmException;
import dev.salesagent.router.model.ChatRequest;
import dev.salesagent.router.model.ResponseFormat;
import dev.salesagent.router.provider.Capability;
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
    // plain-text requests (no parts) skip the part scans: hasParts is one pass over the messages, no allocation
    boolean parts = chat.hasParts();
    boolean tools = !chat.tools().isEmpty() || (parts && chat.usesTools());
    boolean images = parts && chat.hasImages();
    if (!(chat.responseFormat() instanceof ResponseFormat.Text) || tools || images) {
      EnumSet<Capability> s = caps.isEmpty() ? EnumSet.noneOf(Capability.class) : EnumSet.copyOf(caps);
      if (!(chat.responseFormat() instanceof ResponseFormat.Text)) s.add(Capability.JSON);
      if (tools) s.add(Capability.TOOLS);
      if (images) s.add(Capability.VISION);
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
}
