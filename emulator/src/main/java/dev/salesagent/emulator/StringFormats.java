package dev.salesagent.emulator;

/**
 * Strings by JSON Schema {@code format}: the formats that are made up rather than quoted (dates, times, UUIDs, IPv4
 * addresses), and the documentation-range stand-ins used when the text has no address of the kind a field wants.
 */
final class StringFormats {
  private StringFormats() {}

  /** A value for a format that is generated, not quoted ({@code date, date-time, time, uuid, ipv4}); else {@code null}. */
  static String generated(String format, PathRandom rnd, String path) {
    return switch (format) {
      case "date" -> "2026-11-" + (10 + rnd.at(path).nextInt(19));
      case "date-time" -> "2026-11-" + (10 + rnd.at(path).nextInt(19)) + "T09:30:00Z";
      case "time" -> "09:30:00Z";
      case "uuid" -> rnd.uuid(path);
      case "ipv4" -> "192.0.2." + (1 + rnd.at(path).nextInt(250));
      default -> null;
    };
  }

  /**
   * Plain-phrase mode: for an address format, the text's first address of that kind or the stand-in; {@code null} for
   * other formats.
   */
  static String firstAddress(String format, SourceText source, PathRandom rnd, String path) {
    return switch (format) {
      case "email", "idn-email" -> source.emails.isEmpty() ? "jordan.lee@example.com" : source.emails.get(0);
      case "uri", "url", "iri", "uri-reference" -> source.urls.isEmpty() ? "https://example.com/" + rnd.slug(path) : source.urls.get(0);
      case "hostname", "idn-hostname" -> source.hosts.isEmpty() ? "example.com" : source.hosts.get(0);
      default -> null;
    };
  }

  /** The stand-in for an address or phone number the text does not have; {@code null} for other kinds. */
  static String standIn(FieldKind kind, PathRandom rnd, String path) {
    return switch (kind) {
      case EMAIL -> "jordan.lee@example.com";
      case URL -> "https://example.com/" + rnd.slug(path);
      case HOST, WEB -> "example.com";
      case PHONE -> "+1 202 555 0100";
      default -> null;
    };
  }
}
