package io.distillery.genkd.sample;

import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.distillery.core.ConfigException;
import io.distillery.train.gpt.GptDecodeLoop;
import io.distillery.train.gpt.GptModel;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Pure ancestral sampling (temperature 1, no top-k, no top-p) from a DJL {@link GptModel} after
 * given prefixes, in one left-padded batch with the KV cache ({@link GptDecodeLoop}). A row ends
 * at the end-of-text token, which is kept as its last token. The draw happens in Java from the
 * given {@link SplittableRandom}, so a seed fixes the samples.
 */
public final class GptSampler {
  private final GptModel model;
  private final NDManager manager;
  private final ParameterStore ps;
  private final int eosId;

  public GptSampler(GptModel model, NDManager manager, int eosId) {
    this.model = model;
    this.manager = manager;
    this.ps = new ParameterStore(manager, false);
    this.eosId = eosId;
  }

  /** Up to {@code maxNewTokens} sampled tokens after each prefix. */
  public int[][] sample(List<int[]> prefixes, int maxNewTokens, SplittableRandom rng) {
    int longest = prefixes.stream().mapToInt(p -> p.length).max().orElse(0);
    if (longest + maxNewTokens > model.config().context()) {
      throw new ConfigException("sample: the longest prefix (" + longest + " tokens) plus "
          + maxNewTokens + " new tokens exceeds the model's context " + model.config().context());
    }
    return GptDecodeLoop.decode(model, ps, manager, prefixes, maxNewTokens, eosId,
        (row, logits, off, v) -> draw(logits, off, v, rng));
  }

  /** One draw from softmax(logits[off, off + v)). */
  static int draw(float[] logits, int off, int v, SplittableRandom rng) {
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < v; j++) {
      max = Math.max(max, logits[off + j]);
    }
    double[] w = new double[v];
    double sum = 0;
    for (int j = 0; j < v; j++) {
      w[j] = Math.exp(logits[off + j] - max);
      sum += w[j];
    }
    double u = rng.nextDouble() * sum;
    for (int j = 0; j < v; j++) {
      u -= w[j];
      if (u < 0) {
        return j;
      }
    }
    return v - 1;
  }
}
