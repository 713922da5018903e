package io.distillery.genkd.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillery.core.ConfigException;
import io.distillery.core.Json;

/**
 * One generative distillation run.
 *
 * <p>Both optimizers are AdamW with decoupled weight decay {@code weightDecay}, a linear warm-up
 * over {@code warmupSteps} then a constant learning rate, and global-norm clipping at
 * {@code gradClip}, as the PromptKD paper's code.
 *
 * @param method the objective
 * @param steps optimizer steps T
 * @param batchSize instructions per step
 * @param learningRate the student's learning rate after warm-up
 * @param promptLearningRate the soft prompt's learning rate after warm-up (PromptKD only)
 * @param warmupSteps linear warm-up steps, in [0, steps)
 * @param weightDecay AdamW decoupled weight decay (on matrices and the prompt)
 * @param gradClip largest global gradient norm (0 = off)
 * @param promptTokens soft prompt length K, >= 1
 * @param promptInit the text whose teacher embeddings initialise the prompt
 * @param maxPrefixTokens prefixes are cut to their last this many tokens
 * @param maxNewTokens longest response, reference or sampled
 * @param seed seeds the student's initial weights, the batches and the samples
 * @param checkpointEvery steps between checkpoints
 * @param student the student's shape when it is not initialised from a folder
 * @param regulariser how the prompt regulariser KL(p_T′ ‖ p_T) is weighted over the run
 */
public record GenKdConfig(GenKdMethod method, int steps, int batchSize, double learningRate,
    double promptLearningRate, int warmupSteps, double weightDecay, double gradClip,
    int promptTokens, String promptInit, int maxPrefixTokens, int maxNewTokens, long seed,
    int checkpointEvery, StudentShape student, Regulariser regulariser) {

  /** The weight of the prompt regulariser at step t of T. */
  public enum Regulariser {
    /** 1 − t/T, the paper's schedule. */
    LINEAR,
    /** 1 throughout (an ablation). */
    CONSTANT,
    /** 0: the prompt only chases the student (an ablation). */
    OFF
  }

  /** A fresh student's decoder shape (context and vocabulary come from the teacher). */
  public record StudentShape(int layers, int width, int heads) {
    public StudentShape {
      if (layers < 1 || width < 1 || heads < 1 || width % heads != 0) {
        throw new ConfigException("student: layers, width and heads must be >= 1 with width"
            + " divisible by heads, got layers " + layers + ", width " + width + ", heads "
            + heads);
      }
    }
  }

  public GenKdConfig {
    if (method == null) {
      throw new ConfigException("method must be set");
    }
    positive("steps", steps);
    positive("batch size", batchSize);
    positive("checkpoint every", checkpointEvery);
    positive("max prefix tokens", maxPrefixTokens);
    positive("max new tokens", maxNewTokens);
    if (promptTokens < 1) {
      throw new ConfigException("prompt tokens (k) must be >= 1 (the paper uses 7), got "
          + promptTokens);
    }
    if (!(learningRate > 0) || !(promptLearningRate > 0)) {
      throw new ConfigException("learning rates must be > 0, got " + learningRate + " (student)"
          + " and " + promptLearningRate + " (prompt)");
    }
    if (warmupSteps < 0 || warmupSteps >= steps) {
      throw new ConfigException("warm-up steps must be in [0, steps), got " + warmupSteps
          + " with steps " + steps);
    }
    if (!(weightDecay >= 0) || !(gradClip >= 0)) {
      throw new ConfigException("weight decay and grad clip must be >= 0, got " + weightDecay
          + " and " + gradClip);
    }
    if (regulariser == null) {
      throw new ConfigException("the regulariser schedule must be set (linear, constant, off)");
    }
    if (promptInit == null || promptInit.isBlank()) {
      throw new ConfigException("the prompt initialisation text must not be empty");
    }
  }

  /**
   * The paper's settings (K = 7 from "Suppose you are a student.", AdamW wd 0.01, clip 1.0) on
   * the demo scale: batch 8, student lr 5e-4, prompt lr 1e-3, 20 warm-up steps, prefixes of 48
   * tokens, responses of 32, a 2-layer 128-wide student.
   */
  public static GenKdConfig defaults(GenKdMethod method, int steps, long seed) {
    return new GenKdConfig(method, steps, 8, 5e-4, 1e-3, Math.min(20, steps - 1), 0.01, 1.0, 7,
        "Suppose you are a student.", 48, 32, seed, 50, new StudentShape(2, 128, 4),
        Regulariser.LINEAR);
  }

  /** Warm-up from lr/warmup to lr, then constant. */
  public static double rateAt(double lr, int warmupSteps, int step) {
    return step < warmupSteps ? lr * (step + 1) / warmupSteps : lr;
  }

  /** The regulariser's weight at step t (0-based): linear 1 − t/T (1 down to 1/T), 1 or 0. */
  public double regulariserWeight(int step) {
    return switch (regulariser) {
      case LINEAR -> 1.0 - (double) step / steps;
      case CONSTANT -> 1.0;
      case OFF -> 0.0;
    };
  }

  public GenKdConfig with(GenKdMethod m, int newSteps, int newBatch, double lr, double promptLr,
      int warmup, int k, long newSeed) {
    return new GenKdConfig(m, newSteps, newBatch, lr, promptLr, warmup, weightDecay, gradClip, k,
        promptInit, maxPrefixTokens, maxNewTokens, newSeed, checkpointEvery, student, regulariser);
  }

  public GenKdConfig withStudent(StudentShape shape) {
    return new GenKdConfig(method, steps, batchSize, learningRate, promptLearningRate,
        warmupSteps, weightDecay, gradClip, promptTokens, promptInit, maxPrefixTokens,
        maxNewTokens, seed, checkpointEvery, shape, regulariser);
  }

  public GenKdConfig withLengths(int prefixTokens, int newTokens, int every) {
    return new GenKdConfig(method, steps, batchSize, learningRate, promptLearningRate,
        warmupSteps, weightDecay, gradClip, promptTokens, promptInit, prefixTokens, newTokens,
        seed, every, student, regulariser);
  }

  public GenKdConfig withRegulariser(Regulariser r) {
    return new GenKdConfig(method, steps, batchSize, learningRate, promptLearningRate,
        warmupSteps, weightDecay, gradClip, promptTokens, promptInit, maxPrefixTokens,
        maxNewTokens, seed, checkpointEvery, student, r);
  }

  public ObjectNode toJson() {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("method", method.cliName());
    n.put("steps", steps);
    n.put("batch_size", batchSize);
    n.put("learning_rate", learningRate);
    n.put("prompt_learning_rate", promptLearningRate);
    n.put("warmup_steps", warmupSteps);
    n.put("weight_decay", weightDecay);
    n.put("grad_clip", gradClip);
    n.put("prompt_tokens", promptTokens);
    n.put("prompt_init", promptInit);
    n.put("max_prefix_tokens", maxPrefixTokens);
    n.put("max_new_tokens", maxNewTokens);
    n.put("seed", seed);
    n.put("checkpoint_every", checkpointEvery);
    n.put("regulariser", regulariser.name().toLowerCase(java.util.Locale.ROOT));
    ObjectNode s = n.putObject("student");
    s.put("layers", student.layers());
    s.put("width", student.width());
    s.put("heads", student.heads());
    return n;
  }

  private static void positive(String name, int v) {
    if (v < 1) {
      throw new ConfigException(name + " must be >= 1, got " + v);
    }
  }
}
