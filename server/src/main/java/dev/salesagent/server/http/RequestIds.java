package dev.salesagent.server.http;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Request ids: a caller's {@code x-request-id} when it is sane, else {@code req_} + 44 bits of the millisecond clock +
 * 52 random bits, in hex. Time-ordered ids keep the ledger's request-id index append-mostly (a random key makes every
 * insert touch a random B-tree page, which dominated the embedded database's cost under load).
 */
public final class RequestIds {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private RequestIds() {}

  /** The caller's id when it is 1–128 characters of {@code [A-Za-z0-9._:-]}, else a new one. No regex. */
  public static String honourOrNew(String given) {
    if (given != null && !given.isEmpty() && given.length() <= 128) {
      boolean ok = true;
      for (int i = 0; i < given.length() && ok; i++) {
        char c = given.charAt(i);
        ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
            || c == ':' || c == '-';
      }
      if (ok) return given;
    }
    return newId("req_");
  }

  public static String newId(String prefix) {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    char[] out = new char[prefix.length() + 24];
    prefix.getChars(0, prefix.length(), out, 0);
    long a = (System.currentTimeMillis() << 20) | (r.nextLong() & 0xFFFFF);
    long b = r.nextLong();
    int p = prefix.length();
    for (int i = 0; i < 16; i++) out[p++] = HEX[(int) (a >>> (60 - 4 * i)) & 0xf];
    for (int i = 0; i < 8; i++) out[p++] = HEX[(int) (b >>> (60 - 4 * i)) & 0xf];
    return new String(out);
  }
}
