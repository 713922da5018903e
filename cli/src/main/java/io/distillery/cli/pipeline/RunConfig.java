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
 * prompts: {kind: categorical}       # generator prompts: templates (default), categorical, prompter
 * generator_tuning: {kind: t3, corpus: FILE, steps: 150}   # optional: DFKD-T3 before synth
 * out:     runs/sentiment
 * seed:    1
 * synth:   {samples: 4000, shard_size: 1000, batch_size: 32, rebalance: true}
 * student: {layers: 4, width: 128, heads: 4, ffn_width: 512, embedding_dim: 64}
 * distill: {epochs: 10, batch_size: 32, learning_rate: 0.001, temperature: 2.0, alpha: 0.0, teacher_embeddings: true}
 * dev:     models/data/sentiment/dev.jsonl  # data-driven rows only: real dev set for early stopping
 * bench:   {data: models/data/sentiment/test.jsonl, threads: 1, variants: [fused-int8]}
 * </pre>
 */
public record RunConfig(
    Task task,
    Path teacher,
    Source source,
    Path out,
    Prompts prompts,
    GeneratorTuning generatorTuning,
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
    prompts = prompts == null ? Prompts.templates() : prompts;
    synth = synth == null
        ? new Synth(null, null, null, null, null, null, null, null, null, null, null) : synth;
    student = student == null ? new Student(null, null, null, null, null, null) : student;
    distill = distill == null
        ? new Distill(null, null, null, null, null, null, null, null, null, null) : distill;
    bench = bench == null ? new Bench(null, null, null, null) : bench;
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
   * data-driven KD baseline). A generator source with a {@code corpus} gets corpus-rewrite prompts
   * (a corpus sentence, then a label template: DFKD-T3's input) instead of templates alone.
   */
  public record Source(SourceKind kind, Path generator, Path corpus, Unit unit, Select select,
      Integer pool, Mix mix) {
    public Source {
      require(kind != null, "source.kind (generator or raw_corpus)");
      if (kind == SourceKind.generator) {
        require(generator != null, "source.generator (a generator folder)");
      } else {
        require(corpus != null, "source.corpus (a text or JSON Lines file)");
      }
      require(select == null || kind == SourceKind.raw_corpus,
          "source.select (only a raw_corpus source selects)");
      require(pool == null || pool >= 1, "source.pool (>= 1 corpus units for the teacher to rank)");
      require(mix == null || kind == SourceKind.generator,
          "source.mix (only a generator source mixes in raw-corpus sentences)");
    }

    public Source(SourceKind kind, Path generator, Path corpus, Unit unit) {
      this(kind, generator, corpus, unit, null, null, null);
    }

    /** The same source with another generator folder (a tuned one), keeping the rest. */
    public Source withGenerator(Path tuned, Path rewriteCorpus) {
      return new Source(kind, tuned, rewriteCorpus, unit, select, pool, mix);
    }
  }

  /**
   * Real general-corpus sentences mixed into a generator source's candidates: {@code share} of
   * them (default 0.5) come from {@code corpus}, sampled as {@code select} says ({@code
   * teacher_confident}, the default, or {@code uniform}) from a pool of {@code pool} sentences.
   */
  public record Mix(Path corpus, Select select, Integer pool, Double share) {
    public Mix {
      require(corpus != null, "source.mix.corpus (a text or JSON Lines file)");
      require(select != Select.student_guided,
          "source.mix.select (uniform or teacher_confident; student_guided does not mix)");
      require(pool == null || pool >= 1, "source.mix.pool (>= 1)");
      require(share == null || (share > 0 && share < 1), "source.mix.share (in (0, 1))");
    }
  }

  /**
   * How a raw corpus is sampled: {@code uniform} (the seeded order), {@code teacher_confident}
   * (the teacher ranks a pool of {@code source.pool} units, default 30,000, and serves each label's
   * surest first) or {@code student_guided} (learned: the pool is re-ranked before every shard by
   * the reward of {@code prompts.reward}, whose disagreement term asks a student probe distilled
   * on the corpus so far; {@code prompts.probe_steps} sets its budget).
   */
  public enum Select { uniform, teacher_confident, student_guided }

  /** How the generator is tuned before synthesis. */
  public enum TuningKind { t3 }

  /**
   * DFKD-T3 generator tuning before synthesis: the generator learns to turn general-corpus
   * sentences ({@code corpus}) into task text for an intended label (learn.t3), and synthesis then
   * uses the tuned generator, with corpus-rewrite prompts unless {@code prompts} names a learning
   * prompter. Null fields take {@code T3Config}'s defaults ({@code steps} 150, batch 32).
   */
  public record GeneratorTuning(TuningKind kind, Path corpus, Integer steps, Integer batchSize,
      Double learningRate, Double kl, Integer maxNewTokens) {
    public GeneratorTuning {
      require(kind != null, "generator_tuning.kind (t3)");
      require(corpus != null, "generator_tuning.corpus (the general corpus the generator rewrites)");
      require(steps == null || steps >= 0, "generator_tuning.steps (>= 0)");
      require(batchSize == null || batchSize >= 1, "generator_tuning.batch_size (>= 1)");
      require(learningRate == null || learningRate > 0, "generator_tuning.learning_rate (> 0)");
      require(kl == null || kl >= 0, "generator_tuning.kl (>= 0)");
      require(maxNewTokens == null || maxNewTokens >= 1, "generator_tuning.max_new_tokens (>= 1)");
    }
  }

  /** How generator prompts are chosen. */
  public enum PromptKind { templates, categorical, prompter }

  /**
   * Generator prompts: fixed {@code templates}, or a reinforced topic prompter that learns while
   * the corpus grows: {@code categorical} (template × topic word) or {@code prompter} (a small GPT
   * policy). Null fields take the defaults ({@code learn/}'s PolicySettings and RewardWeights).
   *
   * @param topicsPerLabel topic openers mined per label for the categorical policy (default 32)
   * @param probeSteps distillation steps of the student probe after each shard (default 150;
   *     0 = no student in the loop, so no disagreement term)
   */
  public record Prompts(PromptKind kind, Integer topicsPerLabel, Double learningRate,
      Double entropy, Double kl, Double baselineDecay, Integer probeSteps, RewardWeights reward,
      Double entropyFloor) {
    public Prompts {
      require(kind != null, "prompts.kind (templates, categorical or prompter)");
      require(topicsPerLabel == null || topicsPerLabel >= 1, "prompts.topics_per_label (>= 1)");
      require(probeSteps == null || probeSteps >= 0, "prompts.probe_steps (>= 0)");
      require(entropyFloor == null || (entropyFloor >= 0 && entropyFloor < 1),
          "prompts.entropy_floor (in [0, 1))");
    }

    public static Prompts templates() {
      return new Prompts(PromptKind.templates, null, null, null, null, null, null, null, null);
    }
  }

  /** Reward weights of a learning prompter; null fields take the defaults. */
  public record RewardWeights(Double specificity, Double disagreement, Double novelty,
      Double filtered) {}

  /**
   * Synth overrides; null = the stage default. {@code maxChars} / {@code maxWords} raise the
   * length filter for long texts (emails). {@code maxShards} stops this invocation after that
   * many new shards (a rerun continues); it is not part of the run's identity. {@code drawAhead}:
   * generate the next batch while the teacher labels this one, each on half the cores (null =
   * wherever it can apply: a generator with fixed prompts, at least 2 cores; the corpus bytes are
   * the same either way).
   */
  public record Synth(Long samples, Integer shardSize, Integer batchSize, Boolean rebalance,
      Integer maxNewTokens, Double temperature, Double topP, Integer maxShards, Integer maxChars,
      Integer maxWords, Boolean drawAhead) {
    public Synth {
      require(samples == null || samples >= 1, "synth.samples (>= 1)");
      require(shardSize == null || shardSize >= 1, "synth.shard_size (>= 1)");
      require(batchSize == null || batchSize >= 1, "synth.batch_size (>= 1)");
      require(maxNewTokens == null || maxNewTokens >= 1, "synth.max_new_tokens (>= 1)");
      require(temperature == null || temperature > 0, "synth.temperature (> 0)");
      require(topP == null || (topP > 0 && topP <= 1), "synth.top_p (in (0, 1])");
      require(maxShards == null || maxShards >= 0, "synth.max_shards (>= 0; 0 = no limit)");
      require(maxChars == null || maxChars >= 1, "synth.max_chars (>= 1)");
      require(maxWords == null || maxWords >= 1, "synth.max_words (>= 1)");
    }

    /**
     * This section without what does not change the corpus bytes (the per-invocation shard limit,
     * drawing ahead), for the run's fingerprint.
     */
    Synth identity() {
      return new Synth(samples, shardSize, batchSize, rebalance, maxNewTokens, temperature, topP,
          null, maxChars, maxWords, null);
    }
  }

  /** Student shape overrides; null = the default student. */
  public record Student(Integer layers, Integer width, Integer heads, Integer ffnWidth,
      Integer embeddingDim, Double dropout) {
    public Student {
      require(layers == null || layers >= 1, "student.layers (>= 1)");
      require(width == null || width >= 1, "student.width (>= 1)");
      require(heads == null || heads >= 1, "student.heads (>= 1)");
      require(ffnWidth == null || ffnWidth >= 1, "student.ffn_width (>= 1)");
      require(embeddingDim == null || embeddingDim >= 1, "student.embedding_dim (>= 1)");
      require(dropout == null || (dropout >= 0 && dropout < 1), "student.dropout (in [0, 1))");
    }
  }

  /**
   * Distillation overrides; null = the default. {@code threads}: PyTorch intra-op threads (default
   * one per core; on a machine shared with other jobs 1 is much faster).
   */
  public record Distill(Integer epochs, Integer batchSize, Double learningRate, Double temperature,
      Double alpha, Integer patience, Boolean teacherEmbeddings, Integer checkpointEvery,
      Integer threads, Double holdout) {
    public Distill {
      require(holdout == null || (holdout >= 0 && holdout < 1), "distill.holdout (in [0, 1))");
      require(epochs == null || epochs >= 1, "distill.epochs (>= 1)");
      require(batchSize == null || batchSize >= 1, "distill.batch_size (>= 1)");
      require(learningRate == null || learningRate > 0, "distill.learning_rate (> 0)");
      require(temperature == null || temperature > 0, "distill.temperature (> 0)");
      require(alpha == null || (alpha >= 0 && alpha <= 1), "distill.alpha (in [0, 1])");
      require(patience == null || patience >= 0, "distill.patience (>= 0)");
      require(checkpointEvery == null || checkpointEvery >= 1, "distill.checkpoint_every (>= 1)");
      require(threads == null || threads >= 0, "distill.threads (>= 0; 0 = one per core)");
    }
  }

  /**
   * Bench settings: optional labelled test data, threads per model, batch-1 runs, and further
   * exports of the student to write and measure in the same turns ({@link #VARIANTS}).
   */
  public record Bench(Path data, Integer threads, Integer latencyRuns, List<String> variants) {
    /** {@code int8}, {@code fused} (ONNX Runtime's fused kernels), {@code fused-int8}. */
    public static final List<String> VARIANTS = List.of("int8", "fused", "fused-int8");

    public Bench {
      require(threads == null || threads >= 1, "bench.threads (>= 1)");
      require(latencyRuns == null || latencyRuns >= 10, "bench.latency_runs (>= 10)");
      variants = variants == null ? List.of() : List.copyOf(variants);
      require(VARIANTS.containsAll(variants) && variants.stream().distinct().count()
          == variants.size(), "bench.variants (distinct values of " + VARIANTS + ")");
    }
  }

  private static void require(boolean ok, String what) {
    if (!ok) {
      throw new ConfigException("run config: missing or invalid " + what);
    }
  }
}
