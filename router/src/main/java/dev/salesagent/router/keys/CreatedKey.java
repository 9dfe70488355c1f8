package dev.salesagent.router.keys;

/** A key just created: {@code plaintext} exists only here, to be shown once. */
public record CreatedKey(ApiKey key, String plaintext) {
  @Override
  public String toString() {
    return "CreatedKey[" + key.id() + "]"; // never the plaintext
  }
}
