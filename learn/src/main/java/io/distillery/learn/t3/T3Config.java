package io.distillery.learn.t3;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillery.core.ConfigException;
import io.distillery.core.Json;
import io.distillery.learn.gpt.GptPolicySettings;
import io.distillery.learn.reward.RewardWeights;
import io.distillery.synth.filter.FilterConfig;

/**
 * Settings of a DFKD-T3 generator tuning run ({@link T3Tuner}).
 *
 * @param steps policy-gradient steps in all (a resumed run continues to this many)
 * @param batchSize prompts (general-corpus sentence + intended label) per step
 * @param learningRate AdamW step size
 * @param klPenalty β, weight of the sequence KL to the original generator
 * @param entropyBonus weight of the sequence entropy (0 = none)
 * @param maxNewTokens tokens the generator writes per prompt before the continuation is cut
 * @param temperature sampling temperature
 * @param topK sample among the k most likely tokens (0 = all)
 * @param seed run seed: step s draws its prompts and samples from a generator seeded by (seed, s)
 * @param checkpointEvery write a resumable checkpoint every this many steps (and at the end)
 * @param rewardWeights how specificity, disagreement, novelty and the filter penalty add up
 * @param baselineDecay the per-label moving baseline keeps this share per step, in [0, 1)
 * @param filters length / repetition checks a continuation must pass (a failed one gets the
 *     filter penalty); dedup is left to the novelty term
 */
public record T3Config(int steps, int batchSize, double learningRate, double klPenalty,
    double entropyBonus, int maxNewTokens, double temperature, int topK, long seed,
    int checkpointEvery, RewardWeights rewardWeights, double baselineDecay, FilterConfig filters) {
  public T3Config {
    if (steps < 0) {
      throw new ConfigException("tuning steps must be >= 0, got " + steps);
    }
    if (batchSize < 1) {
      throw new ConfigException("tuning batch size must be >= 1, got " + batchSize);
    }
    if (maxNewTokens < 1) {
      throw new ConfigException("tuning max new tokens must be >= 1, got " + maxNewTokens);
    }
    if (checkpointEvery < 1) {
      throw new ConfigException("tuning checkpoint interval must be >= 1 step, got "
          + checkpointEvery);
    }
    if (!(baselineDecay >= 0 && baselineDecay < 1)) {
      throw new ConfigException("tuning baseline decay must be in [0, 1), got " + baselineDecay);
    }
    if (rewardWeights == null || filters == null) {
      throw new ConfigException("tuning reward weights and filters must be given");
    }
    policy(learningRate, klPenalty, entropyBonus, temperature, topK); // validates those
  }

  /**
   * lr 1e-4, β 0.05, no entropy bonus, 48 new tokens, temperature 1, no top-k, checkpoint every
   * 25 steps, default reward weights, baseline decay 0.9, default length/repetition filters
   * without dedup.
   */
  public static T3Config defaults(int steps, int batchSize, long seed) {
    return new T3Config(steps, batchSize, 1e-4, 0.05, 0.0, 48, 1.0, 0, seed, 25,
        RewardWeights.defaults(), 0.9, FilterConfig.defaults().withDedup(false, false, 0.8, 1));
  }

  public T3Config withSteps(int newSteps) {
    return new T3Config(newSteps, batchSize, learningRate, klPenalty, entropyBonus, maxNewTokens,
        temperature, topK, seed, checkpointEvery, rewardWeights, baselineDecay, filters);
  }

  public T3Config withCheckpointEvery(int every) {
    return new T3Config(steps, batchSize, learningRate, klPenalty, entropyBonus, maxNewTokens,
        temperature, topK, seed, every, rewardWeights, baselineDecay, filters);
  }

  public T3Config withSampling(int newMaxNewTokens, double newTemperature, int newTopK) {
    return new T3Config(steps, batchSize, learningRate, klPenalty, entropyBonus, newMaxNewTokens,
        newTemperature, newTopK, seed, checkpointEvery, rewardWeights, baselineDecay, filters);
  }

  public T3Config withLearning(double lr, double kl, RewardWeights weights) {
    return new T3Config(steps, batchSize, lr, kl, entropyBonus, maxNewTokens, temperature, topK,
        seed, checkpointEvery, weights, baselineDecay, filters);
  }

  /** The policy settings: gradient clip 1.0, no weight decay. */
  public GptPolicySettings policySettings() {
    return policy(learningRate, klPenalty, entropyBonus, temperature, topK);
  }

  private static GptPolicySettings policy(double lr, double kl, double entropy, double temperature,
      int topK) {
    return new GptPolicySettings(lr, kl, entropy, 1.0, 0.0, temperature, topK);
  }

  /** Everything but {@code steps}: a run may only resume under the same settings. */
  public ObjectNode identity() {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("batch_size", batchSize);
    n.put("seed", seed);
    n.put("max_new_tokens", maxNewTokens);
    n.put("baseline_decay", baselineDecay);
    n.set("policy", policySettings().toJson());
    n.set("reward_weights", Json.MAPPER.valueToTree(rewardWeights));
    n.set("filters", filters.toJson());
    return n;
  }

  public ObjectNode toJson() {
    ObjectNode n = identity();
    n.put("steps", steps);
    n.put("checkpoint_every", checkpointEvery);
    return n;
  }
}
