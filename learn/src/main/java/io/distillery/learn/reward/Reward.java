package io.distillery.learn.reward;

import io.distillery.runtime.classify.Logits;

/**
 * The reward of one synthetic sample, from the teacher's logits, the student's logits (what the
 * student still gets wrong) and the corpus so far (novelty). One class for both learners (the
 * topic prompter and the generator tuning), with named terms that are logged one by one.
 */
public final class Reward {
  /** Disagreement is clipped here (nats): one absurd sample must not swamp a batch. */
  public static final double MAX_KL = 3.0;

  private final RewardWeights weights;

  public Reward(RewardWeights weights) {
    this.weights = weights;
  }

  public RewardWeights weights() {
    return weights;
  }

  /**
   * @param teacher the teacher's logits {@code [L]}
   * @param student the student's logits {@code [L]}, or null when no student is trained yet
   * @param intendedLabel the label the prompt asked for
   * @param novelty the text's novelty in [0, 1] ({@link NoveltyIndex#novelty})
   */
  public RewardTerms score(float[] teacher, float[] student, int intendedLabel, double novelty) {
    float[] p = Logits.softmax(teacher);
    double specificity = intendedLabel >= 0 && intendedLabel < p.length ? p[intendedLabel] : 0;
    double disagreement = student == null ? 0 : Math.min(MAX_KL, kl(p, Logits.softmax(student)));
    double total = weights.specificity() * specificity + weights.disagreement() * disagreement
        + weights.novelty() * novelty;
    return new RewardTerms(specificity, disagreement, novelty, false, total);
  }

  /** The reward of a text the filters threw away. */
  public RewardTerms filtered() {
    return new RewardTerms(0, 0, 0, true, -weights.filtered());
  }

  /** KL(p ‖ q) = Σ p (log p − log q) in nats, with q floored so a zero costs a bounded amount. */
  public static double kl(float[] p, float[] q) {
    if (p.length != q.length) {
      throw new IllegalArgumentException("KL of " + p.length + " vs " + q.length + " probabilities");
    }
    double sum = 0;
    for (int i = 0; i < p.length; i++) {
      if (p[i] > 0) {
        sum += p[i] * (Math.log(p[i]) - Math.log(Math.max(q[i], 1e-12)));
      }
    }
    return Math.max(0, sum);
  }
}
