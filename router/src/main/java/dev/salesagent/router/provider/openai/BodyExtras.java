package dev.salesagent.router.provider.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.salesagent.router.model.Message;
import java.io.IOException;

/**
 * What one provider adds to an OpenAI Chat Completions request body, written as the body is generated (no tree).
 * DeepSeek's folder adds its thinking switch and the prefix flag of a continuation; plain servers add nothing.
 */
public interface BodyExtras {
  BodyExtras NONE = new BodyExtras() {};

  /** Fields of the last message, after its role and content. */
  default void lastMessage(JsonGenerator g, Message last) throws IOException {}

  /** Fields of a structured assistant message, after its content and tool calls (DeepSeek: its reasoning). */
  default void assistantParts(JsonGenerator g, Message assistant) throws IOException {}

  /** Top-level fields, after the standard ones. */
  default void topLevel(JsonGenerator g) throws IOException {}
}
