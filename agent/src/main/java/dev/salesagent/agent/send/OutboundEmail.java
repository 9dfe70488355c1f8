package dev.salesagent.agent.send;

import java.util.Map;
import java.util.Objects;

/**
 * One email as it goes to the SMTP server.
 *
 * @param headers extra headers in order: {@code Message-ID}, {@code List-Unsubscribe}, {@code List-Unsubscribe-Post}
 */
public record OutboundEmail(String from, String to, String subject, String text, Map<String, String> headers) {
  public OutboundEmail {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(text, "text");
    headers = Map.copyOf(headers);
  }

  public String messageId() { return headers.get("Message-ID"); }
}
