package io.distillery.train.gpt;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;
import io.distillery.export.transformer.TransformerBlockWriter;
import io.distillery.train.nn.LayerNormalization;

/**
 * One pre-LN transformer block: {@code x + attn(ln_1(x))}, then {@code x + mlp(ln_2(x))}.
 * {@code [B, T, C]} to {@code [B, T, C]}, with the attention's keys/values for the cache.
 */
public final class GptBlock extends KvCacheBlock {
  private final LayerNormalization ln1;
  private final CausalSelfAttention attn;
  private final LayerNormalization ln2;
  private final GptMlp mlp;

  public GptBlock(GptConfig config) {
    ln1 = addChildBlock("ln_1", layerNorm(config));
    attn = addChildBlock("attn", new CausalSelfAttention(config));
    ln2 = addChildBlock("ln_2", layerNorm(config));
    mlp = addChildBlock("mlp", new GptMlp(config));
  }

  /** A layer norm over the model width with GPT-2's epsilon (the one the exporter writes). */
  static LayerNormalization layerNorm(GptConfig config) {
    return new LayerNormalization(config.width(), TransformerBlockWriter.LN_EPS);
  }

  public LayerNormalization ln1() {
    return ln1;
  }

  public CausalSelfAttention attn() {
    return attn;
  }

  public LayerNormalization ln2() {
    return ln2;
  }

  public GptMlp mlp() {
    return mlp;
  }

  /** See {@link CausalSelfAttention#apply}; the output's {@code y} is the block's output. */
  @Override
  public CausalSelfAttention.Output apply(ParameterStore ps, NDArray x, NDArray bias,
      NDArray pastKey, NDArray pastValue, boolean training) {
    CausalSelfAttention.Output a =
        attn.apply(ps, ln1.apply(ps, x, training), bias, pastKey, pastValue, training);
    NDArray h = x.add(a.y());
    NDArray out = h.add(mlp.apply(ps, ln2.apply(ps, h, training), training));
    return new CausalSelfAttention.Output(out, a.key(), a.value());
  }
}
