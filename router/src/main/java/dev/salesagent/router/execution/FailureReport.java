package dev.salesagent.router.execution;

import dev.salesagent.router.error.ErrorKind;
import dev.salesagent.router.provider.Capability;
import dev.salesagent.router.error.LlmException;
import dev.salesagent.router.model.Attempt;
import dev.salesagent.router.strategy.RoutePlan;
import dev.salesagent.router.strategy.TargetRef;
import java.util.List;

/**
 * The final errors of a request whose plan ran out. Each says what happened in full — what every attempt did, why
 * targets were skipped — because it is the one message a caller gets.
 */
final class FailureReport {
  private FailureReport() {}

  static LlmException noUsableTarget(RoutePlan plan) {
    TargetRef first = plan.skipped().isEmpty() ? null : plan.skipped().get(0).target();
    if (plan.unservableCapabilities() != null) {
      // no target of the route could ever serve it (an image for text-only models, say): the caller's to change,
      // never an image silently dropped or a 503 to retry
      StringBuilder caps = new StringBuilder();
      for (Capability c : plan.unservableCapabilities()) {
        if (caps.length() > 0) caps.append(", ");
        caps.append(c.wire()).append(" (").append(need(c)).append(')');
      }
      return LlmException.builder(ErrorKind.INVALID_REQUEST, "no model of this route has the capability the request needs: "
              + caps + "; pick a model that has it (" + plan.explain() + ")")
          .provider(first == null ? null : first.providerName()).model(first == null ? null : first.model()).build();
    }
    return LlmException.builder(ErrorKind.NO_ROUTE, "no usable target: " + plan.explain())
        .provider(first == null ? null : first.providerName()).model(first == null ? null : first.model()).build();
  }

  private static String need(Capability c) {
    return switch (c) {
      case VISION -> "the request has image input";
      case TOOLS -> "the request offers tools or carries tool calls";
      case JSON -> "the request asks for JSON output";
      case CONTINUATION -> "the request continues a partial answer";
      case EMBEDDING -> "the request asks for embeddings";
    };
  }

  static LlmException deadlinePassed(long totalMs, TargetRef t) {
    return LlmException.builder(ErrorKind.TIMEOUT, "the request's deadline of " + totalMs + " ms passed")
        .provider(t.providerName()).model(t.model()).build();
  }

  /** Content was delivered and no target could continue it: never a truncated answer dressed as success. */
  static LlmException interrupted(int deliveredChars, LlmException lastError, TargetRef lastTarget, String notes) {
    String why = lastError == null ? "stream interrupted" : lastError.getMessage();
    return LlmException.builder(ErrorKind.INTERRUPTED, "stream interrupted after " + deliveredChars
            + " characters were delivered and no target could continue it (" + why + ")" + notes)
        .httpStatus(lastError == null ? null : lastError.httpStatus())
        .provider(lastTarget == null ? null : lastTarget.providerName()).model(lastTarget == null ? null : lastTarget.model())
        .build();
  }

  static LlmException noTargetCalled(RoutePlan plan, String notes) {
    return LlmException.builder(ErrorKind.NO_ROUTE, "no target could be called: " + plan.explain() + notes).build();
  }

  static LlmException allFailed(RoutePlan plan, List<Attempt> attempts, LlmException lastError, TargetRef lastTarget,
                                String notes) {
    StringBuilder sb = new StringBuilder("all ").append(plan.size()).append(" targets failed: ");
    for (int i = 0; i < attempts.size(); i++) {
      Attempt a = attempts.get(i);
      if (i > 0) sb.append("; ");
      sb.append(a.provider()).append('/').append(a.model()).append(' ').append(a.outcome());
      if (a.status() != null) sb.append(' ').append(a.status());
    }
    if (lastError != null) sb.append(" (last: ").append(lastError.getMessage()).append(')');
    return LlmException.builder(ErrorKind.NO_ROUTE, sb + notes)
        .provider(lastTarget == null ? null : lastTarget.providerName()).model(lastTarget == null ? null : lastTarget.model())
        .httpStatus(lastError == null ? null : lastError.httpStatus()).build();
  }

  /** "; "-led list of the plan's skipped targets and the notes made while executing it, or "" when there are none. */
  static String notes(RoutePlan plan, List<String> notes) {
    if (notes.isEmpty() && plan.skipped().isEmpty()) return "";
    StringBuilder sb = new StringBuilder("; ");
    boolean first = true;
    for (var s : plan.skipped()) {
      if (!first) sb.append("; ");
      sb.append(s.target()).append(" skipped: ").append(s.reason());
      first = false;
    }
    for (String n : notes) {
      if (!first) sb.append("; ");
      sb.append(n);
      first = false;
    }
    return sb.toString();
  }
}
