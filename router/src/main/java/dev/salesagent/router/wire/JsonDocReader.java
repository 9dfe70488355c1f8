package dev.salesagent.router.wire;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Reads a sequence of complete JSON documents (the data of consecutive stream events) with one reused Jackson
 * non-blocking parser, so that once warm, reading a document allocates only the values taken out of it — no parser,
 * context or buffer per event. The caller feeds a whole document with {@link #begin}, reads its tokens (which never
 * report {@code NOT_AVAILABLE} before the document's end unless the document is truncated), and confirms with
 * {@link #end()}; a document abandoned half-way (an exception, or a caller that switched to a tree for a rare shape)
 * makes the next {@code begin} start a fresh parser. Not thread-safe.
 */
public final class JsonDocReader {
  private JsonParser parser;
  private ByteArrayFeeder feeder;
  private boolean clean;

  /** Feeds one complete document; the bytes must stay unchanged until {@link #end()} or abandonment. */
  public JsonParser begin(byte[] b, int off, int len) throws IOException {
    if (!clean) fresh();
    clean = false;
    feeder.feedInput(b, off, off + len);
    return parser;
  }

  /** The root value was read: checks that nothing but whitespace followed it, and readies the next document. */
  public void end() throws IOException {
    if (parser.nextToken() != JsonToken.NOT_AVAILABLE) throw new JsonParseException(parser, "content after the JSON document");
    clean = true;
  }

  private void fresh() {
    try {
      if (parser != null) parser.close();
      parser = WireJson.MAPPER.getFactory().createNonBlockingByteArrayParser();
      feeder = (ByteArrayFeeder) parser.getNonBlockingInputFeeder();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
