package dev.salesagent.router.keys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * How keys are made and checked. A key is {@code sk-sa-} plus 32 random bytes (256 bits, base64url), so a plain
 * SHA-256 is enough to store it: there is nothing to brute-force. Comparison is constant-time
 * ({@link MessageDigest#isEqual}).
 */
public final class KeyHashing {
  public static final String KEY_PREFIX = "sk-sa-";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  });

  private KeyHashing() {}

  public static String newKey() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  public static String newId() {
    byte[] b = new byte[6];
    RANDOM.nextBytes(b);
    return "key_" + HexFormat.of().formatHex(b);
  }

  public static byte[] sha256(String key) {
    MessageDigest md = SHA256.get();
    md.reset();
    return md.digest(key.getBytes(StandardCharsets.UTF_8));
  }

  public static String sha256Hex(String key) {
    return HexFormat.of().formatHex(sha256(key));
  }

  /** Constant-time: does {@code presented} hash to {@code storedHex}. */
  public static boolean matches(String presented, String storedHex) {
    return MessageDigest.isEqual(sha256(presented), HexFormat.of().parseHex(storedHex));
  }

  /** What admins see of a key: its first 10 characters. */
  public static String displayPrefix(String key) {
    return key.substring(0, Math.min(10, key.length()));
  }
}
