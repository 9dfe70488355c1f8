package dev.salesagent.emulator;

import java.util.Base64;

/** Image inputs acknowledged in the answer text as {@code [image <media type> <decoded byte count> bytes]}. */
final class ImageInputs {
  private ImageInputs() {}

  /** The acknowledgement of base64 image data; throws IllegalArgumentException for invalid base64. */
  static String base64(String mediaType, String data) {
    byte[] bytes = decode(data);
    String mt = mediaType == null || mediaType.isEmpty() ? sniff(bytes) : mediaType;
    return "[image " + mt + " " + bytes.length + " bytes]";
  }

  /** A {@code data:<media type>;base64,<data>} URL, or any other URL (acknowledged as {@code [image url <url>]}: not fetched). */
  static String url(String url) {
    if (url.startsWith("data:")) {
      int comma = url.indexOf(',');
      int semi = url.indexOf(";base64");
      if (comma < 0 || semi < 0 || semi > comma) throw new IllegalArgumentException("invalid image data URL");
      return base64(url.substring(5, semi), url.substring(comma + 1));
    }
    return "[image url " + url + "]";
  }

  private static byte[] decode(String data) {
    try {
      return Base64.getMimeDecoder().decode(data.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid base64 image data");
    }
  }

  /** The media type of image bytes by their magic number (Ollama sends bare base64 without one). */
  static String sniff(byte[] b) {
    if (b.length >= 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') return "image/png";
    if (b.length >= 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff) return "image/jpeg";
    if (b.length >= 6 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F' && b[3] == '8') return "image/gif";
    if (b.length >= 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F' && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P') {
      return "image/webp";
    }
    return "application/octet-stream";
  }
}
