package io.distillery.runtime.generate;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Picks the next token from one row of logits: greedy (argmax) or sampling with temperature,
 * top-k and top-p. Also gives the token's log-probability under the raw logits.
 */
final class TokenSampler {
  private final GenerationConfig config;

  TokenSampler(GenerationConfig config) {
    this.config = config;
  }

  /** The chosen id; {@code rng} is only used when sampling. */
  int pick(float[] logits, int offset, int vocab, SplittableRandom rng) {
    if (config.greedyDecoding()) {
      int best = 0;
      for (int i = 1; i < vocab; i++) {
        if (logits[offset + i] > logits[offset + best]) {
          best = i;
        }
      }
      return best;
    }
    Integer[] order = new Integer[vocab];
    for (int i = 0; i < vocab; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Float.compare(logits[offset + b], logits[offset + a]));
    int keep = config.topK() > 0 ? Math.min(config.topK(), vocab) : vocab;
    double max = logits[offset + order[0]] / config.temperature();
    double[] p = new double[keep];
    double sum = 0;
    for (int i = 0; i < keep; i++) {
      p[i] = Math.exp(logits[offset + order[i]] / config.temperature() - max);
      sum += p[i];
    }
    if (config.topP() < 1) {
      double cum = 0;
      int cut = keep;
      for (int i = 0; i < keep; i++) {
        cum += p[i] / sum;
        if (cum >= config.topP()) {
          cut = i + 1;
          break;
        }
      }
      keep = cut;
      sum = 0;
      for (int i = 0; i < keep; i++) {
        sum += p[i];
      }
    }
    double u = rng.nextDouble() * sum;
    for (int i = 0; i < keep; i++) {
      u -= p[i];
      if (u < 0) {
        return order[i];
      }
    }
    return order[keep - 1];
  }

  /** {@code log softmax(logits)[id]}. */
  static float logProb(float[] logits, int offset, int vocab, int id) {
    float max = Float.NEGATIVE_INFINITY;
    for (int i = 0; i < vocab; i++) {
      max = Math.max(max, logits[offset + i]);
    }
    double sum = 0;
    for (int i = 0; i < vocab; i++) {
      sum += Math.exp(logits[offset + i] - max);
    }
    return (float) (logits[offset + id] - max - Math.log(sum));
  }
}
