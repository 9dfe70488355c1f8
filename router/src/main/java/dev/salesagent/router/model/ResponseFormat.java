package dev.salesagent.router.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/** What shape the answer must have. Each adapter asks its provider for it the way that provider supports best. */
public sealed interface ResponseFormat {
  /** Free text (the default). */
  record Text() implements ResponseFormat {}

  /** Any JSON object. */
  record JsonObject() implements ResponseFormat {}

  /** A JSON document valid for {@code schema}; {@code name} is the schema's name as OpenAI's json_schema wants it. */
  record JsonSchema(String name, ObjectNode schema, boolean strict) implements ResponseFormat {
    public JsonSchema {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(schema, "schema");
    }
  }

  ResponseFormat TEXT = new Text();
  ResponseFormat JSON_OBJECT = new JsonObject();
}
