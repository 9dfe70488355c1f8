package dev.salesagent.server.chat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.salesagent.router.model.CacheControl;
import dev.salesagent.router.model.ContentPart;
import dev.salesagent.router.model.Message;
import dev.salesagent.router.model.Role;
import dev.salesagent.server.http.ApiException;
import java.util.List;

/** What the dialects' parsers share about content: cache breakpoints, images, and the plain-text fast path. */
public final class Parts {
  private Parts() {}

  /** A {@code cache_control} object ({@code {"type":"ephemeral"[,"ttl":"5m"|"1h"]}}), or {@code null} when absent. */
  public static CacheControl cacheControl(JsonNode n, String at) {
    if (n == null || n.isNull()) return null;
    if (!n.isObject() || !"ephemeral".equals(n.path("type").asText(""))) {
      throw ApiException.invalid(at, at + ": must be {\"type\": \"ephemeral\"} (optionally with \"ttl\": \"5m\" or \"1h\")");
    }
    JsonNode ttl = n.get("ttl");
    if (ttl == null || ttl.isNull()) return CacheControl.EPHEMERAL;
    if (!ttl.isTextual() || !("5m".equals(ttl.textValue()) || "1h".equals(ttl.textValue()))) {
      throw ApiException.invalid(at + ".ttl", at + ".ttl: must be \"5m\" or \"1h\"");
    }
    return new CacheControl("ephemeral", ttl.textValue());
  }

  /** An image from a URL: a {@code data:<type>;base64,…} URL is inline data (checked here), any other is passed on. */
  public static ContentPart.Image imageUrl(String url, String at) {
    try {
      return ContentPart.Image.fromUrl(url);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid(at, at + ": not a usable image URL (" + e.getMessage()
          + "): send https://… or data:<media type>;base64,<data>");
    }
  }

  /** Inline base64 image data, checked here so a bad image is the client's 400, not a provider's. */
  public static ContentPart.Image imageData(String mediaType, String data, String at) {
    if (mediaType == null || mediaType.isBlank()) throw ApiException.invalid(at, at + ": an inline image needs its media type");
    try {
      return ContentPart.Image.base64(mediaType, data);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid(at, at + ": the image data is not valid base64");
    }
  }

  /** A message of {@code parts}: plain text (no part objects) when it is one unmarked text part. */
  public static Message message(Role role, List<ContentPart> parts) {
    if (parts.size() == 1 && parts.get(0) instanceof ContentPart.Text t && t.cacheControl() == null) {
      return new Message(role, t.text());
    }
    if (parts.isEmpty()) return new Message(role, "");
    return Message.of(role, parts);
  }
}
