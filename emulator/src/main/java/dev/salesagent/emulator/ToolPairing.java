package dev.salesagent.emulator;

import java.util.List;

/**
 * The real APIs' rule for tool turns: every result answers a call of the immediately preceding assistant turn, every
 * call is answered in the next turn, and results need tools in the request. Each protocol words the problem its own way.
 */
final class ToolPairing {
  private ToolPairing() {}

  /** One turn: an assistant turn's call ids, or a user/tool turn's result ids; {@code index} = its first message. */
  record Turn(int index, boolean assistant, List<String> ids) {}

  enum Kind { NO_TOOLS, UNKNOWN_RESULT, MISSING_RESULT }

  record Problem(Kind kind, int index, String id) {}

  /** The first problem, or null: results that answer nothing (or need tools) before calls left unanswered. */
  static Problem check(List<Turn> turns, boolean toolsOffered) {
    for (int i = 0; i < turns.size(); i++) {
      Turn t = turns.get(i);
      if (t.assistant() || t.ids().isEmpty()) continue;
      if (!toolsOffered) return new Problem(Kind.NO_TOOLS, t.index(), t.ids().get(0));
      Turn prev = i > 0 ? turns.get(i - 1) : null;
      for (String id : t.ids()) {
        if (prev == null || !prev.assistant() || !prev.ids().contains(id)) return new Problem(Kind.UNKNOWN_RESULT, t.index(), id);
      }
    }
    for (int i = 0; i < turns.size(); i++) {
      Turn t = turns.get(i);
      if (!t.assistant()) continue;
      Turn next = i + 1 < turns.size() ? turns.get(i + 1) : null;
      for (String id : t.ids()) {
        if (next == null || next.assistant() || !next.ids().contains(id)) return new Problem(Kind.MISSING_RESULT, t.index(), id);
      }
    }
    return null;
  }
}
