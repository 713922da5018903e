package io.distillery.train.gpt;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The causal-LM training loop: next-token cross-entropy on random windows of packed text, AdamW,
 * warm-up + cosine learning rate, global-norm clipping, a checkpoint every
 * {@link GptTrainingConfig#checkpointEvery()} steps, resume from the last checkpoint, and a
 * progress line on stderr (loss, learning rate, tokens/s, ETA).
 */
public final class GptTrainer {
  private static final double LOG_SECONDS = 15;

  private final GptTrainingConfig config;
  private final PrintStream log;

  /**
   * What a run did.
   *
   * @param startStep the step the run began at (non-zero after a resume)
   * @param endStep steps done when the run returned
   * @param lastLoss mean training loss (nats/token) over the last logging interval
   * @param tokensPerSecond training tokens per second in this run
   * @param heldOut the final held-out evaluation, or null if the run stopped before the end
   */
  public record Result(int startStep, int endStep, double lastLoss, double tokensPerSecond,
      HeldOutEvaluation heldOut) {}

  public GptTrainer(GptTrainingConfig config, PrintStream log) {
    this.config = config;
    this.log = log;
  }

  /**
   * Trains until {@code min(stopAt, steps)} steps are done, resuming from {@code checkpointDir}
   * when it holds a checkpoint. A {@code stopAt} at or below the checkpoint's step trains nothing
   * (the model is just the checkpoint, e.g. to export a snapshot of a running build).
   *
   * @param model an initialised model (seeded before initialisation for reproducible weights)
   * @param manager owns the optimizer state
   * @param tokenBytes UTF-8 length of each token id, for bits per byte
   */
  public Result train(GptModel model, NDManager manager, PackedTokens train, PackedTokens heldOut,
      int[] tokenBytes, Path checkpointDir, int stopAt) {
    int t = config.sequenceLength();
    if (t > model.config().context()) {
      throw new io.distillery.core.ConfigException("sequenceLength " + t
          + " exceeds the model's context " + model.config().context());
    }
    AdamW optimizer = new AdamW(model.namedParameters(), manager, config.weightDecay());
    int start = 0;
    if (checkpointDir != null && GptCheckpoint.exists(checkpointDir)) {
      GptCheckpoint.State s = GptCheckpoint.load(checkpointDir, model);
      optimizer.restore(s.first(), s.second(), s.updates());
      start = s.step();
      log.printf(Locale.ROOT, "[gpt-train] resumed from %s at step %d/%d%n",
          GptCheckpoint.file(checkpointDir), start, config.steps());
    }
    int end = Math.max(start, Math.min(stopAt, config.steps())); // stopAt <= start: no training
    ParameterStore ps = new ParameterStore(manager, false);
    long runStart = System.nanoTime();
    long lastLog = runStart;
    double lossSum = 0;
    int lossCount = 0;
    double lastLoss = Double.NaN;
    for (int step = start; step < end; step++) {
      double lr = config.learningRateAt(step);
      double norm;
      try (NDScope scope = new NDScope()) {
        PackedTokens.Batch b = train.randomBatch(manager, config.batchSize(), t, config.seed(), step);
        NDArray loss;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          NDArray logits = model.logits(ps, b.inputs(), true);
          loss = HeldOutEvaluation.tokenLogProbs(logits, b.targets()).mean().neg();
          gc.backward(loss);
        }
        norm = optimizer.clipGradients(config.gradClip());
        optimizer.step(lr);
        lossSum += loss.getFloat();
        lossCount++;
      }
      int done = step + 1;
      boolean last = done == end;
      if (done % config.checkpointEvery() == 0 || last) {
        if (checkpointDir != null) {
          GptCheckpoint.save(checkpointDir, model, optimizer, done);
        }
      }
      long now = System.nanoTime();
      if ((now - lastLog) / 1e9 >= LOG_SECONDS || last) {
        lastLoss = lossSum / lossCount;
        double secs = (now - runStart) / 1e9;
        double tokPerSec = (done - start) * config.tokensPerStep() / secs;
        double eta = (config.steps() - done) * config.tokensPerStep() / tokPerSec;
        log.printf(Locale.ROOT,
            "[gpt-train] step %d/%d loss %.4f lr %.2e grad-norm %.2f %.0f tokens/s elapsed %s ETA %s%n",
            done, config.steps(), lastLoss, lr, norm, tokPerSec, time(secs), time(eta));
        lossSum = 0;
        lossCount = 0;
        lastLog = now;
      }
      if (config.evalEvery() > 0 && done % config.evalEvery() == 0 && !last) {
        report(evaluate(model, manager, heldOut, tokenBytes), done);
      }
    }
    double secs = (System.nanoTime() - runStart) / 1e9;
    double tokPerSec = (end - start) * config.tokensPerStep() / Math.max(1e-9, secs);
    HeldOutEvaluation eval = null;
    if (end == config.steps()) {
      eval = evaluate(model, manager, heldOut, tokenBytes);
      report(eval, end);
    }
    return new Result(start, end, lastLoss, tokPerSec, eval);
  }

  /** Held-out cross-entropy on {@link GptTrainingConfig#evalWindows()} windows. */
  public HeldOutEvaluation evaluate(GptModel model, NDManager manager, PackedTokens heldOut,
      int[] tokenBytes) {
    return HeldOutEvaluation.evaluate(model, manager, heldOut, config.sequenceLength(),
        config.batchSize(), config.evalWindows(), tokenBytes);
  }

  private void report(HeldOutEvaluation e, int step) {
    log.printf(Locale.ROOT,
        "[gpt-train] step %d held-out: %.4f nats/token (perplexity %.1f), %.4f bits/byte over %d"
            + " tokens%n", step, e.natsPerToken(), e.perplexity(), e.bitsPerByte(), e.tokens());
  }

  private static String time(double s) {
    long t = Math.round(s);
    return t >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", t / 3600, (t % 3600) / 60)
        : String.format(Locale.ROOT, "%dm%02ds", t / 60, t % 60);
  }
}
