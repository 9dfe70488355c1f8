package dev.salesagent.router.wire;

/** A stream line or event grew past {@link #MAX_BYTES} without ending: the upstream is not speaking the protocol. */
public final class FrameTooLargeException extends RuntimeException {
  /** Largest SSE line/event or NDJSON line accepted. */
  public static final int MAX_BYTES = 16 * 1024 * 1024;

  public FrameTooLargeException(int size) {
    super("stream frame larger than " + MAX_BYTES + " bytes (" + size + ")", null, false, false);
  }
}
