package io.distillery.train.gpt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One pre-LN transformer block: {@code x + attn(ln_1(x))}, then {@code x + mlp(ln_2(x))}.
 * {@code [B, T, C]} to {@code [B, T, C]}, with the attention's keys/values for the cache.
 */
public final class GptBlock extends AbstractBlock {
  private final GptLayerNorm ln1;
  private final CausalSelfAttention attn;
  private final GptLayerNorm ln2;
  private final GptMlp mlp;

  public GptBlock(GptConfig config) {
    ln1 = addChildBlock("ln_1", new GptLayerNorm(config.width()));
    attn = addChildBlock("attn", new CausalSelfAttention(config));
    ln2 = addChildBlock("ln_2", new GptLayerNorm(config.width()));
    mlp = addChildBlock("mlp", new GptMlp(config));
  }

  public GptLayerNorm ln1() {
    return ln1;
  }

  public CausalSelfAttention attn() {
    return attn;
  }

  public GptLayerNorm ln2() {
    return ln2;
  }

  public GptMlp mlp() {
    return mlp;
  }

  /** See {@link CausalSelfAttention#apply}; the output's {@code y} is the block's output. */
  public CausalSelfAttention.Output apply(ParameterStore ps, NDArray x, NDArray bias,
      NDArray pastKey, NDArray pastValue, boolean training) {
    CausalSelfAttention.Output a =
        attn.apply(ps, ln1.apply(ps, x, training), bias, pastKey, pastValue, training);
    NDArray h = x.add(a.y());
    NDArray out = h.add(mlp.apply(ps, ln2.apply(ps, h, training), training));
    return new CausalSelfAttention.Output(out, a.key(), a.value());
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray pastKey = inputs.size() > 2 ? inputs.get(2) : null;
    NDArray pastValue = inputs.size() > 3 ? inputs.get(3) : null;
    CausalSelfAttention.Output out =
        apply(ps, inputs.get(0), inputs.get(1), pastKey, pastValue, training);
    return new NDList(out.y(), out.key(), out.value());
  }

  @Override
  protected void initializeChildBlocks(
      ai.djl.ndarray.NDManager manager, DataType dataType, Shape... inputShapes) {
    for (ai.djl.nn.Block child : getChildren().values()) {
      child.initialize(manager, dataType, inputShapes); // every parameter has a fixed shape
    }
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }
}
