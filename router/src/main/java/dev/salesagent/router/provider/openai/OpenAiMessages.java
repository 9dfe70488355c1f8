package dev.salesagent.router.provider.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.salesagent.router.model.ContentPart;
import dev.salesagent.router.model.Message;
import dev.salesagent.router.model.ToolCall;
import dev.salesagent.router.model.ToolChoice;
import java.io.IOException;

/**
 * Structured messages and the tool choice in Chat Completions' words (plain-text messages never come here: the codec
 * writes them inline).
 *
 * <ul>
 *   <li>user text and images → {@code content} parts {@code text} / {@code image_url} (inline images as
 *       {@code data:} URLs), or a plain string when there is no image;</li>
 *   <li>assistant → {@code content} (the text, {@code null} when only calls) and {@code tool_calls[]} with the
 *       arguments as JSON text; reasoning goes back only where the provider's {@link BodyExtras} say so (DeepSeek
 *       wants {@code reasoning_content} of tool-calling turns back in thinking mode);</li>
 *   <li>a tool message → one {@code role:"tool"} message per result, {@code tool_call_id} + {@code content}
 *       ({@code is_error} has no field here: the content says it);</li>
 *   <li>{@code cache_control} is dropped: OpenAI-compatible providers cache prefixes automatically.</li>
 * </ul>
 */
final class OpenAiMessages {
  private OpenAiMessages() {}

  /** @param last {@code m} is the request's last message (the provider's last-message extras apply) */
  static void write(JsonGenerator g, Message m, BodyExtras extras, boolean last) throws IOException {
    switch (m.role()) {
      case TOOL -> {
        for (ContentPart p : m.parts()) {
          ContentPart.ToolResult r = (ContentPart.ToolResult) p;
          g.writeStartObject();
          g.writeStringField("role", "tool");
          g.writeStringField("tool_call_id", r.callId());
          g.writeStringField("content", r.content());
          g.writeEndObject();
        }
        return;
      }
      case ASSISTANT -> {
        assistant(g, m);
        extras.assistantParts(g, m);
      }
      case USER -> user(g, m);
      case SYSTEM -> {
        g.writeStartObject();
        g.writeStringField("role", "system");
        g.writeStringField("content", m.content());
      }
    }
    if (last) extras.lastMessage(g, m);
    g.writeEndObject();
  }

  private static void user(JsonGenerator g, Message m) throws IOException {
    g.writeStartObject();
    g.writeStringField("role", "user");
    if (!m.hasImages()) {
      g.writeStringField("content", m.content());
      return;
    }
    g.writeArrayFieldStart("content");
    for (ContentPart p : m.parts()) {
      g.writeStartObject();
      if (p instanceof ContentPart.Text t) {
        g.writeStringField("type", "text");
        g.writeStringField("text", t.text());
      } else if (p instanceof ContentPart.Image im) {
        g.writeStringField("type", "image_url");
        g.writeObjectFieldStart("image_url");
        g.writeStringField("url", im.asUrl());
        g.writeEndObject();
      }
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  private static void assistant(JsonGenerator g, Message m) throws IOException {
    g.writeStartObject();
    g.writeStringField("role", "assistant");
    var calls = m.toolCalls();
    if (calls.isEmpty() || !m.content().isEmpty()) g.writeStringField("content", m.content());
    else g.writeNullField("content");
    if (calls.isEmpty()) return;
    g.writeArrayFieldStart("tool_calls");
    for (ToolCall c : calls) {
      g.writeStartObject();
      g.writeStringField("id", c.id());
      g.writeStringField("type", "function");
      g.writeObjectFieldStart("function");
      g.writeStringField("name", c.name());
      g.writeStringField("arguments", c.argumentsJson() == null ? "{}" : c.argumentsJson());
      g.writeEndObject();
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  /** {@code tool_choice}; nothing for {@code auto}, the API's default when tools are offered. */
  static void toolChoice(JsonGenerator g, ToolChoice c) throws IOException {
    if (c instanceof ToolChoice.None) {
      g.writeStringField("tool_choice", "none");
    } else if (c instanceof ToolChoice.Required) {
      g.writeStringField("tool_choice", "required");
    } else if (c instanceof ToolChoice.Named n) {
      g.writeObjectFieldStart("tool_choice");
      g.writeStringField("type", "function");
      g.writeObjectFieldStart("function");
      g.writeStringField("name", n.name());
      g.writeEndObject();
      g.writeEndObject();
    }
  }
}
