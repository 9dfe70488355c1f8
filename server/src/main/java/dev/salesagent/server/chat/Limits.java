package dev.salesagent.server.chat;

import dev.salesagent.router.model.Message;
import dev.salesagent.server.GatewayOptions;
import dev.salesagent.server.http.ApiError;
import dev.salesagent.server.http.ApiException;
import java.util.List;

/** Size limits on what a request may carry, checked after parsing (the body limit came first). */
public final class Limits {
  private Limits() {}

  public static void check(List<Message> messages, GatewayOptions o) {
    if (messages.size() > o.maxMessages()) {
      throw new ApiException(new ApiError(400, "too_many_messages", "messages has " + messages.size()
          + " entries; at most " + o.maxMessages() + " are accepted: drop or summarise older turns", "messages", null, null));
    }
    long total = 0;
    for (int i = 0; i < messages.size(); i++) {
      int n = messages.get(i).content().length();
      if (n > o.maxMessageChars()) {
        throw new ApiException(new ApiError(400, "message_too_long", "messages[" + i + "] has " + n
            + " characters; at most " + o.maxMessageChars() + " per message are accepted", "messages[" + i + "].content",
            null, null));
      }
      total += n;
    }
    if (total > o.maxTotalChars()) {
      throw new ApiException(new ApiError(400, "messages_too_long", "the messages total " + total
          + " characters; at most " + o.maxTotalChars() + " are accepted", "messages", null, null));
    }
  }

  public static Integer maxTokens(com.fasterxml.jackson.databind.JsonNode n, String field, GatewayOptions o) {
    if (n == null || n.isNull()) return null;
    if (!n.canConvertToInt() || !n.isIntegralNumber()) throw ApiException.invalid(field, field + " must be an integer");
    int v = n.intValue();
    if (v < 1) throw ApiException.invalid(field, field + " must be at least 1, got " + v);
    if (v > o.maxOutputTokens()) {
      throw ApiException.invalid(field, field + " must be at most " + o.maxOutputTokens() + ", got " + v);
    }
    return v;
  }
}
