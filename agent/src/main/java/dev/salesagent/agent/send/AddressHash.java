package dev.salesagent.agent.send;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How an address is kept on the suppression list: {@code HMAC-SHA-256(salt, lower-cased trimmed address)}, hex. The
 * salt is 32 random bytes created once per database (table {@code install_secrets}, name {@code suppression_salt}), so
 * every process on that database (send, replies, forget) computes the same hash, while a copy of the suppression list
 * alone cannot be matched against a list of known addresses without the salt (a plain SHA-256 of an address can be).
 * Whoever holds the whole database can test a candidate address — that is the point: we must test candidates ourselves.
 */
public final class AddressHash {
  private final SecretKeySpec key;

  public AddressHash(byte[] salt) {
    if (salt == null || salt.length < 16) throw new IllegalArgumentException("the suppression salt needs at least 16 bytes");
    this.key = new SecretKeySpec(salt.clone(), "HmacSHA256");
  }

  /** The normalised form that is hashed: trimmed, lower-cased (the form leads are stored in). */
  public static String normalise(String email) {
    return email.strip().toLowerCase(Locale.ROOT);
  }

  public String of(String email) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return HexFormat.of().formatHex(mac.doFinal(normalise(email).getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
  }
}
