package io.distillery.train.distill;

import io.distillery.core.ConfigException;
import io.distillery.train.loss.KdLoss;
import io.distillery.train.student.EmbeddingInit;
import java.nio.file.Path;

/**
 * How a student is distilled. Exactly one of {@code epochs} and {@code steps} is > 0.
 *
 * @param epochs passes over the training set (0 when {@code steps} sets the length)
 * @param steps optimizer steps, cycling over the data (0 when {@code epochs} sets the length)
 * @param batchSize examples per step (batches are length-bucketed and padded per batch)
 * @param learningRate peak AdamW learning rate
 * @param weightDecay decoupled AdamW weight decay on matrices (rank >= 2)
 * @param warmupFraction fraction of all steps with a linear warm-up from 0, in [0, 1)
 * @param decay the learning-rate shape after warm-up
 * @param gradClip global gradient-norm clip (0 = none)
 * @param seed seeds weight init, dropout and shuffling
 * @param loss the distillation objective (temperature, alpha, ...)
 * @param checkpointEvery steps between checkpoints (each epoch end and the last step always
 *     write one)
 * @param patience early stop after this many epochs without a better dev accuracy (0 = never;
 *     needs a dev set to act)
 * @param embeddingInit how a new student's token table starts
 */
public record DistillConfig(int epochs, int steps, int batchSize, double learningRate,
    double weightDecay, double warmupFraction, LrDecay decay, double gradClip, long seed,
    KdLoss loss, int checkpointEvery, int patience, EmbeddingInit embeddingInit) {
  public DistillConfig {
    if ((epochs > 0) == (steps > 0) || epochs < 0 || steps < 0) {
      throw new ConfigException("distill: set exactly one of epochs and steps (> 0), got epochs "
          + epochs + " and steps " + steps);
    }
    if (batchSize < 1) {
      throw new ConfigException("distill: batchSize must be >= 1, got " + batchSize);
    }
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new ConfigException("distill: learningRate must be > 0, got " + learningRate);
    }
    if (!(weightDecay >= 0 && weightDecay < 1)) {
      throw new ConfigException("distill: weightDecay must be in [0, 1), got " + weightDecay);
    }
    if (!(warmupFraction >= 0 && warmupFraction < 1)) {
      throw new ConfigException("distill: warmupFraction must be in [0, 1), got " + warmupFraction);
    }
    if (decay == null || loss == null || embeddingInit == null) {
      throw new ConfigException("distill: decay, loss and embeddingInit must be set");
    }
    if (!(gradClip >= 0) || Double.isInfinite(gradClip)) {
      throw new ConfigException("distill: gradClip must be >= 0 (0 = none), got " + gradClip);
    }
    if (checkpointEvery < 1) {
      throw new ConfigException(
          "distill: checkpointEvery must be >= 1 step, got " + checkpointEvery);
    }
    if (patience < 0) {
      throw new ConfigException(
          "distill: patience must be >= 0 (0 = no early stop), got " + patience);
    }
  }

  /**
   * The defaults, chosen on the sentiment dev split: 10 epochs of batch 32, AdamW lr 1e-3,
   * weight decay 0.01, 10% warm-up then linear decay, clip 1.0, seed 42, KL at T = 2 with no hard
   * labels, a checkpoint every 500 steps, early stop after 4 epochs without a better dev
   * accuracy, embeddings from scratch. Starting from the teacher's embeddings ({@link
   * #withTeacherEmbeddings}) is what makes small students good (sentiment dev: 0.88 vs 0.78), so
   * callers that have the teacher's ONNX should use it.
   */
  public static DistillConfig defaults() {
    return new DistillConfig(10, 0, 32, 1e-3, 0.01, 0.1, LrDecay.LINEAR, 1.0, 42, KdLoss.defaults(),
        500, 4, EmbeddingInit.fromScratch());
  }

  /** Optimizer steps for a training set of {@code examples}. */
  public int totalSteps(int examples) {
    return steps > 0 ? steps : Math.multiplyExact(epochs, stepsPerEpoch(examples));
  }

  /** Steps in one pass over {@code examples} (the last batch may be short). */
  public int stepsPerEpoch(int examples) {
    return (examples + batchSize - 1) / batchSize;
  }

  /** Warm-up steps out of {@code totalSteps}. */
  public int warmupSteps(int totalSteps) {
    return (int) Math.round(warmupFraction * totalSteps);
  }

  /** The learning rate of step {@code step} (0-based) of {@code totalSteps}. */
  public double learningRateAt(int step, int totalSteps) {
    int warm = warmupSteps(totalSteps);
    if (step < warm) {
      return learningRate * (step + 1) / warm;
    }
    double progress = Math.min(1.0, (step - warm) / (double) Math.max(1, totalSteps - warm));
    return switch (decay) {
      case LINEAR -> learningRate * (1 - progress);
      case COSINE -> learningRate * 0.5 * (1 + Math.cos(Math.PI * progress));
      case CONSTANT -> learningRate;
    };
  }

  public DistillConfig withEpochs(int n) {
    return new DistillConfig(n, 0, batchSize, learningRate, weightDecay, warmupFraction, decay,
        gradClip, seed, loss, checkpointEvery, patience, embeddingInit);
  }

  public DistillConfig withSteps(int n) {
    return new DistillConfig(0, n, batchSize, learningRate, weightDecay, warmupFraction, decay,
        gradClip, seed, loss, checkpointEvery, patience, embeddingInit);
  }

  public DistillConfig withSeed(long s) {
    return new DistillConfig(epochs, steps, batchSize, learningRate, weightDecay, warmupFraction,
        decay, gradClip, s, loss, checkpointEvery, patience, embeddingInit);
  }

  public DistillConfig withLoss(KdLoss l) {
    return new DistillConfig(epochs, steps, batchSize, learningRate, weightDecay, warmupFraction,
        decay, gradClip, seed, l, checkpointEvery, patience, embeddingInit);
  }

  public DistillConfig withCheckpointEvery(int n) {
    return new DistillConfig(epochs, steps, batchSize, learningRate, weightDecay, warmupFraction,
        decay, gradClip, seed, loss, n, patience, embeddingInit);
  }

  public DistillConfig withPatience(int n) {
    return new DistillConfig(epochs, steps, batchSize, learningRate, weightDecay, warmupFraction,
        decay, gradClip, seed, loss, checkpointEvery, n, embeddingInit);
  }

  public DistillConfig withEmbeddingInit(EmbeddingInit init) {
    return new DistillConfig(epochs, steps, batchSize, learningRate, weightDecay, warmupFraction,
        decay, gradClip, seed, loss, checkpointEvery, patience, init);
  }

  /** Starts the token table from the teacher's embeddings ({@link EmbeddingInit#fromTeacher}). */
  public DistillConfig withTeacherEmbeddings(Path teacherOnnx) {
    return withEmbeddingInit(EmbeddingInit.fromTeacher(teacherOnnx));
  }

  /**
   * The teacher's embeddings when its ONNX has a BERT-style fp32 word-embedding table, else from
   * scratch: the distiller reads the table once and decides.
   */
  public DistillConfig withTeacherEmbeddingsIfPresent(Path teacherOnnx) {
    return withEmbeddingInit(EmbeddingInit.fromTeacherIfPresent(teacherOnnx));
  }

  public DistillConfig withOptimizer(int batch, double lr, double decayRate, double warmup,
      LrDecay shape, double clip) {
    return new DistillConfig(epochs, steps, batch, lr, decayRate, warmup, shape, clip, seed, loss,
        checkpointEvery, patience, embeddingInit);
  }
}
