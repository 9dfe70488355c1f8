package dev.salesagent.agent.send;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The Message-ID of an approved draft, which is also its idempotency key: {@code <sa.HEX24@domain>} with HEX24 the
 * first 24 hex digits of SHA-256 over run id, lead id, subject and text. The same draft always gets the same id, so a
 * second {@code send} finds its record instead of sending again. The hex part doubles as the List-Unsubscribe token.
 */
public final class MessageIds {
  private MessageIds() {}

  public static String of(ApprovedDraft d, String fromAddress) {
    return "<sa." + token(d) + "@" + domainOf(fromAddress) + ">";
  }

  public static String token(ApprovedDraft d) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String part : new String[] {d.runId(), d.leadId(), d.draft().subject(), d.draft().fullText()}) {
        sha.update(part.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
      }
      return HexFormat.of().formatHex(sha.digest()).substring(0, 24);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The token of a Message-ID made here, or {@code null}. */
  public static String tokenOf(String messageId) {
    if (messageId == null) return null;
    var m = java.util.regex.Pattern.compile("<?sa\\.([0-9a-f]{24})@").matcher(messageId.strip());
    return m.lookingAt() ? m.group(1) : null;
  }

  public static String domainOf(String address) {
    int at = address.lastIndexOf('@');
    if (at < 0 || at == address.length() - 1) throw new IllegalArgumentException("'" + address + "' is not an email address");
    return address.substring(at + 1).toLowerCase(Locale.ROOT);
  }
}
