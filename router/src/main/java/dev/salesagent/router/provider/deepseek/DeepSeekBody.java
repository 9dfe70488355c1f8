package dev.salesagent.router.provider.deepseek;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.salesagent.router.model.Message;
import dev.salesagent.router.model.Role;
import dev.salesagent.router.provider.openai.BodyExtras;
import java.io.IOException;

/**
 * DeepSeek's additions to an OpenAI Chat Completions body: {@code thinking: {type: "disabled"}} (V4 thinks by
 * default) and {@code "prefix": true} on a trailing assistant message (Chat Prefix Completion, beta root only).
 */
public final class DeepSeekBody {
  private DeepSeekBody() {}

  private static final BodyExtras THINKING_OFF = new BodyExtras() {
    @Override public void topLevel(JsonGenerator g) throws IOException { thinkingOff(g); }
  };

  private static final BodyExtras PREFIX = new BodyExtras() {
    @Override public void lastMessage(JsonGenerator g, Message last) throws IOException { prefix(g, last); }
  };

  private static final BodyExtras PREFIX_THINKING_OFF = new BodyExtras() {
    @Override public void lastMessage(JsonGenerator g, Message last) throws IOException { prefix(g, last); }
    @Override public void topLevel(JsonGenerator g) throws IOException { thinkingOff(g); }
  };

  /**
   * @param thinkingOff send {@code thinking: {type: "disabled"}}
   * @param prefix      mark a trailing assistant message {@code "prefix": true} (only the beta root accepts it)
   */
  public static BodyExtras of(boolean thinkingOff, boolean prefix) {
    if (thinkingOff) return prefix ? PREFIX_THINKING_OFF : THINKING_OFF;
    return prefix ? PREFIX : BodyExtras.NONE;
  }

  private static void thinkingOff(JsonGenerator g) throws IOException {
    g.writeObjectFieldStart("thinking");
    g.writeStringField("type", "disabled");
    g.writeEndObject();
  }

  private static void prefix(JsonGenerator g, Message last) throws IOException {
    if (last.role() == Role.ASSISTANT) g.writeBooleanField("prefix", true);
  }
}
