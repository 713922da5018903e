package io.distillery.genkd.sample;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.distillery.core.ConfigException;
import io.distillery.train.gpt.GptModel;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Pure ancestral sampling (temperature 1, no top-k, no top-p) from a DJL {@link GptModel} after
 * given prefixes, in one left-padded batch with the KV cache ({@link GptModel#step}). A row ends
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
    int b = prefixes.size();
    int longest = prefixes.stream().mapToInt(p -> p.length).max().orElse(0);
    if (longest + maxNewTokens > model.config().context()) {
      throw new ConfigException("sample: the longest prefix (" + longest + " tokens) plus "
          + maxNewTokens + " new tokens exceeds the model's context " + model.config().context());
    }
    int v = model.config().vocab();
    List<List<Integer>> out = new ArrayList<>();
    boolean[] done = new boolean[b];
    long[] stepIds = new long[b * longest];
    long[] stepPos = new long[b * longest];
    for (int i = 0; i < b; i++) {
      int[] p = prefixes.get(i);
      int pad = longest - p.length;
      for (int j = 0; j < p.length; j++) {
        stepIds[i * longest + pad + j] = p[j];
        stepPos[i * longest + pad + j] = j;
      }
      out.add(new ArrayList<>());
    }
    List<NDArray> pastK = null;
    List<NDArray> pastV = null;
    int seen = 0;
    try {
      for (int t = 0; t < maxNewTokens; t++) {
        int len = t == 0 ? longest : 1;
        float[] last;
        List<NDArray> nextK;
        List<NDArray> nextV;
        try (NDScope scope = new NDScope()) {
          long[] mask = new long[b * (seen + len)];
          for (int i = 0; i < b; i++) {
            for (int j = longest - prefixes.get(i).length; j < seen + len; j++) {
              mask[i * (seen + len) + j] = 1;
            }
          }
          List<NDArray> k = pastK != null ? pastK : model.emptyPast(manager, b);
          List<NDArray> vv = pastV != null ? pastV : model.emptyPast(manager, b);
          GptModel.StepOutput o = model.step(ps, manager.create(stepIds, new Shape(b, len)),
              manager.create(stepPos, new Shape(b, len)),
              manager.create(mask, new Shape(b, seen + len)), k, vv, false);
          last = o.logits().get(":, -1, :").toFloatArray(); // [B, V]
          nextK = o.presentKeys();
          nextV = o.presentValues();
          nextK.forEach(NDScope::unregister);
          nextV.forEach(NDScope::unregister);
        }
        closeAll(pastK);
        closeAll(pastV);
        pastK = nextK;
        pastV = nextV;
        seen += len;
        stepIds = new long[b];
        stepPos = new long[b];
        boolean all = true;
        for (int i = 0; i < b; i++) {
          int next = Math.max(eosId, 0);
          if (!done[i]) {
            next = draw(last, i * v, v, rng);
            out.get(i).add(next);
            done[i] = next == eosId;
          }
          all &= done[i];
          stepIds[i] = next;
          stepPos[i] = prefixes.get(i).length + t;
        }
        if (all) {
          break;
        }
      }
    } finally {
      closeAll(pastK);
      closeAll(pastV);
    }
    int[][] tokens = new int[b][];
    for (int i = 0; i < b; i++) {
      tokens[i] = out.get(i).stream().mapToInt(Integer::intValue).toArray();
    }
    return tokens;
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

  private static void closeAll(List<NDArray> arrays) {
    if (arrays != null) {
      arrays.forEach(NDArray::close);
    }
  }
}
