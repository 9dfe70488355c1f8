package dev.salesagent.router.wire;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Float vectors as embeddings travel: shortened to a requested dimension, or packed as OpenAI's base64. */
public final class Vectors {
  private Vectors() {}

  /**
   * Each vector cut to its first {@code dimensions} components and scaled back to unit length (what OpenAI's
   * {@code dimensions} and Ollama's do); vectors not longer than that are returned as they are.
   */
  public static List<float[]> shortened(List<float[]> vectors, int dimensions) {
    List<float[]> out = new ArrayList<>(vectors.size());
    for (float[] v : vectors) {
      if (v.length <= dimensions) {
        out.add(v);
        continue;
      }
      double sum = 0;
      for (int i = 0; i < dimensions; i++) sum += (double) v[i] * v[i];
      double norm = Math.sqrt(sum);
      float[] s = new float[dimensions];
      for (int i = 0; i < dimensions; i++) s[i] = norm == 0 ? 0f : (float) (v[i] / norm);
      out.add(s);
    }
    return out;
  }

  /** OpenAI's {@code encoding_format: base64}: the float32 values, little-endian, base64-encoded. */
  public static String base64(float[] v) {
    byte[] b = new byte[v.length * 4];
    for (int i = 0, j = 0; i < v.length; i++, j += 4) {
      int bits = Float.floatToRawIntBits(v[i]);
      b[j] = (byte) bits;
      b[j + 1] = (byte) (bits >>> 8);
      b[j + 2] = (byte) (bits >>> 16);
      b[j + 3] = (byte) (bits >>> 24);
    }
    return Base64.getEncoder().encodeToString(b);
  }

  /** The inverse of {@link #base64}; {@code null} when the text is not whole float32 values in base64. */
  public static float[] fromBase64(String s) {
    byte[] b;
    try {
      b = Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (b.length % 4 != 0) return null;
    float[] v = new float[b.length / 4];
    for (int i = 0, j = 0; i < v.length; i++, j += 4) {
      int bits = (b[j] & 0xff) | (b[j + 1] & 0xff) << 8 | (b[j + 2] & 0xff) << 16 | (b[j + 3] & 0xff) << 24;
      v[i] = Float.intBitsToFloat(bits);
    }
    return v;
  }
}
