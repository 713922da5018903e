package io.distillery.cli.pipeline;

import io.distillery.core.ConfigException;
import io.distillery.learn.prompter.ReinforcedPrompter;
import io.distillery.learn.select.StudentGuidedSource;
import io.distillery.runtime.batch.BatchConfig;
import io.distillery.runtime.classify.ClassifierModel;
import io.distillery.runtime.session.SessionConfig;
import io.distillery.runtime.session.SessionFactory;
import io.distillery.synth.filter.FilterConfig;
import io.distillery.synth.pipeline.SynthClock;
import io.distillery.synth.pipeline.SynthConfig;
import io.distillery.synth.pipeline.SynthSummary;
import io.distillery.synth.pipeline.Synthesizer;
import io.distillery.synth.prompt.CorpusRewritePrompts;
import io.distillery.synth.prompt.PromptStrategy;
import io.distillery.synth.prompt.TemplatePrompts;
import io.distillery.synth.source.CausalLmGenerator;
import io.distillery.synth.source.GenerationSettings;
import io.distillery.synth.source.GeneratorSource;
import io.distillery.synth.source.MixedSource;
import io.distillery.synth.source.RawCorpusSource;
import io.distillery.synth.source.TeacherRankedSource;
import io.distillery.synth.source.TextSource;
import io.distillery.synth.task.TaskSpec;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The synth stage, shared by {@code distillery run} and {@code distillery synth}: a text source
 * (the generator with template prompts, or a raw corpus) → filters → teacher soft labels → corpus
 * shards and {@code manifest.json}. Resumable: the {@link Synthesizer} continues from the corpus
 * manifest and refuses a folder made with other settings.
 *
 * @param teacher the teacher classifier folder
 * @param source where candidate texts come from
 * @param prompts how generator prompts are chosen (templates, or a learning prompter whose state
 *     and round log go to {@code learn/} beside the corpus folder)
 * @param labels the task labels, which must equal the teacher's id2label; null takes the teacher's
 * @param description the one-line task description
 * @param seed the run seed
 * @param settings synth overrides; null fields take the stage defaults
 * @param corpus the corpus folder to write or resume
 */
