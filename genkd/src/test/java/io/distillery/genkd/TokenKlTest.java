package io.distillery.genkd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.distillery.genkd.loss.TokenKl;
import org.junit.jupiter.api.Test;

/** The KL terms of PromptKD against a hand computation. */
class TokenKlTest {
  // [B=1, T=3, V=3]: prompted teacher, teacher, student logits at three positions
  static final float[] PROMPTED = {1f, 0f, -1f, 0.5f, 0.5f, 2f, 3f, -2f, 0f};
  static final float[] TEACHER = {0f, 0f, 0f, 1f, 0.2f, 1.5f, 2f, -1f, 0.5f};
  static final float[] STUDENT = {-1f, 2f, 0f, 0f, 1f, 0f, 1f, 1f, 1f};
  static final float[] MASK = {0f, 1f, 1f}; // the first position is the prefix's: not counted

  @Test
  void bothPromptTermsAndTheReverseKlEqualTheFormulaOverResponseTokens() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray pp = m.create(PROMPTED, new Shape(1, 3, 3));
      NDArray pt = m.create(TEACHER, new Shape(1, 3, 3));
      NDArray qs = m.create(STUDENT, new Shape(1, 3, 3));
      NDArray mask = m.create(MASK, new Shape(1, 3));
      assertEquals(hand(PROMPTED, TEACHER), TokenKl.mean(pp, pt, mask).getFloat(), 1e-5);
      assertEquals(hand(PROMPTED, STUDENT), TokenKl.mean(pp, qs, mask).getFloat(), 1e-5);
      assertEquals(hand(STUDENT, PROMPTED), TokenKl.mean(qs, pp, mask).getFloat(), 1e-5);
      // the prompt loss at t = 1 of T = 4: (1 - 1/4) KL(pT'||pT) + KL(pT'||qS)
      double loss = 0.75 * hand(PROMPTED, TEACHER) + hand(PROMPTED, STUDENT);
      assertEquals(loss, TokenKl.mean(pp, pt, mask).mul(0.75f).add(TokenKl.mean(pp, qs, mask))
          .getFloat(), 1e-5);
      // KL(p||p) = 0 and KL is not symmetric here
      assertEquals(0, TokenKl.mean(pp, pp, mask).getFloat(), 1e-6);
      double forward = hand(PROMPTED, STUDENT);
      double reverse = hand(STUDENT, PROMPTED);
      assertEquals(true, Math.abs(forward - reverse) > 0.05, forward + " vs " + reverse);
    }
  }

  @Test
  void crossEntropyIsMinusLogProbOfTheTargetsOverResponseTokens() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray qs = m.create(STUDENT, new Shape(1, 3, 3));
      NDArray targets = m.create(new long[] {0, 2, 1}, new Shape(1, 3));
      NDArray mask = m.create(MASK, new Shape(1, 3));
      double expected = -(logSoftmax(STUDENT, 1)[2] + logSoftmax(STUDENT, 2)[1]) / 2;
      assertEquals(expected, TokenKl.crossEntropy(qs, targets, mask).getFloat(), 1e-5);
    }
  }

  /** Σ_pos mask · Σ_v p (log p − log q) / Σ mask, in doubles. */
  static double hand(float[] p, float[] q) {
    double sum = 0;
    double count = 0;
    for (int t = 0; t < 3; t++) {
      double[] lp = logSoftmax(p, t);
      double[] lq = logSoftmax(q, t);
      double kl = 0;
      for (int v = 0; v < 3; v++) {
        kl += Math.exp(lp[v]) * (lp[v] - lq[v]);
      }
      sum += MASK[t] * kl;
      count += MASK[t];
    }
    return sum / count;
  }

  static double[] logSoftmax(float[] logits, int t) {
    double max = Double.NEGATIVE_INFINITY;
    for (int v = 0; v < 3; v++) {
      max = Math.max(max, logits[t * 3 + v]);
    }
    double z = 0;
    for (int v = 0; v < 3; v++) {
      z += Math.exp(logits[t * 3 + v] - max);
    }
    double[] out = new double[3];
    for (int v = 0; v < 3; v++) {
      out[v] = logits[t * 3 + v] - max - Math.log(z);
    }
    return out;
  }
}
