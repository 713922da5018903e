package io.distillery.cli.pipeline;

import io.distillery.core.ConfigException;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code distillery run} config: one file (YAML or JSON, snake_case keys) for the whole chain
 * synth → label → distil → export → bench. Paths are relative to the working directory. Optional
 * sections and fields fall back to each stage's defaults.
 *
 * <pre>
 * task:    {labels: [negative, positive], description: "..."}
 * teacher: models/build/teachers/sentiment
 * source:  {kind: generator, generator: models/generator}   # or {kind: raw_corpus, corpus: FILE}
 * out:     runs/sentiment
 * seed:    1
 * synth:   {samples: 4000, shard_size: 1000, batch_size: 32, rebalance: true}
 * student: {layers: 4, width: 128, heads: 4, ffn_width: 512, embedding_dim: 64}
 * distill: {epochs: 10, batch_size: 32, learning_rate: 0.001, temperature: 2.0, alpha: 0.0, teacher_embeddings: true}
 * dev:     models/data/sentiment/dev.jsonl       # optional: real labelled dev set for early stopping
 * bench:   {data: models/data/sentiment/test.jsonl, threads: 1}
 * </pre>
 */
public record RunConfig(
    Task task,
    Path teacher,
    Source source,
    Path out,
    Long seed,
    Synth synth,
    Student student,
    Distill distill,
    Path dev,
    Bench bench) {
  public RunConfig {
    require(task != null, "task");
    require(teacher != null, "teacher");
    require(source != null, "source");
    require(out != null, "out");
    seed = seed == null ? 42L : seed;
    synth = synth == null ? new Synth(null, null, null, null, null, null, null, null, null, null) : synth;
    student = student == null ? new Student(null, null, null, null, null, null) : student;
    distill = distill == null ? new Distill(null, null, null, null, null, null, null, null, null) : distill;
    bench = bench == null ? new Bench(null, null, null) : bench;
  }

  /** The task spec: label names (in the teacher's id order) and a one-line description. */
  public record Task(List<String> labels, String description) {
    public Task {
      require(labels != null && labels.size() >= 2, "task.labels (at least two label names)");
      require(description != null && !description.isBlank(), "task.description");
    }
  }

  /** Where candidate texts come from. */
  public enum SourceKind { generator, raw_corpus }

  /** How a raw corpus is cut into candidates. */
  public enum Unit { sentence, line }

  /**
   * The text source: the generator folder, or a raw corpus file (no generator) cut into sentences
   * (default) or taken line by line ({@code unit: line}, e.g. a task's real train split for the
   * data-driven KD baseline).
   */
  public record Source(SourceKind kind, Path generator, Path corpus, Unit unit) {
    public Source {
      require(kind != null, "source.kind (generator or raw_corpus)");
      if (kind == SourceKind.generator) {
        require(generator != null, "source.generator (a generator folder)");
      } else {
        require(corpus != null, "source.corpus (a text or JSON Lines file)");
      }
    }
  }

  /**
   * Synth overrides; null = the stage default. {@code maxChars} / {@code maxWords} raise the
   * length filter for long texts (emails). {@code maxShards} stops this invocation after that
   * many new shards (a rerun continues); it is not part of the run's identity.
   */
  public record Synth(Long samples, Integer shardSize, Integer batchSize, Boolean rebalance,
      Integer maxNewTokens, Double temperature, Double topP, Integer maxShards, Integer maxChars,
      Integer maxWords) {
    /** This section without the per-invocation limit, for the run's fingerprint. */
    Synth identity() {
      return new Synth(samples, shardSize, batchSize, rebalance, maxNewTokens, temperature, topP,
          null, maxChars, maxWords);
    }
  }

  /** Student shape overrides; null = the default student. */
  public record Student(Integer layers, Integer width, Integer heads, Integer ffnWidth,
      Integer embeddingDim, Double dropout) {}

  /**
   * Distillation overrides; null = the default. {@code threads}: PyTorch intra-op threads (default
   * one per core; on a machine shared with other jobs 1 is much faster).
   */
  public record Distill(Integer epochs, Integer batchSize, Double learningRate, Double temperature,
      Double alpha, Integer patience, Boolean teacherEmbeddings, Integer checkpointEvery,
      Integer threads) {}

  /** Bench settings: optional labelled test data, threads per model, batch-1 runs. */
  public record Bench(Path data, Integer threads, Integer latencyRuns) {}

  private static void require(boolean ok, String what) {
    if (!ok) {
      throw new ConfigException("run config: missing or invalid " + what);
    }
  }
}
