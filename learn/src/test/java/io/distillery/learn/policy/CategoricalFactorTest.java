package io.distillery.learn.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CategoricalFactorTest {
  @Test
  void reinforceOnABanditMovesProbabilityToTheRewardedArm() {
    CategoricalFactor arms = new CategoricalFactor(new double[4]);
    double[] payout = {0.1, 0.2, 0.9, 0.3};
    SplittableRandom rng = new SplittableRandom(7);
    double baseline = 0;
    for (int step = 0; step < 300; step++) {
      int[] choices = new int[16];
      double[] adv = new double[16];
      double mean = 0;
      for (int i = 0; i < 16; i++) {
        choices[i] = arms.sample(rng);
        double reward = rng.nextDouble() < payout[choices[i]] ? 1 : 0;
        adv[i] = reward - baseline;
        mean += reward / 16;
      }
      baseline = 0.9 * baseline + 0.1 * mean;
      arms.update(choices, adv, 1.0, 0.0, 0.0, 0.0);
    }
    double[] p = arms.probabilities();
    assertTrue(p[2] > 0.9, "rewarded arm " + p[2]);
  }

  @Test
  void entropyAndKlGradientsMatchFiniteDifferences() {
    double[] theta = {0.3, -0.2, 1.1};
    CategoricalFactor f = new CategoricalFactor(new double[3]);
    f.setLogits(theta);
    // one update with no samples applies only the regularisers: Δθ = lr · ∇(H − KL)
    double lr = 1e-3;
    f.update(new int[0], new double[0], lr, 1.0, 1.0, 0.0);
    double[] moved = f.logits();
    for (int j = 0; j < 3; j++) {
      double h = 1e-6;
      double[] up = theta.clone();
      up[j] += h;
      double[] down = theta.clone();
      down[j] -= h;
      double numeric = (objective(up) - objective(down)) / (2 * h);
      assertEquals(numeric, (moved[j] - theta[j]) / lr, 1e-5, "component " + j);
    }
  }

  /** H(π) − KL(π ‖ uniform) at θ. */
  private static double objective(double[] theta) {
    CategoricalFactor f = new CategoricalFactor(new double[theta.length]);
    f.setLogits(theta);
    return f.entropy() - f.klToStart();
  }

  /** A bandit whose arm 0 always pays 1 and the others 0, with a large step: it collapses. */
  private static CategoricalFactor greedyBandit(double entropyFloor, int steps) {
    CategoricalFactor arms = new CategoricalFactor(new double[8]);
    SplittableRandom rng = new SplittableRandom(3);
    for (int step = 0; step < steps; step++) {
      int[] choices = new int[16];
      double[] adv = new double[16];
      for (int i = 0; i < 16; i++) {
        choices[i] = arms.sample(rng);
        adv[i] = choices[i] == 0 ? 1 : -0.1;
      }
      arms.update(choices, adv, 5.0, 0.01, 0.0, entropyFloor);
    }
    return arms;
  }

  @Test
  void theEntropyFloorHoldsBackACollapseAndIsInertAboveIt() {
    double start = Math.log(8);
    CategoricalFactor free = greedyBandit(0.0, 200);
    CategoricalFactor floored = greedyBandit(0.5, 200);
    assertTrue(free.entropy() < 0.2 * start, "without a floor it collapses: " + free.entropy());
    assertTrue(floored.entropy() > 0.35 * start, "the floor holds it: " + floored.entropy());
    assertTrue(floored.probabilities()[0] > 0.3, "the rewarded arm still leads");
    // two steps stay far above the floor: bit-identical to no floor
    CategoricalFactor a = greedyBandit(0.0, 2);
    CategoricalFactor b = greedyBandit(0.5, 2);
    assertTrue(a.entropy() > 0.5 * start);
    org.junit.jupiter.api.Assertions.assertArrayEquals(a.logits(), b.logits());
  }

  @Test
  void samplingFollowsTheProbabilities() {
    CategoricalFactor f = new CategoricalFactor(new double[] {0, Math.log(3)});
    SplittableRandom rng = new SplittableRandom(1);
    int ones = 0;
    for (int i = 0; i < 20_000; i++) {
      ones += f.sample(rng);
    }
    assertEquals(0.75, ones / 20_000.0, 0.01);
  }
}
