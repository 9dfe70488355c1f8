package dev.salesagent.router.provider.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.salesagent.router.error.ErrorKind;
import dev.salesagent.router.error.LlmException;
import dev.salesagent.router.model.ChatRequest;
import dev.salesagent.router.model.ContentPart;
import dev.salesagent.router.model.Message;
import dev.salesagent.router.model.Role;
import dev.salesagent.router.model.ToolCall;
import dev.salesagent.router.model.ToolChoice;
import dev.salesagent.router.model.ToolSpec;
import dev.salesagent.router.wire.WireJson;
import java.util.List;

/**
 * The conversation and tools in Ollama's {@code /api/chat} words. Ollama has no call ids and no tool choice on the
 * wire, so this class stands in for both:
 *
 * <ul>
 *   <li>user images → the message's {@code images} (bare base64; Ollama cannot fetch a URL, so a URL image is refused
 *       with {@code invalid_request});</li>
 *   <li>assistant tool calls → {@code tool_calls[].function} with <b>object</b> arguments, no ids;</li>
 *   <li>tool results → one {@code role:"tool"} message each, with {@code tool_name} looked up by call id in the
 *       assistant turn before it ({@code is_error} has no field: the content says it);</li>
 *   <li>ids of answered calls are synthesised ({@link #callId}): unique, so they survive a later fallback to a
 *       provider that wants unique ids (Anthropic);</li>
 *   <li>tool choice: {@code none} sends no tools (unless the history holds tool turns, which Ollama needs the tools
 *       for) and drops any call the model makes anyway; a named tool is the only tool sent; {@code required} cannot
 *       be enforced (Ollama may answer text); {@code parallel_tool_calls: false} keeps the first call only.</li>
 * </ul>
 */
final class OllamaMessages {
  private OllamaMessages() {}

  static void messages(ArrayNode out, List<Message> ms) {
    for (int i = 0; i < ms.size(); i++) {
      Message m = ms.get(i);
      if (m.isPlainText()) {
        out.addObject().put("role", m.role().wire()).put("content", m.content());
        continue;
      }
      switch (m.role()) {
        case SYSTEM -> out.addObject().put("role", "system").put("content", m.content());
        case USER -> {
          ObjectNode o = out.addObject().put("role", "user").put("content", m.content());
          ArrayNode images = null;
          for (ContentPart p : m.parts()) {
            if (!(p instanceof ContentPart.Image im)) continue;
            if (!im.inline()) {
              throw LlmException.builder(ErrorKind.INVALID_REQUEST,
                  "Ollama takes inline (base64) images only, not an image URL: send the image bytes").build();
            }
            if (images == null) images = o.putArray("images");
            images.add(im.data());
          }
        }
        case ASSISTANT -> {
          ObjectNode o = out.addObject().put("role", "assistant").put("content", m.content());
          List<ToolCall> calls = m.toolCalls();
          if (!calls.isEmpty()) {
            ArrayNode tc = o.putArray("tool_calls");
            for (ToolCall c : calls) {
              ObjectNode fn = tc.addObject().putObject("function");
              fn.put("name", c.name());
              fn.set("arguments", arguments(c));
            }
          }
        }
        case TOOL -> {
          List<ToolCall> before = i > 0 && ms.get(i - 1).role() == Role.ASSISTANT ? ms.get(i - 1).toolCalls() : precedingCalls(ms, i);
          for (ContentPart p : m.parts()) {
            ContentPart.ToolResult r = (ContentPart.ToolResult) p;
            ObjectNode o = out.addObject().put("role", "tool").put("content", r.content());
            String name = nameOf(before, r.callId());
            if (name != null) o.put("tool_name", name);
          }
        }
      }
    }
  }

  /** The calls of the nearest assistant turn before {@code i} (tool messages may follow one another). */
  private static List<ToolCall> precedingCalls(List<Message> ms, int i) {
    for (int k = i - 1; k >= 0; k--) if (ms.get(k).role() == Role.ASSISTANT) return ms.get(k).toolCalls();
    return List.of();
  }

  private static String nameOf(List<ToolCall> calls, String id) {
    for (ToolCall c : calls) if (id.equals(c.id())) return c.name();
    return null;
  }

  private static JsonNode arguments(ToolCall c) {
    String a = c.argumentsJson();
    if (a == null || a.isBlank()) return WireJson.object();
    JsonNode n = WireJson.parse(a);
    if (n == null || !n.isObject()) {
      throw LlmException.builder(ErrorKind.INVALID_REQUEST, "tool call " + c.id() + " (" + c.name()
          + ") has arguments that are not a JSON object; Ollama needs an object").build();
    }
    return n;
  }

  /** The tools to send, the tool choice applied ({@code null}: send none). */
  static List<ToolSpec> toolsToSend(ChatRequest r) {
    if (r.tools().isEmpty()) return null;
    ToolChoice c = r.toolChoice();
    if (c instanceof ToolChoice.Named n) {
      for (ToolSpec t : r.tools()) if (t.name().equals(n.name())) return List.of(t);
    }
    if (c instanceof ToolChoice.None && !toolHistory(r.messages())) return null;
    return r.tools();
  }

  private static boolean toolHistory(List<Message> ms) {
    for (Message m : ms) if (m.role() == Role.TOOL || !m.toolCalls().isEmpty()) return true;
    return false;
  }

  /** How many calls of an answer to keep: none for {@code none}, one when parallel calls are off. */
  static int maxCalls(ChatRequest r) {
    if (r.toolChoice() instanceof ToolChoice.None) return 0;
    return Boolean.FALSE.equals(r.parallelToolCalls()) ? 1 : Integer.MAX_VALUE;
  }

  /**
   * A synthesised id for call {@code index} of an answer (Ollama sends none): {@code call_} + a 64-bit hash, in base
   * 36, of the answer line's {@code created_at} (nanosecond precision), the call's name, arguments and index. The same
   * bytes give the same id (transcripts replay), different answers different ids (so they stay unique in a history
   * a later provider sees: Anthropic refuses duplicate ids); the characters are ones every provider accepts.
   */
  static String callId(String stamp, String name, String args, int index) {
    long h = 0xcbf29ce484222325L;
    h = fnv(h, stamp); // real Ollama stamps every line; without a stamp the id still depends on the call alone
    h = fnv(h, name);
    h = fnv(h, args);
    h = (h ^ index) * 0x100000001b3L;
    return "call_" + Long.toString(h >>> 1, 36) + "_" + index;
  }

  private static long fnv(long h, String s) {
    if (s == null) return h * 0x100000001b3L;
    for (int i = 0; i < s.length(); i++) h = (h ^ s.charAt(i)) * 0x100000001b3L;
    return (h ^ 0xff) * 0x100000001b3L;
  }
}
