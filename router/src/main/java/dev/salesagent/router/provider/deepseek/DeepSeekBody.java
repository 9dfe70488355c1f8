package dev.salesagent.router.provider.deepseek;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.salesagent.router.model.ContentPart;
import dev.salesagent.router.model.Message;
import dev.salesagent.router.model.Role;
import dev.salesagent.router.provider.openai.BodyExtras;
import java.io.IOException;

/**
 * DeepSeek's additions to an OpenAI Chat Completions body: {@code thinking: {type: "disabled"}} (V4 thinks by
 * default), {@code "prefix": true} on a trailing assistant message (Chat Prefix Completion, beta root only), and, in
 * thinking mode, the {@code reasoning_content} of assistant turns that called tools (DeepSeek answers 400 when a
 * tool-calling turn's reasoning is not sent back: api-docs.deepseek.com/guides/thinking_mode, "Tool calls").
 */
public final class DeepSeekBody implements BodyExtras {
  private static final DeepSeekBody[] ALL = {
      new DeepSeekBody(false, false), new DeepSeekBody(false, true), new DeepSeekBody(true, false), new DeepSeekBody(true, true)};

  private final boolean thinkingOff;
  private final boolean prefix;

  private DeepSeekBody(boolean thinkingOff, boolean prefix) {
    this.thinkingOff = thinkingOff;
    this.prefix = prefix;
  }

  /**
   * @param thinkingOff send {@code thinking: {type: "disabled"}}
   * @param prefix      mark a trailing assistant message {@code "prefix": true} (only the beta root accepts it)
   */
  public static BodyExtras of(boolean thinkingOff, boolean prefix) {
    return ALL[(thinkingOff ? 2 : 0) + (prefix ? 1 : 0)];
  }

  @Override
  public void lastMessage(JsonGenerator g, Message last) throws IOException {
    if (prefix && last.role() == Role.ASSISTANT && last.toolCalls().isEmpty()) g.writeBooleanField("prefix", true);
  }

  @Override
  public void assistantParts(JsonGenerator g, Message assistant) throws IOException {
    if (thinkingOff || assistant.toolCalls().isEmpty()) return;
    StringBuilder sb = null;
    for (ContentPart p : assistant.parts()) {
      if (p instanceof ContentPart.Reasoning r && !r.text().isEmpty()) {
        if (sb == null) sb = new StringBuilder(); else sb.append('\n');
        sb.append(r.text());
      }
    }
    if (sb != null) g.writeStringField("reasoning_content", sb.toString());
  }

  @Override
  public void topLevel(JsonGenerator g) throws IOException {
    if (!thinkingOff) return;
    g.writeObjectFieldStart("thinking");
    g.writeStringField("type", "disabled");
    g.writeEndObject();
  }
}
