package dev.salesagent.agent.reply;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The hand-written test mailbox ({@code src/test/resources/replies}: 46 replies, labels in {@code labels.tsv}). */
final class Mailbox {
  private Mailbox() {}

  record Labelled(String file, ReplyCategory expected, byte[] raw) {}

  static List<Labelled> all() {
    List<Labelled> out = new ArrayList<>();
    for (String line : read("labels.tsv").split("\n")) {
      if (line.isBlank() || line.startsWith("#")) continue;
      String[] p = line.split("\t");
      out.add(new Labelled(p[0], ReplyCategory.fromWire(p[1]), bytes(p[0])));
    }
    return out;
  }

  static byte[] bytes(String file) {
    try (InputStream in = Mailbox.class.getResourceAsStream("/replies/" + file)) {
      if (in == null) throw new IllegalArgumentException("no test reply " + file);
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String read(String file) {
    return new String(bytes(file), StandardCharsets.UTF_8);
  }
}
