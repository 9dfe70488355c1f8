package dev.salesagent.agent.reply;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One inbound email as triage needs it.
 *
 * @param headers     every header, names lower-cased, values joined with ", " when repeated
 * @param text        the new text of the reply (plain text; quoted history below an attribution line removed)
 * @param references  Message-IDs from {@code In-Reply-To} and {@code References}, in order
 * @param dsn         the delivery-status report when this is a DSN ({@code multipart/report;
 *                    report-type=delivery-status}), else {@code null}
 */
public record InboundReply(String messageId, String from, String subject, Map<String, String> headers, String text,
    List<String> references, Dsn dsn) {

  /** RFC 3464 per-recipient fields of a delivery-status report. */
  public record Dsn(String finalRecipient, String action, String status, String diagnostic) {
    /** Action {@code failed}: the message will not be delivered. A {@code delayed} report is not a bounce. */
    public boolean failed() {
      return action != null && action.strip().toLowerCase(Locale.ROOT).startsWith("failed");
    }
  }

  public InboundReply {
    headers = Map.copyOf(headers);
    references = List.copyOf(references);
    text = Objects.requireNonNullElse(text, "");
    subject = Objects.requireNonNullElse(subject, "");
  }

  public String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }
}
