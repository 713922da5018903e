package io.distillery.learn.reward;

import io.distillery.core.ConfigException;

/**
 * How the named reward terms add up: {@code total = specificity·s + disagreement·d + novelty·n −
 * filtered·[the text failed the filters]}. Every term is also logged on its own.
 *
 * @param specificity weight of the teacher's probability of the intended label, in [0, 1]
 * @param disagreement weight of KL(teacher ‖ student) in nats, clipped at {@link Reward#MAX_KL}
 * @param novelty weight of the share of the text's word bigrams the corpus does not hold yet
 * @param filtered penalty for a candidate the length / repetition filters threw away
 */
public record RewardWeights(double specificity, double disagreement, double novelty, double filtered) {
  public RewardWeights {
    for (double w : new double[] {specificity, disagreement, novelty, filtered}) {
      if (!(w >= 0) || Double.isInfinite(w)) {
        throw new ConfigException("reward weights must be finite and >= 0, got specificity "
            + specificity + ", disagreement " + disagreement + ", novelty " + novelty + ", filtered "
            + filtered);
      }
    }
  }

  /**
   * Disagreement and specificity weighed alike, novelty half, a filtered text costs as much as a
   * sure one gains. DESIGN.md's measured note: teacher confidence alone made the teacher surer
   * without helping the student, so the student's disagreement carries equal weight.
   */
  public static RewardWeights defaults() {
    return new RewardWeights(1.0, 1.0, 0.5, 1.0);
  }

  public RewardWeights withoutDisagreement() {
    return new RewardWeights(specificity, 0, novelty, filtered);
  }

  public RewardWeights withoutNovelty() {
    return new RewardWeights(specificity, disagreement, 0, filtered);
  }
}
