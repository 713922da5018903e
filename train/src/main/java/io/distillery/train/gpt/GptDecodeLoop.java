package io.distillery.train.gpt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;

/**
 * Batched decoding of a DJL {@link GptModel} with its KV cache ({@link GptModel#step}) after given
 * prefixes, left-padded in one batch: the loop the reinforced GPT policy (learn) and the PromptKD
 * sampler (genkd) share. The caller's {@link Chooser} picks each row's next token from that row's
 * logits (in Java, so a seeded random stream fixes the draws); a row ends at the end-of-text
 * token, kept as its last token, or when the chooser says so. Finished rows keep a place in the
 * batch (fed the end-of-text id) until every row is done.
 */
public final class GptDecodeLoop {
  private GptDecodeLoop() {}

  /** Picks tokens for the rows; called for unfinished rows only, in row order each step. */
  public interface Chooser {
    /** Row {@code row}'s next token from its logits {@code logits[off, off + vocab)}. */
    int choose(int row, float[] logits, int off, int vocab);

    /**
     * Called once the token is appended ({@code soFar} ends with it): whether the row is done
     * besides end-of-text. The default never stops a row early.
     */
    default boolean stop(int row, int token, List<Integer> soFar, float[] logits, int off,
        int vocab) {
      return false;
    }
  }

  /**
   * Up to {@code maxNewTokens} new tokens after each prefix (the caller has checked that the
   * longest prefix plus them fits the model's context).
   *
   * @param eosId the end-of-text id that ends a row, or -1 for none
   */
  public static int[][] decode(GptModel model, ParameterStore ps, NDManager manager,
      List<int[]> prefixes, int maxNewTokens, int eosId, Chooser chooser) {
    int b = prefixes.size();
    int longest = prefixes.stream().mapToInt(p -> p.length).max().orElse(0);
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
    int seen = 0; // positions in the cache
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
            int off = i * v;
            next = chooser.choose(i, last, off, v);
            out.get(i).add(next);
            done[i] = next == eosId || chooser.stop(i, next, out.get(i), last, off, v);
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

  private static void closeAll(List<NDArray> arrays) {
    if (arrays != null) {
      arrays.forEach(NDArray::close);
    }
  }
}
