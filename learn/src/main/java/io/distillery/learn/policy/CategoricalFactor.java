package io.distillery.learn.policy;

import java.util.SplittableRandom;

/**
 * One softmax categorical π = softmax(θ) trained by REINFORCE, plain SGD on θ. The gradient of
 * the objective {@code E[A·log π(a)] + entropyBonus·H(π) − klPenalty·KL(π ‖ π₀)} with respect to
 * θ is, per sampled {@code a} with advantage {@code A}: {@code A·(e_a − π)}; for the entropy:
 * {@code −π_j (log π_j + H)}; for the KL: {@code π_j (log(π_j / π₀_j) − KL)}.
 *
 * <p>Entropy floor: below a share of its start entropy the factor gets an extra entropy weight
 * that grows linearly to {@link #FLOOR_WEIGHT} as H falls to 0. Above the floor nothing changes,
 * so a run that never reaches it is bit-identical to one without it. Why: on spam a
 * high-variance disagreement reward drove one opener to 0.79 of a label within four rounds
 * (docs/results/spam-categorical-1-rounds.jsonl), which the 0.01 bonus could not hold back.
 */
public final class CategoricalFactor {
  private final double[] theta;
  private final double[] start;
  private final double startEntropy;

  /** The extra entropy weight at H = 0 under the floor (about the size of a REINFORCE step). */
  static final double FLOOR_WEIGHT = 2.0;

  /** A categorical over {@code n} choices starting from {@code initialLogits} (copied). */
  public CategoricalFactor(double[] initialLogits) {
    if (initialLogits.length == 0) {
      throw new IllegalArgumentException("a categorical needs at least one choice");
    }
    this.theta = initialLogits.clone();
    this.start = softmax(initialLogits);
    this.startEntropy = entropy();
  }

  public int size() {
    return theta.length;
  }

  public double[] logits() {
    return theta.clone();
  }

  /** Overwrites the logits (restoring saved state). */
  public void setLogits(double[] logits) {
    if (logits.length != theta.length) {
      throw new IllegalArgumentException("expected " + theta.length + " logits, found " + logits.length);
    }
    System.arraycopy(logits, 0, theta, 0, theta.length);
  }

  public double[] probabilities() {
    return softmax(theta);
  }

  /** A draw from π with {@code rng}. */
  public int sample(SplittableRandom rng) {
    double[] p = probabilities();
    double u = rng.nextDouble();
    double acc = 0;
    for (int i = 0; i < p.length; i++) {
      acc += p[i];
      if (u < acc) {
        return i;
      }
    }
    return p.length - 1;
  }

  public double logProb(int choice) {
    return Math.log(probabilities()[choice]);
  }

  public double entropy() {
    double h = 0;
    for (double q : probabilities()) {
      if (q > 0) {
        h -= q * Math.log(q);
      }
    }
    return h;
  }

  public double klToStart() {
    double[] p = probabilities();
    double kl = 0;
    for (int i = 0; i < p.length; i++) {
      if (p[i] > 0) {
        kl += p[i] * (Math.log(p[i]) - Math.log(start[i]));
      }
    }
    return Math.max(0, kl);
  }

  /**
   * One ascent step: the mean of {@code A_i (e_{a_i} − π)} over the samples, plus the entropy and
   * KL gradients, times {@code learningRate}. No samples: only the regularisers act.
   *
   * @param entropyFloor share of the start entropy below which the floor's extra weight acts
   *     (0 = no floor)
   */
  public void update(int[] choices, double[] advantages, double learningRate, double entropyBonus,
      double klPenalty, double entropyFloor) {
    double[] p = probabilities();
    double[] grad = new double[p.length];
    int n = choices.length;
    for (int k = 0; k < n; k++) {
      double a = advantages[k] / n;
      for (int j = 0; j < p.length; j++) {
        grad[j] -= a * p[j];
      }
      grad[choices[k]] += a;
    }
    double h = entropy();
    double kl = klToStart();
    double floor = entropyFloor * startEntropy;
    if (h < floor) {
      entropyBonus += FLOOR_WEIGHT * (floor - h) / floor;
    }
    for (int j = 0; j < p.length; j++) {
      double logP = Math.log(Math.max(p[j], 1e-300));
      grad[j] += entropyBonus * (-p[j] * (logP + h));
      grad[j] -= klPenalty * p[j] * (logP - Math.log(start[j]) - kl);
      theta[j] += learningRate * grad[j];
    }
  }

  static double[] softmax(double[] x) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : x) {
      max = Math.max(max, v);
    }
    double[] e = new double[x.length];
    double sum = 0;
    for (int i = 0; i < x.length; i++) {
      e[i] = Math.exp(x[i] - max);
      sum += e[i];
    }
    for (int i = 0; i < x.length; i++) {
      e[i] /= sum;
    }
    return e;
  }
}