public record SynthStage(Path teacher, RunConfig.Source source, RunConfig.Prompts prompts,
    List<String> labels,
    String description, long seed, RunConfig.Synth settings, Path corpus) {
  /** Samples when {@code settings.samples} is not given. */
  public static final long DEFAULT_SAMPLES = 4000;
  /** Corpus units the teacher ranks for {@code select: teacher_confident}. */
  public static final int DEFAULT_POOL = 30_000;
  /**
   * Candidates per draw when {@code synth.batch_size} is not given. 128 rather than 32: the
   * teacher labels a draw in length-sorted calls, so a larger draw pads less, and a larger draw
   * leaves more room to generate the next one ahead. Measured with the demo models on the idle
   * 2-core machine (`bench synth --draw-ahead --ahead-batch-sizes 128`): 83 samples/s at 32, 107 at
   * 128.
   */
  public static final int DEFAULT_BATCH_SIZE = 128;
  /** Share of corpus sentences in a {@code source.mix}. */
  public static final double DEFAULT_MIX_SHARE = 0.5;

  /** Writes (or continues) the corpus; progress goes to {@code log}. */
  public SynthSummary run(PrintStream log) {
    SessionFactory sessions = new SessionFactory();
    int cores = Runtime.getRuntime().availableProcessors();
    boolean ahead = drawsAhead(cores);
    if (ahead) {
      log.printf("[synth] draw ahead: the generator (%d thread(s)) writes the next batch while the"
          + " teacher (%d) labels this one%n", generatorThreads(cores), cores - generatorThreads(cores));
    }
    // drawing ahead, each session gets its share of the cores; in line, each gets them all
    SessionConfig teacherSessions = ahead
        ? SessionConfig.cpu().withIntraOpThreads(cores - generatorThreads(cores)) : SessionConfig.cpu();
    SessionConfig generatorSessions = ahead
        ? SessionConfig.cpu().withIntraOpThreads(generatorThreads(cores)) : SessionConfig.cpu();
    try (ClassifierModel model =
        ClassifierModel.open(teacher, sessions, teacherSessions, BatchConfig.defaults())) {
      TaskSpec task = task(model);
      SynthConfig config = config(task);
      try (OpenSource open = openSource(task, config, sessions, generatorSessions, model, log)) {
        Synthesizer synthesizer = new Synthesizer(log, 2.0, new SynthClock(), ahead);
        SynthSummary summary = synthesizer.synthesize(config, open.source(), model, corpus);
        if (ahead) {
          log.printf("[synth] draw ahead: %d batches generated while the teacher labelled the one"
              + " before%n", synthesizer.batchesDrawnAhead());
        }
        return summary;
      }
    }
  }

  /**
   * Whether this stage draws ahead: only a generator with fixed prompts can (a learning prompter
   * needs each batch's labels before it writes the next; a mix's corpus part costs no generation),
   * and only with a core for each side. Off when {@code synth.draw_ahead} is false.
   */
  boolean drawsAhead(int cores) {
    boolean possible = source.kind() == RunConfig.SourceKind.generator && source.mix() == null
        && prompts.kind() == RunConfig.PromptKind.templates && cores >= 2;
    return possible && !Boolean.FALSE.equals(settings.drawAhead());
  }

  /** The generator's half of the cores (the larger half: generation is the longer stage). */
  static int generatorThreads(int cores) {
    return (cores + 1) / 2;
  }

  /** The task: the given labels (checked against the teacher's id2label) or the teacher's. */
  private TaskSpec task(ClassifierModel model) {
    List<String> names = model.labels().names();
    if (labels != null && !labels.equals(names)) {
      throw new ConfigException(model.folder().config().orElse(model.folder().model())
          + ": the teacher's id2label is " + names + " but the task labels are " + labels
          + "; give the teacher's labels in its id order");
    }
    return new TaskSpec(labels == null ? names : labels, description);
  }

  /** The synthesizer's settings: the stage defaults with this stage's overrides. */
  SynthConfig config(TaskSpec task) {
    RunConfig.Synth s = settings;
    GenerationSettings g = GenerationSettings.defaults();
    g = new GenerationSettings(
        s.maxNewTokens() != null ? s.maxNewTokens() : g.maxNewTokens(),
        s.temperature() != null ? s.temperature() : g.temperature(), g.topK(),
        s.topP() != null ? s.topP() : g.topP(), g.stop(), g.cutMinChars(), g.cutMaxChars());
    FilterConfig f = FilterConfig.defaults();
    if (s.maxChars() != null || s.maxWords() != null) {
      f = f.withLength(f.minChars(), s.maxChars() != null ? s.maxChars() : f.maxChars(),
          f.minWords(), s.maxWords() != null ? s.maxWords() : f.maxWords());
    }
    SynthConfig base = SynthConfig.defaults(task, s.samples() != null ? s.samples() : DEFAULT_SAMPLES)
        .withSeed(seed).withFilters(f).withGeneration(g);
    if (s.shardSize() != null) {
      base = base.withShardSize(s.shardSize());
    }
    base = base.withBatchSize(s.batchSize() != null ? s.batchSize() : DEFAULT_BATCH_SIZE);
    if (s.rebalance() != null) {
      base = base.withRebalance(s.rebalance());
    }
    if (s.maxShards() != null) {
      base = base.withMaxShards(s.maxShards());
    }
    return base;
  }

  /** A text source and whatever native models it holds open (closed last to first). */
  private record OpenSource(TextSource source, List<AutoCloseable> owned) implements AutoCloseable {
    @Override
    public void close() {
      for (int i = owned.size() - 1; i >= 0; i--) {
        try {
          owned.get(i).close();
        } catch (Exception e) {
          throw new IllegalStateException("closing the text source failed", e);
        }
      }
    }
  }

  private OpenSource openSource(TaskSpec task, SynthConfig config, SessionFactory sessions,
      SessionConfig generatorSessions, ClassifierModel teacherModel, PrintStream log) {
    if (source.kind() == RunConfig.SourceKind.raw_corpus) {
      RawCorpusSource raw = RawCorpusSource.open(source.corpus(), source.unit() == RunConfig.Unit.line
          ? RawCorpusSource.Unit.LINE : RawCorpusSource.Unit.SENTENCE);
      int pool = source.pool() != null ? source.pool() : DEFAULT_POOL;
      if (source.select() == RunConfig.Select.student_guided) {
        StudentGuidedSource guided = Learners.studentGuided(raw, pool, prompts, task, teacherModel,
            config.filters(), corpus.resolveSibling("learn"), seed, log);
        return new OpenSource(guided, List.of(guided));
      }
      if (source.select() == RunConfig.Select.teacher_confident) {
        log.printf("[synth] the teacher ranks %,d of %,d corpus units%n", Math.min(pool, raw.size()),
            raw.size());
        return new OpenSource(new TeacherRankedSource(raw, teacherModel.classifier(), pool,
            task.numLabels()), List.of());
      }
      return new OpenSource(raw, List.of());
    }
    OpenSource generated = openGenerator(task, config, sessions, generatorSessions, teacherModel,
        log);
    RunConfig.Mix mix = source.mix();
    if (mix == null) {
      return generated;
    }
    RawCorpusSource raw = RawCorpusSource.open(mix.corpus(), RawCorpusSource.Unit.SENTENCE);
    TextSource real = raw;
    if (mix.select() != RunConfig.Select.uniform) {
      int pool = mix.pool() != null ? mix.pool() : DEFAULT_POOL;
      log.printf("[synth] mix: the teacher ranks %,d of %,d corpus units%n",
          Math.min(pool, raw.size()), raw.size());
      real = new TeacherRankedSource(raw, teacherModel.classifier(), pool, task.numLabels());
    }
    double share = mix.share() != null ? mix.share() : DEFAULT_MIX_SHARE;
    log.printf(java.util.Locale.ROOT, "[synth] mix: %.0f%% of the candidates are corpus sentences"
        + " (%s)%n", 100 * share, mix.select() == null ? "teacher_confident" : mix.select());
    return new OpenSource(new MixedSource(generated.source(), real, share), generated.owned());
  }

  private OpenSource openGenerator(TaskSpec task, SynthConfig config, SessionFactory sessions,
      SessionConfig generatorSessions, ClassifierModel teacherModel, PrintStream log) {
    CausalLmGenerator generator =
        CausalLmGenerator.open(source.generator(), sessions, generatorSessions);
    try {
      if (prompts.kind() == RunConfig.PromptKind.templates) {
        PromptStrategy fixed = source.corpus() == null ? new TemplatePrompts(task)
            : CorpusRewritePrompts.of(task, RawCorpusSource.open(source.corpus(),
                RawCorpusSource.Unit.SENTENCE));
        return new OpenSource(new GeneratorSource(fixed, generator, config.generation()),
            List.of(generator));
      }
      ReinforcedPrompter prompter = Learners.prompter(prompts, task, teacherModel,
          source.generator(), corpus.resolveSibling("learn"), seed, log);
      return new OpenSource(new GeneratorSource(prompter, generator, config.generation()),
          List.of(generator, prompter));
    } catch (RuntimeException e) {
      generator.close();
      throw e;
    }
  }
}
