package dev.salesagent.router.provider;

/** An API key. Its {@code toString} never shows the value, so it cannot leak through a log line by accident. */
public record Secret(String value) {
  public Secret {
    if (value == null || value.isBlank()) throw new IllegalArgumentException("a secret must not be empty");
  }

  @Override
  public String toString() {
    return "Secret[***]";
  }
}
