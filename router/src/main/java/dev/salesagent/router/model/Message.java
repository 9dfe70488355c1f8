package dev.salesagent.router.model;

import java.util.Objects;

/** One chat message; content is plain text. */
public record Message(Role role, String content) {
  public Message {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(content, "content");
  }

  public static Message system(String text) { return new Message(Role.SYSTEM, text); }
  public static Message user(String text) { return new Message(Role.USER, text); }
  public static Message assistant(String text) { return new Message(Role.ASSISTANT, text); }
}
