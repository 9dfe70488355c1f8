package dev.salesagent.server.chat;

import dev.salesagent.router.model.ContentPart;
import dev.salesagent.router.model.Message;
import dev.salesagent.router.model.Role;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the router's conversation from a dialect's messages, whose turns are cut differently: OpenAI sends one
 * {@code tool} message per result, the Responses API one item per call and per result, Anthropic a user turn mixing
 * {@code tool_result} blocks with text. Here a run of tool results becomes one {@link Role#TOOL} turn and a run of
 * assistant parts (text, calls) one assistant turn, so every provider sees "the calls, then all their results".
 */
public final class Turns {
  private final List<Message> out;
  private List<ContentPart> results;
  private List<ContentPart> assistant;

  public Turns(int expected) {
    out = new ArrayList<>(expected);
  }

  /** A whole message (system, user, a plain or complete assistant turn): ends any open run. */
  public void add(Message m) {
    flush();
    out.add(m);
  }

  /** One tool result; consecutive ones form one tool turn. */
  public void toolResult(ContentPart.ToolResult r) {
    flushAssistant();
    if (results == null) results = new ArrayList<>(2);
    results.add(r);
  }

  /** One part of an assistant turn given piece by piece (Responses items); consecutive ones form one turn. */
  public void assistantPart(ContentPart p) {
    flushResults();
    if (assistant == null) assistant = new ArrayList<>(2);
    assistant.add(p);
  }

  public List<Message> messages() {
    flush();
    return out;
  }

  private void flush() {
    flushResults();
    flushAssistant();
  }

  private void flushResults() {
    if (results == null) return;
    out.add(Message.of(Role.TOOL, results));
    results = null;
  }

  private void flushAssistant() {
    if (assistant == null) return;
    if (assistant.size() == 1 && assistant.get(0) instanceof ContentPart.Text t && t.cacheControl() == null) {
      out.add(Message.assistant(t.text()));
    } else {
      out.add(Message.of(Role.ASSISTANT, assistant));
    }
    assistant = null;
  }
}
