package dev.salesagent.emulator;

import java.util.SplittableRandom;

/**
 * The generator's randomness: a fresh stream per place in the instance ({@code $.contact.email}, {@code $.tags[2]}),
 * derived from the seed and that path only — so a value does not change when a sibling is added or generated in
 * another order, and the same seed always gives the same bytes.
 */
record PathRandom(long seed) {

  SplittableRandom at(String path) {
    return new SplittableRandom(TextGenerator.mix(TextGenerator.hash(seed, path)));
  }

  /** Six hex digits for a made-up URL path. */
  String slug(String path) {
    return Long.toHexString(TextGenerator.mix(TextGenerator.hash(seed, path)) & 0xffffffL);
  }

  /** A version-4 UUID. */
  String uuid(String path) {
    SplittableRandom r = at(path);
    long a = r.nextLong(), b = r.nextLong();
    a = (a & ~0xF000L) | 0x4000L;
    b = (b & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new java.util.UUID(a, b).toString();
  }
}
