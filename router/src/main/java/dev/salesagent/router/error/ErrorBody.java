package dev.salesagent.router.error;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A provider's error, normalised to the four fields every provider's error object uses (under these names). Every
 * field may be {@code null}.
 */
public record ErrorBody(String type, String code, String param, String message) {
  public static final ErrorBody EMPTY = new ErrorBody(null, null, null, null);

  /** The four fields of an error object; a field that is missing, null, an object or an array reads as {@code null}. */
  public static ErrorBody fields(JsonNode error) {
    return new ErrorBody(scalar(error.get("type")), scalar(error.get("code")), scalar(error.get("param")),
        scalar(error.get("message")));
  }

  public ErrorBody withCode(String c) {
    return new ErrorBody(type, c, param, message);
  }

  /** A value's text, {@code null} for a missing, null or container value. */
  public static String scalar(JsonNode v) {
    if (v == null || v.isNull() || v.isContainerNode()) return null;
    return v.asText();
  }
}
