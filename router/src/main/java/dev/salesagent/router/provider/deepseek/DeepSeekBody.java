package dev.salesagent.router.provider.deepseek;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.salesagent.router.model.ContentPart;
import dev.salesagent.router.model.Message;
import dev.salesagent.router.model.Role;
import dev.salesagent.router.provider.openai.BodyExtras;
import java.io.IOException;

/**
 * DeepSeek's additions to an OpenAI Chat Completions body: {@code thinking: {type: "disabled"}} (V4 thinks by
 * default) or {@code {type: "enabled"}} when the caller asked for reasoning, {@code "prefix": true} on a trailing
 * assistant message (Chat Prefix Completion, beta root only), and, in thinking mode, the {@code reasoning_content} of
 * assistant turns that called tools (DeepSeek answers 400 when a tool-calling turn's reasoning is not sent back:
 * api-docs.deepseek.com/guides/thinking_mode, "Tool calls").
 */
public final class DeepSeekBody implements BodyExtras {
  private static final DeepSeekBody[] ALL = {
      new DeepSeekBody(null, false), new DeepSeekBody(null, true), new DeepSeekBody("disabled", false),
      new DeepSeekBody("disabled", true), new DeepSeekBody("enabled", false), new DeepSeekBody("enabled", true)};

  /** The {@code thinking.type} sent; {@code null}: none (the server's default). */
  private final String thinking;
  private final boolean prefix;

  private DeepSeekBody(String thinking, boolean prefix) {
    this.thinking = thinking;
    this.prefix = prefix;
  }

  /**
   * @param thinkingOff send {@code thinking: {type: "disabled"}}
   * @param prefix      mark a trailing assistant message {@code "prefix": true} (only the beta root accepts it)
   */
  public static BodyExtras of(boolean thinkingOff, boolean prefix) {
    return ALL[(thinkingOff ? 2 : 0) + (prefix ? 1 : 0)];
  }

  /** The extras of a request whose caller asked for reasoning: {@code thinking: {type: "enabled"}}. */
  public static BodyExtras thinking(boolean prefix) {
    return ALL[4 + (prefix ? 1 : 0)];
  }

  @Override
  public void lastMessage(JsonGenerator g, Message last) throws IOException {
    if (prefix && last.role() == Role.ASSISTANT && last.toolCalls().isEmpty()) g.writeBooleanField("prefix", true);
  }

  @Override
  public void assistantParts(JsonGenerator g, Message assistant) throws IOException {
    if ("disabled".equals(thinking) || assistant.toolCalls().isEmpty()) return;
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
    if (thinking == null) return;
    g.writeObjectFieldStart("thinking");
    g.writeStringField("type", thinking);
    g.writeEndObject();
  }
}
