package dev.salesagent.router.embedding;

import java.util.List;
import java.util.Objects;

/**
 * What to embed: one or more texts, answered in the same order.
 *
 * @param inputs     the texts, at least one, none empty
 * @param dimensions the vector length the caller wants, where the upstream supports choosing it; {@code null} = the
 *                   model's own
 */
public record EmbeddingRequest(List<String> inputs, Integer dimensions) {

  public EmbeddingRequest {
    inputs = List.copyOf(Objects.requireNonNull(inputs, "inputs"));
    if (inputs.isEmpty()) throw new IllegalArgumentException("inputs must not be empty");
    if (dimensions != null && dimensions <= 0) throw new IllegalArgumentException("dimensions must be positive");
  }

  /** Characters over every input (the cheap estimate planning starts from). */
  public int totalChars() {
    int n = 0;
    for (String s : inputs) n += s.length();
    return n;
  }
}
