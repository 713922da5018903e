package io.distillery.runtime.classify;

/** Small, exact helpers on one row of logits {@code [L]}. */
public final class Logits {
  private Logits() {}

  /** Index of the largest logit (the first one on ties). */
  public static int argmax(float[] logits) {
    if (logits.length == 0) {
      throw new IllegalArgumentException("argmax of no logits");
    }
    int best = 0;
    for (int i = 1; i < logits.length; i++) {
      if (logits[i] > logits[best]) {
        best = i;
      }
    }
    return best;
  }

  /** Softmax of {@code logits / temperature}, computed stably in double. */
  public static float[] softmax(float[] logits, double temperature) {
    if (!(temperature > 0)) {
      throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
    }
    double max = Double.NEGATIVE_INFINITY;
    for (float v : logits) {
      max = Math.max(max, v / temperature);
    }
    double[] exp = new double[logits.length];
    double sum = 0;
    for (int i = 0; i < logits.length; i++) {
      exp[i] = Math.exp(logits[i] / temperature - max);
      sum += exp[i];
    }
    float[] probs = new float[logits.length];
    for (int i = 0; i < logits.length; i++) {
      probs[i] = (float) (exp[i] / sum);
    }
    return probs;
  }

  public static float[] softmax(float[] logits) {
    return softmax(logits, 1.0);
  }
}
