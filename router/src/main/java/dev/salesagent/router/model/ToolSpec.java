package dev.salesagent.router.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * A function the model may call; {@code parameters} is a JSON schema, passed on as given ({@code $schema},
 * {@code additionalProperties} and friends included). {@code cacheControl} marks a prompt-cache breakpoint after this
 * tool (Anthropic), {@code null} for none.
 */
public record ToolSpec(String name, String description, ObjectNode parameters, CacheControl cacheControl) {
  public ToolSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(parameters, "parameters");
  }

  public ToolSpec(String name, String description, ObjectNode parameters) {
    this(name, description, parameters, null);
  }
}
