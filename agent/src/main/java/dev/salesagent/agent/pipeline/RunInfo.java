package dev.salesagent.agent.pipeline;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A pipeline run. Runs are found again by their output directory: {@code --resume} continues the latest run that
 * wrote to the same {@code --out}.
 *
 * @param status {@code running}, {@code interrupted}, {@code completed}
 */
public record RunInfo(
    String id, String outDir, String inputPath, String steps, int concurrency, String status,
    List<String> inputColumns, Instant startedAt, Instant finishedAt) {
  public RunInfo {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(outDir, "outDir");
    Objects.requireNonNull(steps, "steps");
    inputColumns = List.copyOf(inputColumns);
  }

  public RunInfo withStatus(String s, Instant finished) {
    return new RunInfo(id, outDir, inputPath, steps, concurrency, s, inputColumns, startedAt, finished);
  }
}
