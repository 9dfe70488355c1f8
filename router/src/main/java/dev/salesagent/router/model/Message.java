package dev.salesagent.router.model;

import java.util.List;
import java.util.Objects;

/**
 * One chat message.
 *
 * <p>A plain-text message has no {@code parts}: its {@code content} is the whole message, and that is the fast path
 * every adapter takes (no part objects for the common case). A structured message has {@code parts} (see
 * {@link ContentPart} for which a role may hold), and its {@code content} is then derived: the text parts joined
 * (for a {@link Role#TOOL} message, the results' content), so code that only reads text (classifier, token
 * estimates, logs) keeps working.
 */
public record Message(Role role, String content, List<ContentPart> parts) {
  public Message {
    Objects.requireNonNull(role, "role");
    parts = parts == null ? List.of() : List.copyOf(parts);
    if (parts.isEmpty()) {
      Objects.requireNonNull(content, "content");
      if (role == Role.TOOL) throw new IllegalArgumentException("a tool message holds tool results (parts)");
    } else {
      for (ContentPart p : parts) check(role, p);
      content = ContentPart.textOf(parts);
    }
  }

  public Message(Role role, String content) {
    this(role, content, List.of());
  }

  public static Message system(String text) { return new Message(Role.SYSTEM, text); }
  public static Message user(String text) { return new Message(Role.USER, text); }
  public static Message assistant(String text) { return new Message(Role.ASSISTANT, text); }

  /** A message made of parts; its {@code content} is derived from them. */
  public static Message of(Role role, List<ContentPart> parts) {
    if (parts.isEmpty()) throw new IllegalArgumentException("a message needs at least one part");
    return new Message(role, null, parts);
  }

  public static Message user(ContentPart... parts) { return of(Role.USER, List.of(parts)); }

  /** An assistant turn: optional text, then the calls it made. */
  public static Message assistantToolCalls(String text, List<ToolCall> calls) {
    ContentPart[] ps = new ContentPart[calls.size() + (text == null || text.isEmpty() ? 0 : 1)];
    int i = 0;
    if (ps.length > calls.size()) ps[i++] = new ContentPart.Text(text);
    for (ToolCall c : calls) ps[i++] = c;
    return of(Role.ASSISTANT, List.of(ps));
  }

  /** A tool turn answering one or more calls. */
  public static Message toolResults(ContentPart.ToolResult... results) { return of(Role.TOOL, List.of(results)); }

  public static Message toolResult(String callId, String content) {
    return toolResults(new ContentPart.ToolResult(callId, content));
  }

  /** True when {@code content} is the whole message (no parts). */
  public boolean isPlainText() { return parts.isEmpty(); }

  /** The parts, a plain-text message's text as one {@link ContentPart.Text}. Allocates for plain text: not for hot paths. */
  public List<ContentPart> contentParts() {
    return parts.isEmpty() ? List.of(new ContentPart.Text(content)) : parts;
  }

  /** The tool calls of an assistant message, in order. */
  public List<ToolCall> toolCalls() {
    if (parts.isEmpty()) return List.of();
    List<ToolCall> out = null;
    for (ContentPart p : parts) {
      if (p instanceof ToolCall c) {
        if (out == null) out = new java.util.ArrayList<>(2);
        out.add(c);
      }
    }
    return out == null ? List.of() : out;
  }

  public boolean hasImages() {
    for (int i = 0; i < parts.size(); i++) if (parts.get(i) instanceof ContentPart.Image) return true;
    return false;
  }

  private static void check(Role role, ContentPart p) {
    boolean ok = switch (role) {
      case SYSTEM -> p instanceof ContentPart.Text;
      case USER -> p instanceof ContentPart.Text || p instanceof ContentPart.Image;
      case ASSISTANT -> p instanceof ContentPart.Text || p instanceof ToolCall || p instanceof ContentPart.Reasoning;
      case TOOL -> p instanceof ContentPart.ToolResult;
    };
    if (!ok) {
      throw new IllegalArgumentException("a " + role.wire() + " message cannot hold a " + p.getClass().getSimpleName() + " part");
    }
  }
}
