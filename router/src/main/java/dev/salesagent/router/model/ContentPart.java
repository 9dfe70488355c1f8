package dev.salesagent.router.model;

import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * One piece of a message's content. Which parts a role may hold: system — {@link Text}; user — {@link Text},
 * {@link Image}; assistant — {@link Reasoning}, {@link Text}, {@link ToolCall}; tool — {@link ToolResult} only.
 * A plain-text message needs no parts at all ({@link Message#user(String)} and friends): parts exist for what
 * plain text cannot say.
 */
public sealed interface ContentPart permits ContentPart.Text, ContentPart.Image, ToolCall, ContentPart.ToolResult,
    ContentPart.Reasoning {

  /** A piece of text; {@code cacheControl} marks a prompt-cache breakpoint after it ({@code null}: none). */
  record Text(String text, CacheControl cacheControl) implements ContentPart {
    public Text {
      Objects.requireNonNull(text, "text");
    }

    public Text(String text) {
      this(text, null);
    }
  }

  /**
   * An image input: either inline data ({@code mediaType} + standard base64 {@code data}, without a {@code data:}
   * prefix) or a {@code url} the provider fetches itself. Kept as base64 because every wire protocol carries it so:
   * no decode and re-encode on the way through.
   */
  record Image(String mediaType, String data, String url, CacheControl cacheControl) implements ContentPart {
    public Image {
      if ((data == null) == (url == null)) throw new IllegalArgumentException("an image has either data or a url");
      if (data != null && (mediaType == null || mediaType.isBlank())) {
        throw new IllegalArgumentException("an inline image needs a media type");
      }
    }

    /** Inline base64 data; throws {@link IllegalArgumentException} when it is not valid base64. */
    public static Image base64(String mediaType, String data) {
      Base64.getDecoder().decode(data); // invalid base64 fails here, at the edge, not at the provider
      return new Image(mediaType, data, null, null);
    }

    public static Image bytes(String mediaType, byte[] bytes) {
      return new Image(mediaType, Base64.getEncoder().encodeToString(bytes), null, null);
    }

    /** A {@code data:<type>;base64,<data>} URL as inline data (RFC 2397), any other URL as a URL. */
    public static Image fromUrl(String url) {
      Objects.requireNonNull(url, "url");
      if (url.startsWith("data:")) {
        int comma = url.indexOf(',');
        int semi = url.indexOf(";base64");
        if (comma < 0 || semi < 0 || semi > comma) throw new IllegalArgumentException("a data URL must be base64");
        return base64(url.substring(5, semi), url.substring(comma + 1));
      }
      return new Image(null, null, url, null);
    }

    public boolean inline() {
      return data != null;
    }

    /** The image as a {@code data:} URL (inline images) or its URL. */
    public String asUrl() {
      return data != null ? "data:" + mediaType + ";base64," + data : url;
    }

    /** Decoded size of inline data without decoding it; 0 for a URL. */
    public int byteCount() {
      if (data == null) return 0;
      int n = data.length();
      int pad = n > 0 && data.charAt(n - 1) == '=' ? (n > 1 && data.charAt(n - 2) == '=' ? 2 : 1) : 0;
      return n / 4 * 3 - pad;
    }

    public Image withCacheControl(CacheControl c) {
      return new Image(mediaType, data, url, c);
    }
  }

  /**
   * The answer to one tool call.
   *
   * @param callId  the id of the {@link ToolCall} it answers
   * @param content the result as text (several text blocks joined by {@code \n})
   * @param isError the tool failed; {@code content} says how
   */
  record ToolResult(String callId, String content, boolean isError, CacheControl cacheControl) implements ContentPart {
    public ToolResult {
      Objects.requireNonNull(callId, "callId");
      content = content == null ? "" : content;
    }

    public ToolResult(String callId, String content) {
      this(callId, content, false, null);
    }
  }

  /**
   * Reasoning a provider returned (Anthropic {@code thinking}, DeepSeek {@code reasoning_content}). Sent back only
   * where the provider wants it back (Anthropic, with its {@code signature}, in tool loops); dropped elsewhere.
   */
  record Reasoning(String text, String signature) implements ContentPart {
    public Reasoning {
      text = text == null ? "" : text;
    }
  }

  /** The text parts' text joined (tool results: their content, joined by {@code \n}); images and calls say nothing. */
  static String textOf(List<ContentPart> parts) {
    if (parts.size() == 1) {
      ContentPart p = parts.get(0);
      if (p instanceof Text t) return t.text();
      if (p instanceof ToolResult r) return r.content();
    }
    StringBuilder sb = new StringBuilder();
    boolean results = false;
    for (ContentPart p : parts) {
      if (p instanceof Text t) {
        sb.append(t.text());
      } else if (p instanceof ToolResult r) {
        if (results) sb.append('\n');
        sb.append(r.content());
        results = true;
      }
    }
    return sb.toString();
  }
}
