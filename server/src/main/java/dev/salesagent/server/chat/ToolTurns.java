package dev.salesagent.server.chat;

import dev.salesagent.router.model.ContentPart;
import dev.salesagent.router.model.Message;
import dev.salesagent.router.model.Role;
import dev.salesagent.router.model.ToolCall;
import dev.salesagent.server.http.ApiException;
import java.util.List;

/**
 * The pairing rule of a tool loop, checked by the gateway for every dialect and upstream: each tool turn answers the
 * calls of the assistant turn right before it, by id, and each call of an assistant turn is answered in the turn
 * after it. OpenAI and Anthropic refuse a broken pairing themselves, but Ollama has no call ids on the wire and would
 * answer to whatever it was sent — so the gateway refuses it (400) before any provider is called, the same way
 * whoever serves the request, and the refusal is never fallen back.
 */
public final class ToolTurns {
  private ToolTurns() {}

  /** @throws ApiException 400 naming the id that does not pair */
  public static void check(List<Message> messages) {
    List<ToolCall> open = null; // the calls of the assistant turn just before, awaiting their results
    int openAt = -1;
    for (int i = 0; i < messages.size(); i++) {
      Message m = messages.get(i);
      if (m.role() == Role.TOOL) {
        for (ContentPart p : m.parts()) {
          ContentPart.ToolResult r = (ContentPart.ToolResult) p;
          if (open == null || !answers(open, r.callId())) {
            throw ApiException.invalid("messages", "a tool result answers tool call id '" + r.callId()
                + "', which is not a call of the assistant turn right before it"
                + (open == null ? " (that turn made no calls)" : " (its calls: " + ids(open) + ")")
                + ": send each result with the id of the call it answers");
          }
        }
        open = remaining(open, m);
        continue;
      }
      if (open != null && !open.isEmpty()) throw unanswered(open);
      open = null;
      if (m.role() == Role.ASSISTANT && !m.isPlainText()) {
        List<ToolCall> calls = m.toolCalls();
        if (!calls.isEmpty()) {
          open = calls;
          openAt = i;
        }
      }
    }
    // A trailing assistant turn with calls is left open: the client is replaying the model's turn (a prefill), which
    // the providers reject with their own words if they must.
    if (open != null && !open.isEmpty() && openAt != messages.size() - 1) throw unanswered(open);
  }

  private static boolean answers(List<ToolCall> calls, String id) {
    for (ToolCall c : calls) if (c.id() != null && c.id().equals(id)) return true;
    return false;
  }

  /** The calls not answered by the tool turn {@code m}. */
  private static List<ToolCall> remaining(List<ToolCall> open, Message m) {
    List<ToolCall> left = new java.util.ArrayList<>(open.size());
    for (ToolCall c : open) {
      boolean answered = false;
      for (ContentPart p : m.parts()) {
        if (((ContentPart.ToolResult) p).callId().equals(c.id())) { answered = true; break; }
      }
      if (!answered) left.add(c);
    }
    return left;
  }

  private static ApiException unanswered(List<ToolCall> calls) {
    return ApiException.invalid("messages", "an assistant turn's tool calls must each be answered by a tool result in "
        + "the turn right after it; no result for: " + ids(calls));
  }

  private static String ids(List<ToolCall> calls) {
    StringBuilder sb = new StringBuilder();
    for (ToolCall c : calls) {
      if (sb.length() > 0) sb.append(", ");
      sb.append(c.id());
    }
    return sb.toString();
  }
}
