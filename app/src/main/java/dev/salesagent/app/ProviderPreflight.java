package dev.salesagent.app;

import dev.salesagent.agent.outreach.OutreachUseCase;
import dev.salesagent.agent.parse.ParseUseCase;
import dev.salesagent.agent.pipeline.Step;
import dev.salesagent.agent.qualify.QualifyUseCase;
import dev.salesagent.agent.research.ResearchUseCase;
import dev.salesagent.router.config.RouterConfig;
import dev.salesagent.router.routing.Target;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Before a run makes its first call: every task its steps need has at least one configured provider in its chain.
 * Otherwise the run would import, start, and fail every lead one by one; instead it stops at once and says which
 * variable to set.
 */
final class ProviderPreflight {
  private ProviderPreflight() {}

  /** The router task each step calls. */
  static String task(Step s) {
    return switch (s) {
      case QUALIFY -> QualifyUseCase.TASK;
      case RESEARCH -> ResearchUseCase.TASK;
      case OUTREACH -> OutreachUseCase.TASK;
      case PARSE -> ParseUseCase.TASK;
    };
  }

  /** One line per task without a configured provider (empty when the run can start). */
  static List<String> problems(RouterConfig rc, Set<Step> steps) {
    List<String> out = new ArrayList<>();
    for (Step s : Step.values()) {
      if (!steps.contains(s)) continue;
      String task = task(s);
      RouterConfig.TaskConfig t = rc.tasks().get(task);
      if (t == null || t.chain().isEmpty()) {
        out.add("step " + s.wire() + " needs the router task '" + task + "', which has no chain in the configuration");
        continue;
      }
      Set<String> fixes = new LinkedHashSet<>();
      boolean ok = false;
      for (Target target : t.chain()) {
        RouterConfig.ProviderConfig p = rc.provider(target.provider());
        if (p == null) continue;
        if (p.configured()) {
          ok = true;
          break;
        }
        String env = p.settings().apiKeyEnv();
        fixes.add(!p.enabled() ? "enable provider " + p.name() + " in the configuration"
            : env != null ? "set " + env + " (" + target.provider() + "/" + target.model() + ")" : "configure provider " + p.name());
      }
      if (!ok) {
        out.add("step " + s.wire() + " needs the router task '" + task + "', and no provider of its chain is configured: "
            + String.join(", or ", fixes));
      }
    }
    return out;
  }
}
