package dev.salesagent.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.salesagent.emulator.Emulator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * The emulators' request count, read from the in-process emulator or, when they run in another process, from its
 * {@code GET /_stats} ({@code POST /_reset} to zero it): the calls the ideal time is computed from.
 */
final class PipelineLoadStats {
  private final String base;
  private final Emulator local;
  private final HttpClient http = HttpClient.newHttpClient();

  PipelineLoadStats(String base, Emulator local) {
    this.base = base;
    this.local = local;
  }

  void reset() throws IOException, InterruptedException {
    if (local != null) {
      local.stats().reset();
      return;
    }
    send(HttpRequest.newBuilder(URI.create(base + "/_reset")).POST(HttpRequest.BodyPublishers.noBody()).build());
  }

  /** Chat requests received, over every protocol and model. */
  long total() throws IOException, InterruptedException {
    if (local != null) return local.stats().total("*");
    JsonNode stats = new ObjectMapper().readTree(send(HttpRequest.newBuilder(URI.create(base + "/_stats")).GET().build()));
    long n = 0;
    for (JsonNode models : stats.path("requests")) for (JsonNode count : models) n += count.asLong();
    return n;
  }

  private String send(HttpRequest req) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) throw new IOException(req.uri() + ": HTTP " + r.statusCode());
    return r.body();
  }
}
