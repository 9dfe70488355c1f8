package dev.salesagent.compat;

/** A source file that cannot be imported at all (not YAML/JSON, not the expected shape, nothing importable). */
public final class ImportException extends IllegalArgumentException {
  public ImportException(String message) {
    super(message);
  }

  public ImportException(String message, Throwable cause) {
    super(message, cause);
  }
}
