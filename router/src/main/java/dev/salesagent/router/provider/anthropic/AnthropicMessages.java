package dev.salesagent.router.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.salesagent.router.error.ErrorKind;
import dev.salesagent.router.error.LlmException;
import dev.salesagent.router.model.CacheControl;
import dev.salesagent.router.model.ContentPart;
import dev.salesagent.router.model.Message;
import dev.salesagent.router.model.Role;
import dev.salesagent.router.model.ToolCall;
import dev.salesagent.router.model.ToolChoice;
import dev.salesagent.router.wire.WireJson;
import java.util.List;

/**
 * The conversation in Messages API words.
 *
 * <ul>
 *   <li>system messages → {@code system}: a string, or text blocks when one carries {@code cache_control};</li>
 *   <li>plain messages → {@code content} strings (the fast path); structured ones → blocks: {@code text},
 *       {@code image} ({@code source} {@code base64} with {@code media_type}, or {@code url}), {@code tool_use}
 *       (arguments parsed to the {@code input} object), {@code thinking} (only with its {@code signature}: the API
 *       refuses unsigned thinking);</li>
 *   <li>tool messages → {@code tool_result} blocks in a user turn, merged with the user message that follows (the
 *       results must come first in the turn after the {@code tool_use});</li>
 *   <li>{@code cache_control} is written on the block it marks, as given.</li>
 * </ul>
 */
final class AnthropicMessages {
  private AnthropicMessages() {}

  /** The {@code system} value, or {@code null} when there is no system text; {@code extra} is appended as text. */
  static JsonNode system(List<Message> ms, String extra) {
    boolean blocks = false;
    for (Message m : ms) {
      if (m.role() == Role.SYSTEM && !m.isPlainText()) {
        for (ContentPart p : m.parts()) if (p instanceof ContentPart.Text t && t.cacheControl() != null) blocks = true;
      }
    }
    if (!blocks) return null; // the codec writes the joined string
    ArrayNode a = WireJson.MAPPER.createArrayNode();
    for (Message m : ms) {
      if (m.role() != Role.SYSTEM) continue;
      for (ContentPart p : m.contentParts()) {
        ContentPart.Text t = (ContentPart.Text) p;
        if (!t.text().isEmpty()) cache(a.addObject().put("type", "text").put("text", t.text()), t.cacheControl());
      }
    }
    if (extra != null) a.addObject().put("type", "text").put("text", extra);
    return a;
  }

  /** Writes the non-system messages; a trailing plain assistant message is the prefill (trailing whitespace cut). */
  static void messages(ArrayNode out, List<Message> ms) {
    int last = -1;
    for (int i = 0; i < ms.size(); i++) if (ms.get(i).role() != Role.SYSTEM) last = i;
    ObjectNode open = null; // the user turn tool results opened, which a following user message joins
    for (int i = 0; i < ms.size(); i++) {
      Message m = ms.get(i);
      switch (m.role()) {
        case SYSTEM -> { }
        case TOOL -> {
          if (open == null) (open = out.addObject().put("role", "user")).putArray("content");
          ArrayNode c = (ArrayNode) open.get("content");
          for (ContentPart p : m.parts()) toolResult(c.addObject(), (ContentPart.ToolResult) p);
        }
        case USER -> {
          if (open != null) {
            blocks((ArrayNode) open.get("content"), m);
            open = null;
          } else if (m.isPlainText()) {
            out.addObject().put("role", "user").put("content", m.content());
          } else {
            blocks(out.addObject().put("role", "user").putArray("content"), m);
          }
        }
        case ASSISTANT -> {
          open = null;
          if (m.isPlainText()) {
            String content = i == last ? m.content().stripTrailing() : m.content();
            out.addObject().put("role", "assistant").put("content", content);
          } else {
            blocks(out.addObject().put("role", "assistant").putArray("content"), m);
          }
        }
      }
    }
  }

  private static void blocks(ArrayNode c, Message m) {
    for (ContentPart p : m.contentParts()) {
      if (p instanceof ContentPart.Text t) {
        if (!t.text().isEmpty()) cache(c.addObject().put("type", "text").put("text", t.text()), t.cacheControl());
      } else if (p instanceof ContentPart.Image im) {
        ObjectNode b = c.addObject().put("type", "image");
        ObjectNode src = b.putObject("source");
        if (im.inline()) src.put("type", "base64").put("media_type", im.mediaType()).put("data", im.data());
        else src.put("type", "url").put("url", im.url());
        cache(b, im.cacheControl());
      } else if (p instanceof ToolCall tc) {
        c.addObject().put("type", "tool_use").put("id", tc.id()).put("name", tc.name()).set("input", input(tc));
      } else if (p instanceof ContentPart.Reasoning r && r.signature() != null && !r.signature().isEmpty()) {
        c.addObject().put("type", "thinking").put("thinking", r.text()).put("signature", r.signature());
      }
    }
  }

  private static void toolResult(ObjectNode b, ContentPart.ToolResult r) {
    b.put("type", "tool_result").put("tool_use_id", r.callId()).put("content", r.content());
    if (r.isError()) b.put("is_error", true);
    cache(b, r.cacheControl());
  }

  /** A call's arguments as the {@code input} object the API requires. */
  private static JsonNode input(ToolCall tc) {
    String a = tc.argumentsJson();
    if (a == null || a.isBlank()) return WireJson.object();
    JsonNode n = WireJson.parse(a);
    if (n == null || !n.isObject()) {
      throw LlmException.builder(ErrorKind.INVALID_REQUEST, "tool call " + tc.id() + " (" + tc.name()
          + ") has arguments that are not a JSON object; Anthropic needs an object as tool_use input").build();
    }
    return n;
  }

  static void cache(ObjectNode b, CacheControl cc) {
    if (cc == null) return;
    ObjectNode o = b.putObject("cache_control").put("type", cc.type());
    if (cc.ttl() != null) o.put("ttl", cc.ttl());
  }

  /**
   * {@code tool_choice}: none for {@code auto} with parallel calls allowed (the default), else
   * {@code auto}/{@code any}/{@code tool}/{@code none}, with {@code disable_parallel_tool_use} when parallel calls are
   * turned off ({@code none} takes no such flag).
   */
  static ObjectNode toolChoice(ToolChoice c, Boolean parallel) {
    boolean noParallel = Boolean.FALSE.equals(parallel);
    ObjectNode o = WireJson.object();
    if (c instanceof ToolChoice.None) return o.put("type", "none");
    if (c instanceof ToolChoice.Required) o.put("type", "any");
    else if (c instanceof ToolChoice.Named n) o.put("type", "tool").put("name", n.name());
    else if (noParallel) o.put("type", "auto");
    else return null;
    if (noParallel) o.put("disable_parallel_tool_use", true);
    return o;
  }
}
