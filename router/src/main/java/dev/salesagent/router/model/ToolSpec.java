package dev.salesagent.router.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/** A function the model may call; {@code parameters} is a JSON schema. */
public record ToolSpec(String name, String description, ObjectNode parameters) {
  public ToolSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(parameters, "parameters");
  }
}
