package dev.salesagent.router.config;

/** A configuration that cannot be used; the message names the key, the file and line, and what to write instead. */
public final class ConfigException extends IllegalArgumentException {
  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
