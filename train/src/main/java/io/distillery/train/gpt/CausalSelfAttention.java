package io.distillery.train.gpt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import io.distillery.train.nn.Attention;
import io.distillery.train.nn.Dense;

/**
 * Multi-head causal self-attention with an optional key/value cache.
 *
 * <p>{@code c_attn} projects {@code x [B, T, C]} to queries, keys and values ({@code [B, T, 3C]},
 * split in that order); heads are {@code [B, H, T, D]}; past keys/values {@code [B, H, P, D]} are
 * prepended, giving {@code [B, H, S, D]} with {@code S = P + T}; scores {@code q k^T / sqrt(D)}
 * plus an additive bias {@code [B or 1, 1, T, S]} (0 where allowed, {@value GptModel#MASKED}
 * where not) go through a softmax; {@code c_proj} maps the merged heads back to {@code [B, T, C]}.
 */
public final class CausalSelfAttention extends KvCacheBlock {
  private final GptConfig config;
  private final Dense qkv;
  private final Dense proj;

  /** The block's output and the keys/values a later step may reuse. */
  public record Output(NDArray y, NDArray key, NDArray value) {}

  public CausalSelfAttention(GptConfig config) {
    this.config = config;
    int c = config.width();
    qkv = addChildBlock("c_attn", new Dense(c, 3 * c, 0.02f));
    proj = addChildBlock("c_proj",
        new Dense(c, c, (float) (0.02 / Math.sqrt(2.0 * config.layers()))));
  }

  public Dense qkv() {
    return qkv;
  }

  public Dense proj() {
    return proj;
  }

  @Override
  public Output apply(ParameterStore ps, NDArray x, NDArray bias, NDArray pastKey,
      NDArray pastValue, boolean training) {
    int h = config.heads();
    int d = config.headDim();
    NDList parts = qkv.apply(ps, x, training).split(3, 2); // 3 x [B, T, C]
    NDArray q = Attention.splitHeads(parts.get(0), h, d); // [B, H, T, D]
    NDArray k = Attention.splitHeads(parts.get(1), h, d);
    NDArray v = Attention.splitHeads(parts.get(2), h, d);
    if (pastKey != null) {
      k = pastKey.concat(k, 2); // [B, H, S, D]
      v = pastValue.concat(v, 2);
    }
    NDArray y = Attention.attend(q, k, v, bias); // [B, T, C]
    return new Output(proj.apply(ps, y, training), k, v);
  }
}
