package io.distillery.train.head;

import io.distillery.core.ConfigException;

/**
 * How {@link LinearHeadTrainer} fits a linear classifier head: AdamW with decoupled weight decay on
 * mini-batches of softmax cross-entropy, for a fixed number of epochs, keeping the epoch with the
 * best dev accuracy (ties: lower dev loss).
 *
 * @param epochs passes over the training set, at least 1
 * @param learningRate AdamW step size, finite and {@code > 0}
 * @param weightDecay AdamW decoupled weight decay, finite and {@code >= 0}
 * @param batchSize examples per step, at least 1
 * @param seed seeds the batch order and the engine
 * @param standardize train on per-feature standardised inputs (mean 0, unit variance on train); the
 *     scaling is folded into the returned weights, which apply to raw features
 */
public record HeadTrainingConfig(
    int epochs,
    float learningRate,
    float weightDecay,
    int batchSize,
    long seed,
    boolean standardize) {
  public HeadTrainingConfig {
    if (epochs < 1) {
      throw new ConfigException("head training: epochs must be >= 1, got " + epochs);
    }
    if (!(learningRate > 0) || !Float.isFinite(learningRate)) {
      throw new ConfigException(
          "head training: learningRate must be finite and > 0, got " + learningRate);
    }
    if (!(weightDecay >= 0) || !Float.isFinite(weightDecay)) {
      throw new ConfigException(
          "head training: weightDecay must be finite and >= 0, got " + weightDecay);
    }
    if (batchSize < 1) {
      throw new ConfigException("head training: batchSize must be >= 1, got " + batchSize);
    }
  }

  /** Settings that fit a head on frozen sentence embeddings (MiniLM, 384 features) well. */
  public static HeadTrainingConfig defaults() {
    return new HeadTrainingConfig(40, 1e-3f, 0.05f, 32, 42L, true);
  }

  public HeadTrainingConfig withEpochs(int epochs) {
    return new HeadTrainingConfig(epochs, learningRate, weightDecay, batchSize, seed, standardize);
  }

  public HeadTrainingConfig withLearningRate(float learningRate) {
    return new HeadTrainingConfig(epochs, learningRate, weightDecay, batchSize, seed, standardize);
  }

  public HeadTrainingConfig withWeightDecay(float weightDecay) {
    return new HeadTrainingConfig(epochs, learningRate, weightDecay, batchSize, seed, standardize);
  }

  public HeadTrainingConfig withBatchSize(int batchSize) {
    return new HeadTrainingConfig(epochs, learningRate, weightDecay, batchSize, seed, standardize);
  }

  public HeadTrainingConfig withSeed(long seed) {
    return new HeadTrainingConfig(epochs, learningRate, weightDecay, batchSize, seed, standardize);
  }

  public HeadTrainingConfig withStandardize(boolean standardize) {
    return new HeadTrainingConfig(epochs, learningRate, weightDecay, batchSize, seed, standardize);
  }
}
