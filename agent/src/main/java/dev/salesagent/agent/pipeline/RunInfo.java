package dev.salesagent.agent.pipeline;

import dev.salesagent.agent.access.Actor;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A pipeline run. Runs are found again by their output directory: {@code --resume} continues the latest run that
 * wrote to the same {@code --out}.
 *
 * @param status {@code running}, {@code interrupted}, {@code completed}
 * @param actor  who started it: the key its router calls are charged to, and the tenant that owns the run and its
 *               leads ({@link Actor#operator()} when none was given)
 */
public record RunInfo(
    String id, String outDir, String inputPath, String steps, int concurrency, String status,
    List<String> inputColumns, Instant startedAt, Instant finishedAt, Actor actor) {
  public RunInfo {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(outDir, "outDir");
    Objects.requireNonNull(steps, "steps");
    inputColumns = List.copyOf(inputColumns);
    actor = actor == null ? Actor.operator() : actor;
  }

  public RunInfo withStatus(String s, Instant finished) {
    return new RunInfo(id, outDir, inputPath, steps, concurrency, s, inputColumns, startedAt, finished, actor);
  }
}
