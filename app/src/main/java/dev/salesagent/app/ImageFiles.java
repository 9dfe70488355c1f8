package dev.salesagent.app;

import dev.salesagent.router.model.ContentPart;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * {@code chat --image FILE}: an image file as an inline image part. The media type comes from the file's bytes (the
 * signatures of PNG, JPEG, GIF and WebP — the formats every vision provider takes), not its name, so a mislabelled
 * file is refused here rather than by a provider.
 */
final class ImageFiles {
  /** Anthropic's per-image limit, the smallest of the providers': a larger file would be refused upstream anyway. */
  static final long MAX_BYTES = 5L * 1024 * 1024;

  private ImageFiles() {}

  /** @throws IllegalArgumentException naming the file and what is wrong with it */
  static ContentPart.Image read(Path file) {
    byte[] bytes;
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw new IllegalArgumentException("--image " + file + ": " + Files.size(file) + " bytes; at most "
            + MAX_BYTES + " (5 MB) per image are accepted");
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("--image " + file + ": no such file");
    } catch (IOException e) {
      throw new IllegalArgumentException("--image " + file + ": cannot read it (" + e.getMessage() + ")");
    }
    String type = mediaType(bytes);
    if (type == null) throw new IllegalArgumentException("--image " + file + ": not a PNG, JPEG, GIF or WebP image");
    return ContentPart.Image.bytes(type, bytes);
  }

  static String mediaType(byte[] b) {
    if (starts(b, 0, 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n')) return "image/png";
    if (starts(b, 0, 0xff, 0xd8, 0xff)) return "image/jpeg";
    if (starts(b, 0, 'G', 'I', 'F', '8')) return "image/gif";
    if (starts(b, 0, 'R', 'I', 'F', 'F') && starts(b, 8, 'W', 'E', 'B', 'P')) return "image/webp";
    return null;
  }

  private static boolean starts(byte[] b, int at, int... sig) {
    if (b.length < at + sig.length) return false;
    for (int i = 0; i < sig.length; i++) if ((b[at + i] & 0xff) != sig[i]) return false;
    return true;
  }
}
