package io.distillery.cli.pipeline;

import io.distillery.learn.t3.T3Config;
import io.distillery.learn.t3.T3Run;
import io.distillery.learn.t3.T3Tuner;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The tune stage of {@code distillery run} ({@code generator_tuning: {kind: t3, ...}}): DFKD-T3
 * tuning of the source generator into {@code out/generator}, resumable from its checkpoint.
 */
final class GeneratorTuningStage {
  /** Steps when the config does not say. */
  static final int DEFAULT_STEPS = 150;
  /** Rows per policy-gradient step when the config does not say. */
  static final int DEFAULT_BATCH = 32;

  private GeneratorTuningStage() {}

  static T3Tuner.Result run(RunConfig c, Path tuned, PrintStream log) {
    RunConfig.GeneratorTuning g = c.generatorTuning();
    T3Config d = T3Config.defaults(g.steps() != null ? g.steps() : DEFAULT_STEPS,
        g.batchSize() != null ? g.batchSize() : DEFAULT_BATCH, c.seed());
    T3Config cfg = d.withLearning(g.learningRate() != null ? g.learningRate() : d.learningRate(),
        g.kl() != null ? g.kl() : d.klPenalty(), d.rewardWeights());
    if (g.maxNewTokens() != null) {
      cfg = cfg.withSampling(g.maxNewTokens(), cfg.temperature(), cfg.topK());
    }
    return new T3Run(c.source().generator(), c.teacher(), g.corpus(), tuned, c.task().labels(),
        c.task().description(), cfg).run(log);
  }
}
