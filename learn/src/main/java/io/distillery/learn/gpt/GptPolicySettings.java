package io.distillery.learn.gpt;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillery.core.ConfigException;
import io.distillery.core.Json;

/**
 * How a {@link GptPolicy} samples and learns.
 *
 * <p>Objective per update (rows i, sampled tokens t): {@code −mean_i A_i·Σ_t log π(y_it) +
 * klPenalty·mean_i Σ_t KL(π ‖ π₀)_it − entropyBonus·mean_i Σ_t H(π)_it}, with the KL and the
 * entropy exact over the vocabulary at each sampled position.
 *
 * @param learningRate AdamW step size
 * @param klPenalty β, weight of the sequence KL to the frozen start policy π₀
 * @param entropyBonus weight of the sequence entropy
 * @param gradClip global gradient-norm clip (0 = off)
 * @param weightDecay AdamW decoupled weight decay (0 keeps the update a pure policy gradient)
 * @param temperature sampling temperature (the reported and trained log-probs are at 1)
 * @param topK sample among the k most likely tokens; 0 = the whole vocabulary
 */
public record GptPolicySettings(double learningRate, double klPenalty, double entropyBonus,
    double gradClip, double weightDecay, double temperature, int topK) {
  public GptPolicySettings {
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new ConfigException("policy learning rate must be > 0, got " + learningRate);
    }
    for (double w : new double[] {klPenalty, entropyBonus, gradClip, weightDecay}) {
      if (!(w >= 0) || Double.isInfinite(w)) {
        throw new ConfigException("policy kl penalty, entropy bonus, grad clip and weight decay"
            + " must be finite and >= 0, got " + klPenalty + ", " + entropyBonus + ", " + gradClip
            + ", " + weightDecay);
      }
    }
    if (!(temperature > 0) || temperature > 100) {
      throw new ConfigException("policy temperature must be in (0, 100], got " + temperature);
    }
    if (topK < 0) {
      throw new ConfigException("policy top-k must be >= 0 (0 = off), got " + topK);
    }
  }

  /** lr 1e-4, β 0.05, entropy 0, clip 1.0, no weight decay, temperature 1, no top-k. */
  public static GptPolicySettings defaults() {
    return new GptPolicySettings(1e-4, 0.05, 0.0, 1.0, 0.0, 1.0, 0);
  }

  public GptPolicySettings withLearningRate(double lr) {
    return new GptPolicySettings(lr, klPenalty, entropyBonus, gradClip, weightDecay, temperature,
        topK);
  }

  public ObjectNode toJson() {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("learning_rate", learningRate);
    n.put("kl_penalty", klPenalty);
    n.put("entropy_bonus", entropyBonus);
    n.put("grad_clip", gradClip);
    n.put("weight_decay", weightDecay);
    n.put("temperature", temperature);
    n.put("top_k", topK);
    return n;
  }
}
