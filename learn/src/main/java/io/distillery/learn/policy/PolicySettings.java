package io.distillery.learn.policy;

import io.distillery.core.ConfigException;

/**
 * REINFORCE settings shared by the topic policies.
 *
 * @param learningRate step size (SGD on the categorical's logits; Adam's for a GPT policy)
 * @param entropyBonus weight of the policy entropy in the objective
 * @param klPenalty weight of KL(π ‖ π₀) to the initial policy
 * @param baselineDecay the per-label moving-average baseline keeps this share of its value per
 *     update, in [0, 1)
 * @param entropyFloor share of each categorical's start entropy below which an extra entropy
 *     weight holds it back from collapsing, in [0, 1) (0 = none; see {@link CategoricalFactor})
 */
public record PolicySettings(double learningRate, double entropyBonus, double klPenalty,
    double baselineDecay, double entropyFloor) {
  public PolicySettings {
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new ConfigException("prompter learning_rate must be > 0, got " + learningRate);
    }
    if (!(entropyBonus >= 0) || !(klPenalty >= 0)) {
      throw new ConfigException("prompter entropy and kl weights must be >= 0, got " + entropyBonus
          + " and " + klPenalty);
    }
    if (!(baselineDecay >= 0 && baselineDecay < 1)) {
      throw new ConfigException("prompter baseline_decay must be in [0, 1), got " + baselineDecay);
    }
    if (!(entropyFloor >= 0 && entropyFloor < 1)) {
      throw new ConfigException("prompter entropy_floor must be in [0, 1), got " + entropyFloor);
    }
  }

  /**
   * SGD step 5.0 (a topic arm is drawn a few dozen times in a 4,000-sample run, and each draw moves
   * its logit by step x advantage / rows: at 1.0 the policy barely left uniform in a smoke run),
   * entropy bonus 0.01, KL penalty 0.05, baseline decay 0.9, entropy floor 0.5 (the three
   * sentiment runs stayed above 0.75 of their start entropy in every factor, so the floor only
   * acts on a collapsing policy).
   */
  public static PolicySettings categoricalDefaults() {
    return new PolicySettings(5.0, 0.01, 0.05, 0.9, 0.5);
  }
}
