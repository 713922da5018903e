package io.distillery.genkd.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * Prefix + response rows, right-padded, as model inputs and next-token targets with a mask that
 * is 1 exactly where the target is a response token (so every loss counts response tokens only).
 *
 * @param ids inputs {@code [B, T]}: each row's prefix and response without its last token
 * @param targets next tokens {@code [B, T]}
 * @param mask float {@code [B, T]}, 1 where the target is a response token
 * @param responseTokens response tokens in the batch (the mask's sum)
 */
public record ResponseBatch(NDArray ids, NDArray targets, NDArray mask, int responseTokens) {

  /** Builds the arrays in {@code manager}; every response must have at least one token. */
  public static ResponseBatch of(NDManager manager, List<int[]> prefixes, List<int[]> responses) {
    int b = prefixes.size();
    int t = 1;
    for (int i = 0; i < b; i++) {
      t = Math.max(t, prefixes.get(i).length + responses.get(i).length - 1);
    }
    long[] ids = new long[b * t];
    long[] targets = new long[b * t];
    float[] mask = new float[b * t];
    int count = 0;
    for (int i = 0; i < b; i++) {
      int[] p = prefixes.get(i);
      int[] r = responses.get(i);
      int len = p.length + r.length;
      for (int j = 0; j < len - 1; j++) {
        ids[i * t + j] = j < p.length ? p[j] : r[j - p.length];
        int next = j + 1;
        targets[i * t + j] = next < p.length ? p[next] : r[next - p.length];
        if (next >= p.length) {
          mask[i * t + j] = 1f;
          count++;
        }
      }
    }
    Shape shape = new Shape(b, t);
    return new ResponseBatch(manager.create(ids, shape), manager.create(targets, shape),
        manager.create(mask, shape), count);
  }
}
