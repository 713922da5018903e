package io.distillery.train.gpt;

import io.distillery.core.ConfigException;

/**
 * How a GPT is trained as a causal LM: AdamW with linear warm-up then cosine decay to
 * {@code minLearningRate}, global-norm gradient clipping, random windows of packed token
 * sequences chosen from {@code seed} and the step number (so a resumed run sees the same batches).
 *
 * @param steps optimizer steps in the whole run
 * @param batchSize sequences per step B
 * @param sequenceLength tokens per sequence T (at most the model's context)
 * @param learningRate peak learning rate, reached after {@code warmupSteps}
 * @param minLearningRate learning rate at the last step
 * @param warmupSteps linear warm-up steps
 * @param weightDecay decoupled weight decay on matrices (not on biases or layer norms)
 * @param gradClip largest global gradient L2 norm; 0 disables clipping
 * @param seed seeds initial weights and batches
 * @param checkpointEvery write a checkpoint every this many steps (and at the end)
 * @param evalEvery evaluate on held-out text every this many steps; 0 only at the end
 * @param evalWindows held-out windows per evaluation (T tokens each)
 */
public record GptTrainingConfig(int steps, int batchSize, int sequenceLength, double learningRate,
    double minLearningRate, int warmupSteps, double weightDecay, double gradClip, long seed,
    int checkpointEvery, int evalEvery, int evalWindows) {
  public GptTrainingConfig {
    positive("steps", steps);
    positive("batchSize", batchSize);
    positive("sequenceLength", sequenceLength);
    positive("checkpointEvery", checkpointEvery);
    positive("evalWindows", evalWindows);
    if (!(learningRate > 0) || !(minLearningRate >= 0) || minLearningRate > learningRate) {
      throw new ConfigException("learning rates must satisfy 0 <= minLearningRate <= learningRate"
          + " and learningRate > 0, got " + minLearningRate + " and " + learningRate);
    }
    if (warmupSteps < 0 || warmupSteps >= steps) {
      throw new ConfigException(
          "warmupSteps must be in [0, steps), got " + warmupSteps + " with steps " + steps);
    }
    if (weightDecay < 0 || gradClip < 0 || evalEvery < 0) {
      throw new ConfigException("weightDecay, gradClip and evalEvery must be >= 0, got "
          + weightDecay + ", " + gradClip + ", " + evalEvery);
    }
  }

  /** Warm-up for {@code warmupSteps}, then cosine decay to the minimum at the last step. */
  public double learningRateAt(int step) {
    if (step < warmupSteps) {
      return learningRate * (step + 1) / warmupSteps;
    }
    double progress = (double) (step - warmupSteps) / Math.max(1, steps - warmupSteps - 1);
    double cosine = 0.5 * (1 + Math.cos(Math.PI * Math.min(1.0, progress)));
    return minLearningRate + (learningRate - minLearningRate) * cosine;
  }

  /** Tokens one step reads: B x T. */
  public long tokensPerStep() {
    return (long) batchSize * sequenceLength;
  }

  private static void positive(String name, long value) {
    if (value <= 0) {
      throw new ConfigException(name + " must be > 0, got " + value);
    }
  }
}
